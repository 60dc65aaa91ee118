package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.IoMode;
import io.netloop.testing.LeakCheck;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The header-read timeout (slowloris) and the keep-alive idle timeout. */
@ExtendWith(LeakCheck.class)
class TimeoutTest {
    private static HttpServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(
                IoMode.AUTO,
                TestServers::demoRoutes,
                b -> b.headerTimeout(Duration.ofMillis(200)).idleTimeout(Duration.ofMillis(600)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aHeadThatDoesNotCompleteInTimeGets408AndClose() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            long start = System.nanoTime();
            c.send("GET /hello HTTP/1.1\r\nHost: t\r\n"); // ... and the rest never comes
            RawClient.Resp r = c.read();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.status()).isEqualTo(408);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(millis).isBetween(150L, 2000L);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aSlowlorisDrippingHeaderLinesStillTimesOut() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            c.send("GET /hello HTTP/1.1\r\n");
            for (int i = 0; i < 3; i++) {
                Thread.sleep(100);
                c.send("X-" + i + ": drip\r\n");
            }
            RawClient.Resp r = c.read();
            assertThat(r.status()).isEqualTo(408);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aStalledBodyGets408AndClose() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc");
            RawClient.Resp r = c.read();
            assertThat(r.status()).isEqualTo(408);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void anIdleKeepAliveConnectionIsClosed() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            assertThat(c.get("/hello").status()).isEqualTo(200);
            assertThat(c.staysOpen(300)).isTrue(); // shorter than the idle timeout
            assertThat(c.closedByServer()).isTrue(); // without any response
        }
    }

    @Test
    void aConnectionThatNeverSendsIsClosedAfterTheIdleTimeout() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void requestsWithinTheTimeoutsKeepTheConnection() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            for (int i = 0; i < 4; i++) {
                c.send("GET /hello HTTP/1.1\r\n");
                Thread.sleep(50);
                RawClient.Resp r = c.send("Host: t\r\n\r\n").read();
                assertThat(r.status()).isEqualTo(200);
                Thread.sleep(250); // idle, but under 600 ms
            }
        }
    }
}
