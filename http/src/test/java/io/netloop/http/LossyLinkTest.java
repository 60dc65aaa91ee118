package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.testing.ChildJvm;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Byte-exact transfers over a lossy, slow link: the server runs in a child process inside
 * a network namespace joined to this one by a veth pair, whose packets are dropped at random
 * (2 % each way) and whose rate is limited with a queue (so bursts are delayed, and dropped
 * when it overflows). A 20 MiB download and an echo of 4 MiB must arrive with the right
 * checksums.
 *
 * <p>The loss is made with nftables ({@code numgen random mod 100 < 2 drop}) and the rate
 * with tbf, because this machine's kernel has no netem (tc's "delay 20ms loss 2%" is refused
 * with "Specified qdisc kind is unknown"). If the kernel refuses network namespaces (no
 * privilege, or a sandbox), the test is skipped with the reason printed. The namespace and
 * the veth pair are removed after the test whatever its outcome.
 */
@ExtendWith(LeakCheck.class)
class LossyLinkTest {
    private static final long DOWNLOAD = 20L << 20;
    private static final int ECHO = 4 << 20;
    private static final String NS = "nl-lossy-" + ProcessHandle.current().pid();
    private static final String VETH_HERE = "nll0-" + ProcessHandle.current().pid() % 100_000;
    private static final String VETH_THERE = "nll1-" + ProcessHandle.current().pid() % 100_000;
    private static final int SUBNET = (int) (ProcessHandle.current().pid() % 200) + 20;
    private static final String HERE = "10.213." + SUBNET + ".1";
    private static final String THERE = "10.213." + SUBNET + ".2";

    private static ChildJvm server;
    private static int httpPort;
    private static int echoPort;

    @BeforeAll
    static void setUp() throws Exception {
        for (String tool : List.of("ip", "tc", "nft")) {
            assertThat(onPath(tool))
                    .as(
                            "%s is not installed: run scripts/install-test-deps.sh (apt-get install iproute2 nftables)",
                            tool)
                    .isTrue();
        }
        String refused = run("ip", "netns", "add", NS);
        if (refused != null) {
            String why = "LossyLinkTest skipped: the kernel refuses network namespaces here (ip netns add: "
                    + refused.strip() + ")";
            System.out.println(why);
            Assumptions.abort(why);
        }
        try {
            must("ip", "link", "add", VETH_HERE, "type", "veth", "peer", "name", VETH_THERE);
            must("ip", "link", "set", VETH_THERE, "netns", NS);
            must("ip", "addr", "add", HERE + "/24", "dev", VETH_HERE);
            must("ip", "link", "set", VETH_HERE, "up");
            inNs("ip", "addr", "add", THERE + "/24", "dev", VETH_THERE);
            inNs("ip", "link", "set", VETH_THERE, "up");
            inNs("ip", "link", "set", "lo", "up");
            // Slow: 40 Mbit/s each way, with up to 20 ms of queue before tail drops.
            must(
                    "tc", "qdisc", "add", "dev", VETH_HERE, "root", "tbf", "rate", "40mbit", "burst", "32kb", "latency",
                    "20ms");
            inNs(
                    "tc",
                    "qdisc",
                    "add",
                    "dev",
                    VETH_THERE,
                    "root",
                    "tbf",
                    "rate",
                    "40mbit",
                    "burst",
                    "32kb",
                    "latency",
                    "20ms");
            // Lossy: 2 % of the packets in and out of the namespace dropped at random.
            inNs("nft", "add", "table", "inet", "lossy");
            inNs("nft", "add", "chain", "inet", "lossy", "in", "{ type filter hook input priority 0; }");
            inNs("nft", "add", "chain", "inet", "lossy", "out", "{ type filter hook output priority 0; }");
            inNs("nft", "add", "rule", "inet", "lossy", "in", "numgen random mod 100 < 2 drop");
            inNs("nft", "add", "rule", "inet", "lossy", "out", "numgen random mod 100 < 2 drop");
            startServer();
        } catch (Throwable t) {
            tearDown();
            throw t;
        }
    }

