package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.IoMode;
import io.netloop.testing.LeakCheck;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The minimum body rate: a body trickled slower than it gets 408 even though no single pause
 * reaches the header timeout; a body at a modest but sufficient rate is read to the end.
 */
@ExtendWith(LeakCheck.class)
class BodyRateTest {
    private static HttpServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(
                IoMode.AUTO,
                TestServers::demoRoutes,
                b -> b.headerTimeout(Duration.ofMillis(800)).minBodyRate(1000));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aBodyTrickledUnderTheMinimumRateGets408() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n");
            long start = System.nanoTime();
            RawClient.Resp r = null;
            // 10 bytes every 200 ms: 50 bytes/s, pauses a quarter of the header timeout.
            for (int i = 0; i < 100 && r == null; i++) {
                try {
                    c.send("0123456789");
                } catch (java.io.IOException closed) {
                    break;
                }
                if (c.input().available() > 0) r = c.read();
                else Thread.sleep(200);
            }
            if (r == null) r = c.read();
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.status()).isEqualTo(408);
            assertThat(millis)
                    .as("cut off after the header timeout's grace and what the few bytes bought")
                    .isLessThan(10_000);
        }
    }

    @Test
    void aBodyAtASufficientRateIsReadToTheEnd() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            int pieces = 25;
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " + pieces * 500 + "\r\n\r\n");
            for (int i = 0; i < pieces; i++) { // 500 bytes every 100 ms: 5,000 bytes/s for 2.5 s
                c.send("x".repeat(500));
                Thread.sleep(100);
            }
            RawClient.Resp r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).hasSize(pieces * 500);
        }
    }
}
