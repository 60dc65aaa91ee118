package io.netloop.apps.echo;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.IoMode;
import io.netloop.testing.AllTransports;
import io.netloop.testing.ChildJvm;
import io.netloop.testing.LeakCheck;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Out of descriptors, the acceptor must neither spin nor give up: an echo server in a child
 * process with RLIMIT_NOFILE just above its needs is flooded with connections.
 */
@ExtendWith(LeakCheck.class)
class FdExhaustionTest {
    private static final int HEADROOM = 16;
    private static final int FLOOD = 100;
    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

    @AllTransports
    void aFloodPastTheDescriptorLimitNeitherSpinsNorStopsTheServer(IoMode io) throws Exception {
        Process child = new ProcessBuilder(ChildJvm.command(
                        FdLimitedEchoMain.class,
                        List.of(ChildJvm.NATIVE_ACCESS, "-Xmx128m"),
                        io.label(),
                        Integer.toString(HEADROOM)))
                .redirectErrorStream(true)
                .start();
        List<String> output = new CopyOnWriteArrayList<>();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread pump = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(line);
                    if (line.startsWith("PORT ")) port.complete(Integer.parseInt(line.split(" ")[1]));
                }
            } catch (IOException ignored) {
                // the child went away
            }
            port.completeExceptionally(new AssertionError("child ended without a port: " + output));
        });
        List<Socket> flood = new ArrayList<>();
        try {
            int p = port.get(30, TimeUnit.SECONDS);
            for (int i = 0; i < FLOOD; i++) {
                Socket s = new Socket();
                s.connect(
                        new InetSocketAddress("127.0.0.1", p),
                        5_000); // the kernel completes it; accepting is the server's problem
                flood.add(s);
            }
            Thread.sleep(1_000); // let the server meet the limit and settle

            long cpuBefore = cpuTicks(child.pid());
            Thread.sleep(2_000);
            double cpuSeconds = (cpuTicks(child.pid()) - cpuBefore) / (double) CLOCK_TICKS_PER_SECOND;
            assertThat(cpuSeconds)
                    .as("server CPU seconds during 2 s at the limit (a spin burns ~2)")
                    .isLessThan(0.5);
            assertThat(output.stream()
                            .filter(l -> l.contains("closing new connections until descriptors free up"))
                            .count())
                    .as("the shortage is logged once, not per attempt: %s", output)
                    .isEqualTo(1);

            for (Socket s : flood) s.close();
            flood.clear();
            assertThat(echoSoon(p))
                    .as("service resumes once descriptors are free")
                    .isTrue();
        } finally {
            for (Socket s : flood) s.close();
            child.getOutputStream().close();
            if (!child.waitFor(20, TimeUnit.SECONDS)) child.destroyForcibly().waitFor();
            pump.join(5_000);
        }
        assertThat(child.exitValue()).as("child output: %s", output).isZero();
    }

    /** A fresh connection echoes within 10 s; connections closed by the server while it recovers are retried. */
    private static boolean echoSoon(int port) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(1_000);
                s.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                if (new String(s.getInputStream().readNBytes(4), StandardCharsets.US_ASCII).equals("ping")) return true;
            } catch (IOException stillRecovering) {
                // closed or timed out: try again
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** utime + stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
