package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.IoMode;
import io.netloop.testing.LeakCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Graceful shutdown and the access log. */
@ExtendWith(LeakCheck.class)
class LifecycleTest {

    @Test
    void shutdownLetsTheRequestInFlightFinishAndClosesIdleConnections() throws Exception {
        HttpServer s = TestServers.start(IoMode.AUTO, x -> {
            TestServers.demoRoutes(x);
            x.get("/slow", (req, res) -> {
                BodyWriter w = res.stream();
                x.tcp()
                        .loop()
                        .schedule(
                                () -> {
                                    w.write("finished");
                                    w.end();
                                },
                                300,
                                TimeUnit.MILLISECONDS);
            });
        });
        try (RawClient idle = RawClient.connect(s);
                RawClient busy = RawClient.connect(s)) {
            assertThat(idle.get("/hello").status()).isEqualTo(200);
            busy.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
            Thread.sleep(50);
            CompletableFuture<Boolean> stopped = CompletableFuture.supplyAsync(() -> {
                try {
                    return s.shutdown(Duration.ofSeconds(5));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(idle.closedByServer()).isTrue();
            RawClient.Resp r = busy.read();
            assertThat(r.text()).isEqualTo("finished");
            assertThat(busy.closedByServer()).isTrue();
            assertThat(stopped.get(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            s.close();
        }
    }

    @Test
    void shutdownStopsAccepting() throws Exception {
        HttpServer s = TestServers.start(IoMode.AUTO, TestServers::demoRoutes);
        int port = s.port();
        assertThat(s.shutdown(Duration.ofSeconds(1))).isTrue();
        assertThat(canConnect(port)).isFalse();
    }

    private static boolean canConnect(int port) {
        try (RawClient c = new RawClient(port)) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void theAccessLogWritesOneCombinedLinePerResponse(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("access.log");
        AccessLog log = AccessLog.toFile(file);
        try (HttpServer s = TestServers.start(IoMode.AUTO, TestServers::demoRoutes, b -> b.accessLog(log));
                RawClient c = RawClient.connect(s)) {
            c.send("GET /hello?x=\"1\" HTTP/1.1\r\nHost: t\r\nReferer: http://r/\r\nUser-Agent: test \"agent\"\r\n\r\n")
                    .read();
            c.get("/nowhere");
        }
        log.close();
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0))
                .matches("127\\.0\\.0\\.1 - - \\[\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000\\] "
                        + "\"GET /hello\\?x=\\\\\"1\\\\\" HTTP/1\\.1\" 200 5 \"http://r/\" \"test \\\\\"agent\\\\\"\"");
        assertThat(lines.get(1)).contains("\"GET /nowhere HTTP/1.1\" 404 ");
        assertThat(log.droppedCount()).isZero();
    }

    @Test
    void bytesBeyondAsciiAndBackslashesAreEscapedInTheAccessLog(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("access.log");
        AccessLog log = AccessLog.toFile(file);
        try (HttpServer s = TestServers.start(IoMode.AUTO, TestServers::demoRoutes, b -> b.accessLog(log));
                java.net.Socket c = io.netloop.testing.Clients.connect(s.port())) {
            byte[] head = "GET /hello HTTP/1.1\r\nHost: t\r\nUser-Agent: caf\u00e9 a\\b\tc\r\nConnection: close\r\n\r\n"
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            c.getOutputStream().write(head);
            c.getInputStream().readAllBytes();
        }
        log.close();
        assertThat(Files.readAllLines(file, java.nio.charset.StandardCharsets.ISO_8859_1))
                .singleElement()
                .asString()
                .endsWith("\"GET /hello HTTP/1.1\" 200 5 \"-\" \"caf\\xe9 a\\\\b\\x09c\"");
    }
}
