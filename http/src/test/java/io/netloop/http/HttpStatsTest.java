package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.netloop.core.loop.IoMode;
import io.netloop.testing.LeakCheck;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link HttpServer#stats()}: the per-loop HTTP counters follow known traffic. */
@ExtendWith(LeakCheck.class)
class HttpStatsTest {

    @Test
    void countsConnectionsResponsesByClassAndLatencyPerLoop() throws Exception {
        try (HttpServer s = TestServers.start(IoMode.AUTO, TestServers::demoRoutes, b -> b.threads(2))) {
            HttpStats before = s.stats();
            assertThat(before.loops()).hasSize(2);
            assertThat(before.http().requests()).isZero();
            try (RawClient a = RawClient.connect(s);
                    RawClient b = RawClient.connect(s)) {
                for (int i = 0; i < 3; i++) assertThat(a.get("/hello").status()).isEqualTo(200);
                assertThat(b.get("/nowhere").status()).isEqualTo(404);
                assertThat(b.get("/boom").status()).isEqualTo(500);
                // A monitoring read: the loop counts a response just after queueing it, so wait for the last one.
                io.netloop.testing.Clients.await(
                        java.time.Duration.ofSeconds(5),
                        "five responses counted",
                        () -> s.stats().http().requests() == 5);
                HttpLoopStats.Snapshot now = s.stats().http();
                assertThat(now.opened()).isEqualTo(2);
                assertThat(now.open()).isEqualTo(2);
                assertThat(now.byClass()).containsExactly(0, 3, 0, 1, 1);
                assertThat(Arrays.stream(now.latencyBuckets()).sum()).isEqualTo(5);
                assertThat(now.latencySumNanos()).isPositive();
                // handoff round-robin: one connection per loop
                assertThat(s.stats().loops())
                        .allSatisfy(l -> assertThat(l.http().opened()).isEqualTo(1));
            }
            io.netloop.testing.Clients.await(
                    java.time.Duration.ofSeconds(5),
                    "both connections closed",
                    () -> s.stats().http().open() == 0);
            assertThat(s.stats().io().bytesIn()).isPositive();
        }
    }

    @Test
    void aConnectionClosedBeforeItWasEstablishedIsNotCounted() throws Exception {
        io.netloop.core.proxy.ProxyProtocol proxy =
                io.netloop.core.proxy.ProxyProtocol.trusting(io.netloop.core.proxy.TrustedProxies.parse("127.0.0.1"));
        try (HttpServer s = TestServers.start(IoMode.AUTO, TestServers::demoRoutes, b -> b.proxyProtocol(proxy))) {
            try (RawClient c = RawClient.connect(s)) {
                c.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n"); // no PROXY header: closed at once
                assertThat(c.closedByServer()).isTrue();
            }
            try (RawClient c = RawClient.connect(s)) {
                c.send("PROXY TCP4 192.0.2.7 127.0.0.1 5000 80\r\nGET /hello HTTP/1.1\r\nHost: t\r\n\r\n");
                assertThat(c.read().status()).isEqualTo(200);
            }
            io.netloop.testing.Clients.await(
                    java.time.Duration.ofSeconds(5),
                    "both connections closed",
                    () -> s.tcp().openCount() == 0);
            io.netloop.testing.Clients.await(
                    java.time.Duration.ofSeconds(5),
                    "the close counted",
                    () -> s.stats().http().closed() >= 1);
            HttpLoopStats.Snapshot http = s.stats().http();
            assertThat(http.opened()).isEqualTo(1);
            assertThat(http.closed()).isEqualTo(1);
            assertThat(http.open()).isZero();
        }
    }

    @Test
    void quantilesInterpolateWithinBuckets() {
        double[] bounds = HttpLoopStats.latencyBounds();
        long[] buckets = new long[bounds.length + 1];
        buckets[2] = 100; // all in (1 ms, 2.5 ms]
        HttpLoopStats.Snapshot s = new HttpLoopStats.Snapshot(0, 0, new long[5], buckets, 0);
        assertThat(s.latencyQuantile(0.5)).isCloseTo(0.00175, within(1e-9));
        assertThat(s.latencyQuantile(0.99)).isCloseTo(0.001 + 0.0015 * 0.99, within(1e-9));
        buckets[bounds.length] = 100; // half above the highest bound
        assertThat(s.latencyQuantile(0.99)).isEqualTo(bounds[bounds.length - 1]);
        assertThat(HttpLoopStats.Snapshot.EMPTY.latencyQuantile(0.5)).isZero();
    }
}
