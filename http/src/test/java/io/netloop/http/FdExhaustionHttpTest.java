package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.testing.ChildJvm;
import io.netloop.testing.LeakCheck;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The descriptor limit reached and recovered from, for HTTP: a server in a child JVM with
 * RLIMIT_NOFILE just above its needs is flooded with connections; it must not spin, and once
 * the flood is gone, requests are answered again.
 */
@ExtendWith(LeakCheck.class)
class FdExhaustionHttpTest {
    private static final int HEADROOM = 16;
    private static final int FLOOD = 100;

    @Test
    void aFloodPastTheDescriptorLimitNeitherSpinsNorStopsTheServer() throws Exception {
        List<Socket> flood = new ArrayList<>();
        try (ChildJvm child = ChildJvm.start(List.of(), FdLimitedHttpMain.class, "PORT ", Integer.toString(HEADROOM))) {
            String[] ready = child.awaitReady(); // PORT n LIMIT m
            int port = Integer.parseInt(ready[1]);
            try {
                for (int i = 0; i < FLOOD; i++) {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                    s.getOutputStream()
                            .write("GET /hello HTTP/1.1\r\nHost: f\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    flood.add(s);
                }
                Thread.sleep(1_000); // the server meets the limit and settles
                long before = child.cpuTicks();
                Thread.sleep(2_000);
                double cpuSeconds = (child.cpuTicks() - before) / 100.0;
                System.out.printf(
                        "FdExhaustionHttpTest: %d connections against a limit of %s descriptors: %.2f CPU-seconds in 2"
                                + " s at the limit%n",
                        FLOOD, ready[3], cpuSeconds);
                assertThat(cpuSeconds)
                        .as("server CPU seconds during 2 s at the limit (a spin burns ~2)")
                        .isLessThan(0.5);
            } finally {
                for (Socket s : flood) s.close();
            }
            assertThat(answersSoon(port))
                    .as("requests are answered again once descriptors are free: %s", child.output())
                    .isTrue();
            assertThat(child.stop()).as("child output: %s", child.output()).isZero();
        }
    }

    /** A fresh connection gets a 200 within 10 s; connections the server sheds while it recovers are retried. */
    private static boolean answersSoon(int port) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(1_000);
                s.getOutputStream()
                        .write("GET /hello HTTP/1.1\r\nHost: f\r\nConnection: close\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                if (new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200"))
                    return true;
            } catch (IOException stillRecovering) {
                // closed or timed out: try again
            }
            Thread.sleep(100);
        }
        return false;
    }
}