    private static void startServer() throws Exception {
        server = ChildJvm.start(
                List.of("ip", "netns", "exec", NS), LossyLinkServerMain.class, "PORTS ", Long.toString(DOWNLOAD));
        String[] ready = server.awaitReady(); // PORTS http echo
        httpPort = Integer.parseInt(ready[1]);
        echoPort = Integer.parseInt(ready[2]);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (server != null) {
            server.close();
            server = null;
        }
        run("ip", "netns", "del", NS);
        run(
                "ip", "link", "del",
                VETH_HERE); // gone with the namespace's end, unless the kernel is still tearing it down
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(THERE, port), 10_000);
        s.setSoTimeout(60_000);
        return s;
    }

    @Test
    void aLargeDownloadArrivesByteExact() throws Exception {
        long retransmitsBefore = retransmits();
        long start = System.nanoTime();
        CRC32C got = new CRC32C();
        long n = 0;
        try (Socket s = connect(httpPort)) {
            s.getOutputStream()
                    .write(("GET /download HTTP/1.1\r\nHost: " + THERE + "\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200").contains("Content-Length: " + DOWNLOAD);
            byte[] b = new byte[64 * 1024];
            for (int r; (r = in.read(b)) > 0; ) {
                got.update(b, 0, r);
                n += r;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        CRC32C expected = new CRC32C();
        byte[] pattern = new byte[251 * 1024];
        for (int i = 0; i < pattern.length; i++) pattern[i] = (byte) (i % 251);
        for (long left = DOWNLOAD; left > 0; left -= pattern.length)
            expected.update(pattern, 0, (int) Math.min(pattern.length, left));
        System.out.printf(
                "LossyLinkTest: %d MiB download over the lossy link in %.1f s (%.1f MiB/s), %d segments retransmitted"
                        + " by the server%n",
                DOWNLOAD >> 20, seconds, (DOWNLOAD >> 20) / seconds, retransmits() - retransmitsBefore);
        assertThat(n).isEqualTo(DOWNLOAD);
        assertThat(got.getValue()).as("CRC32C of the download").isEqualTo(expected.getValue());
    }

    @Test
    void anEchoOfSeveralMegabytesComesBackByteExact() throws Exception {
        byte[] data = new byte[ECHO];
        new Random(7).nextBytes(data);
        long start = System.nanoTime();
        byte[] back;
        try (Socket s = connect(echoPort)) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    for (int off = 0; off < data.length; off += 16 * 1024)
                        out.write(data, off, Math.min(16 * 1024, data.length - off));
                    s.shutdownOutput(); // the echo server finishes sending, then closes
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            back = Clients.readToEnd(s);
            writer.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("LossyLinkTest: %d MiB echoed over the lossy link in %.1f s%n", ECHO >> 20, seconds);
        assertThat(back.length).isEqualTo(data.length);
        CRC32C sent = new CRC32C();
        sent.update(data);
        CRC32C got = new CRC32C();
        got.update(back);
        assertThat(got.getValue()).as("CRC32C of the echo").isEqualTo(sent.getValue());
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        while (b.length() < 4 || !b.substring(b.length() - 4).equals("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) throw new IOException("closed in the head: " + b);
            b.append((char) c);
        }
        return b.toString();
    }

    /** TcpRetransSegs inside the namespace: the server's side of the link. */
    private static long retransmits() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "netns", "exec", NS, "cat", "/proc/net/snmp")
                .redirectErrorStream(true)
                .start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)
                .lines()
                .toList();
        p.waitFor();
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).startsWith("Tcp:") && lines.get(i + 1).startsWith("Tcp:")) {
                List<String> names = List.of(lines.get(i).split(" "));
                return Long.parseLong(lines.get(i + 1).split(" ")[names.indexOf("RetransSegs")]);
            }
        }
        return -1;
    }

    private static void inNs(String... cmd) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", NS));
        full.addAll(List.of(cmd));
        must(full.toArray(String[]::new));
    }

    private static void must(String... cmd) throws IOException, InterruptedException {
        String failed = run(cmd);
        if (failed != null) throw new IOException(String.join(" ", cmd) + " failed: " + failed);
    }

    /** Runs a command; null when it succeeded, else its output. */
    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return p.waitFor() == 0 ? null : out;
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv()
                .getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")
                .split(":")) {
            if (Files.isExecutable(Path.of(d, program))) return true;
        }
        return false;
    }
}
