package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.IoMode;
import io.netloop.core.tcp.ConnectionConfig;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * slowhttptest (the Debian package of that name), the standard slow-client attack tool, in
 * its three modes at once (slowloris, slow body, slow read), a thousand connections in all:
 * the server cuts the attacking connections off, an ordinary client keeps being served (its
 * latencies are printed; {@link SlowClientsTest} holds them to a bound), and slowhttptest's own probe (a fresh connection every few seconds,
 * given 3 s to be answered) finds the service available.
 *
 * <p>The probe is held to most seconds rather than all: slowhttptest opens its connections
 * in a burst, and on this shared two-core machine (load averages of 20 while the other
 * suites run) a burst can outrun the accept queue, so that a probe's SYN waits for the
 * kernel's retransmission. The figures printed say how often that happened.
 */
@ExtendWith(LeakCheck.class)
class SlowHttpTestTest {
    private static final int PER_MODE = 333;
    private static final int SECONDS = 12;

    @Test
    void slowhttptestInEveryModeLeavesTheServiceAvailable(@TempDir Path dir) throws Exception {
        assertThat(onPath("slowhttptest"))
                .as("slowhttptest is not installed: run scripts/install-test-deps.sh"
                        + " (or apt-get install slowhttptest)")
                .isTrue();
        HttpServer server = TestServers.start(
                IoMode.AUTO,
                s -> {
                    s.get("/hello", (req, res) -> res.send("hello"));
                    s.get("/big", (req, res) -> TestServers.streamPattern(res, 64L << 20, 16 * 1024));
                    s.post("/upload", (req, res) -> res.send("got " + req.body().length));
                },
                b -> b.headerTimeout(Duration.ofSeconds(2))
                        .writeTimeout(Duration.ofSeconds(1), 4096)
                        .minBodyRate(1024)
                        .connectionConfig(ConnectionConfig.DEFAULT.withHighWaterMark(64 * 1024, 16 * 1024)));
        String base = "http://127.0.0.1:" + server.port();
        List<Process> attacks = new ArrayList<>();
        OrdinaryClient.Latencies warmUp;
        OrdinaryClient.Latencies during;
        long closedByServer;
        long listenOverflows = listenOverflows();
        try {
            warmUp = OrdinaryClient.measure(
                    server, 2_000); // warms the ordinary client's paths, and is the unattacked baseline
            // The client has closed its sockets; the server's loop may not have seen the last FIN yet.
            long warmUpConnections = warmUp.connections();
            Clients.await(
                    Duration.ofSeconds(5),
                    "the warm-up's connections to close on the server",
                    () -> server.tcp().closedCount() == warmUpConnections);
            long closedBefore = server.tcp().closedCount();
            attacks.add(attack(dir, "slowloris", "-H", "-u", base + "/hello", "-i", "1"));
            attacks.add(attack(dir, "slowbody", "-B", "-u", base + "/upload", "-i", "1", "-s", "1000000"));
            attacks.add(attack(
                    dir,
                    "slowread",
                    "-X",
                    "-u",
                    base + "/big",
                    "-k",
                    "1",
                    "-n",
                    "1",
                    "-z",
                    "32",
                    "-w",
                    "512",
                    "-y",
                    "1024"));
            Thread.sleep(2_000); // the connections ramp up
            during = OrdinaryClient.measure(server, (SECONDS - 4) * 1000L);
            for (Process p : attacks) {
                assertThat(p.waitFor(SECONDS + 30, TimeUnit.SECONDS))
                        .as("slowhttptest ends at its time limit")
                        .isTrue();
            }
            // Closed by the server while the attack ran (slowhttptest closes its own only when it stops).
            closedByServer = server.tcp().closedCount() - closedBefore - during.connections();
        } finally {
            for (Process p : attacks) p.destroyForcibly().waitFor();
            server.close();
        }
        StringBuilder report = new StringBuilder();
        for (String mode : List.of("slowloris", "slowbody", "slowread")) {
            Stats st = Stats.read(dir.resolve(mode + ".csv"));
            report.append(mode).append(": ").append(st).append("; ");
            assertThat(st.secondsUnavailable)
                    .as(
                            "%s: seconds in which slowhttptest's probe found no service: %s",
                            mode, Files.readString(dir.resolve(mode + ".csv")))
                    .isLessThanOrEqualTo(st.seconds / 4);
            assertThat(st.maxConnected).as("%s: the attack connected", mode).isGreaterThan(PER_MODE / 3);
        }
        listenOverflows = listenOverflows() - listenOverflows;
        System.out.println("SlowHttpTestTest: " + report + "server closed " + closedByServer
                + " attacking connections; " + "ordinary client during the attack: " + during
                + "; listen queue overflows (machine-wide) " + listenOverflows);
        assertThat(closedByServer)
                .as("attacking connections the server closed while the attack ran")
                .isGreaterThan(3L * PER_MODE);
        assertThat(during.failures()).isZero();
        // Latency under attack is SlowClientsTest's to hold to a bound; here it is printed beside the unattacked
        // figure.
        System.out.println("SlowHttpTestTest: ordinary client unattacked: " + warmUp);
    }

    private static Process attack(Path dir, String name, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                "slowhttptest",
                "-c",
                Integer.toString(PER_MODE),
                "-r",
                "200",
                "-l",
                Integer.toString(SECONDS),
                "-p",
                "3",
                "-g",
                "-o",
                dir.resolve(name).toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile())
                .start();
    }

    /** slowhttptest's CSV: Seconds,Closed,Pending,Connected,Service Available (0 when its probe failed). */
    record Stats(int seconds, int maxConnected, int finalClosed, int secondsUnavailable) {
        static Stats read(Path csv) throws IOException {
            assertThat(csv).as("slowhttptest's statistics").exists();
            List<String> lines = Files.readAllLines(csv);
            int maxConnected = 0;
            int closed = 0;
            int unavailable = 0;
            int seconds = 0;
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                if (f.length < 5) continue;
                seconds = Integer.parseInt(f[0].trim());
                closed = Integer.parseInt(f[1].trim());
                maxConnected = Math.max(maxConnected, Integer.parseInt(f[3].trim()));
                // Second 0 is before the first probe: the column starts at 0 there, whatever the server.
                if (seconds > 0 && Integer.parseInt(f[4].trim()) == 0) unavailable++;
            }
            return new Stats(seconds, maxConnected, closed, unavailable);
        }

        @Override
        public String toString() {
            return seconds + " s, at most " + maxConnected + " connected, " + finalClosed + " closed, probe failed in "
                    + secondsUnavailable + " s";
        }
    }

    /** TcpExt ListenOverflows from /proc/net/netstat: connections the kernel dropped for a full accept queue. */
    private static long listenOverflows() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("/proc/net/netstat"));
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            if (!lines.get(i).startsWith("TcpExt:")) continue;
            List<String> names = List.of(lines.get(i).split(" "));
            return Long.parseLong(lines.get(i + 1).split(" ")[names.indexOf("ListenOverflows")]);
        }
        return -1;
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(d, program))) return true;
        }
        return false;
    }
}
