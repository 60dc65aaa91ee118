package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.IoMode;
import io.netloop.testing.LeakCheck;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link BodyWriter#every} and {@link BodyWriter#onClose}: a long-lived stream fed from the loop, cleaned up after. */
@ExtendWith(LeakCheck.class)
class OpenEndedStreamTest {

    @Test
    void aPeriodicFeedStopsAndItsCleanupRunsWhenTheClientGoesAway() throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        CountDownLatch closed = new CountDownLatch(1);
        try (HttpServer s = TestServers.start(
                IoMode.AUTO,
                x -> x.get("/feed", (req, res) -> {
                    BodyWriter out = res.type("text/event-stream").stream();
                    out.every(Duration.ofMillis(20), () -> out.write("data: " + ticks.incrementAndGet() + "\n\n"));
                    out.onClose(closed::countDown);
                }))) {
            try (RawClient c = RawClient.connect(s)) {
                c.send("GET /feed HTTP/1.1\r\nHost: t\r\n\r\n");
                BufferedReader r = new BufferedReader(new InputStreamReader(c.input(), StandardCharsets.US_ASCII));
                int events = 0;
                for (String line; events < 3 && (line = r.readLine()) != null; ) {
                    if (line.startsWith("data: ")) events++;
                }
                assertThat(events).isEqualTo(3);
            }
            assertThat(closed.await(10, TimeUnit.SECONDS))
                    .as("onClose ran after the client left")
                    .isTrue();
            int atClose = ticks.get();
            Thread.sleep(200); // ten periods: a feed still scheduled would tick again
            assertThat(ticks.get()).as("no tick after the close").isEqualTo(atClose);
        }
    }

    @Test
    void endingTheBodyStopsTheFeedWithoutCallingOnClose() throws Exception {
        AtomicInteger ticks = new AtomicInteger();
        AtomicInteger closes = new AtomicInteger();
        try (HttpServer s = TestServers.start(
                IoMode.AUTO,
                x -> x.get("/three", (req, res) -> {
                    BodyWriter out = res.stream();
                    out.onClose(closes::incrementAndGet);
                    int[] written = {0};
                    out.every(Duration.ofMillis(10), () -> {
                        out.write("tick\n");
                        ticks.incrementAndGet();
                        if (++written[0] == 3) out.end();
                    });
                }))) {
            try (RawClient c = RawClient.connect(s)) {
                RawClient.Resp r = c.get("/three");
                assertThat(r.text()).isEqualTo("tick\ntick\ntick\n");
                Thread.sleep(100);
                assertThat(ticks.get()).isEqualTo(3);
                assertThat(c.get("/three").text())
                        .as("the connection goes on to the next request")
                        .isEqualTo("tick\ntick\ntick\n");
            }
            assertThat(closes.get()).isZero();
        }
    }
}
