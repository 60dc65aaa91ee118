package io.netloop.http.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netloop.core.loop.IoMode;
import io.netloop.http.HttpServer;
import io.netloop.testing.LeakCheck;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The admin endpoints: probes, and metrics that a strict parser accepts and that follow known traffic. */
@ExtendWith(LeakCheck.class)
class AdminTest {

    static HttpServer site(int threads) {
        HttpServer s =
                HttpServer.builder().port(0).io(IoMode.AUTO).threads(threads).build();
        s.get("/hello", (req, res) -> res.send("hello"));
        return s;
    }

    static HttpResponse<String> get(HttpClient client, int port, String path) throws IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void metricsParseStrictlyAndMoveAfterKnownTraffic() throws Exception {
        HttpServer s = site(2);
        Admin.onPath(s, "/_netloop");
        try (s;
                HttpClient client = HttpClient.newHttpClient()) {
            s.start();
            HttpResponse<String> first = get(client, s.port(), "/_netloop/metrics");
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(first.headers().firstValue("content-type")).hasValue(PrometheusText.CONTENT_TYPE);
            Map<String, PrometheusParser.Family> before = PrometheusParser.parse(first.body());

            for (int i = 0; i < 5; i++)
                assertThat(get(client, s.port(), "/hello").statusCode()).isEqualTo(200);
            for (int i = 0; i < 2; i++)
                assertThat(get(client, s.port(), "/nowhere").statusCode()).isEqualTo(404);
            // A monitoring read: a loop counts a response just after queueing it, so a scrape may
            // briefly lag the client; scrape again until the misses show (each scrape is one more 2xx).
            Map<String, PrometheusParser.Family> after;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            do {
                after = PrometheusParser.parse(
                        get(client, s.port(), "/_netloop/metrics").body());
            } while (delta(before, after, "netloop_http_requests_total", "code", "4xx") < 2
                    && System.nanoTime() < deadline);

            // The five greetings and the first scrape at least; the two misses.
            double ok = delta(before, after, "netloop_http_requests_total", "code", "2xx");
            assertThat(ok).isGreaterThanOrEqualTo(6);
            assertThat(delta(before, after, "netloop_http_requests_total", "code", "4xx"))
                    .isEqualTo(2);
            assertThat(delta(before, after, "netloop_http_requests_total", "code", "5xx"))
                    .isZero();
            assertThat(delta(before, after, "netloop_http_request_duration_seconds_count"))
                    .isEqualTo(ok + 2);
            assertThat(after.get("netloop_http_request_duration_seconds")
                            .value(
                                    "netloop_http_request_duration_seconds_bucket",
                                    "loop",
                                    s.tcp().loops().getFirst().name(),
                                    "le",
                                    "+Inf"))
                    .isGreaterThanOrEqualTo(0);
            assertThat(delta(before, after, "netloop_bytes_received_total")).isPositive();
            assertThat(delta(before, after, "netloop_bytes_sent_total")).isPositive();
            assertThat(delta(before, after, "netloop_loop_wakeups_total")).isPositive();
            assertThat(delta(before, after, "netloop_loop_busy_seconds_total")).isPositive();
            assertThat(after.get("netloop_connections_accepted_total").sum("netloop_connections_accepted_total"))
                    .isPositive();
            assertThat(after.get("netloop_connections_open").sum("netloop_connections_open"))
                    .isPositive();
            assertThat(after.get("netloop_connections_open").samples()).hasSize(2); // one per loop
            assertThat(after.get("netloop_ready").value("netloop_ready")).isEqualTo(1);
            assertThat(after.get("process_open_fds").value("process_open_fds")).isPositive();
            assertThat(after.get("netloop_heap_used_bytes").value("netloop_heap_used_bytes"))
                    .isPositive();
            assertThat(after.get("netloop_worker_queue_depth").value("netloop_worker_queue_depth"))
                    .isZero();
            for (String counter : after.keySet()) {
                if (counter.endsWith("_total"))
                    assertThat(after.get(counter).type()).isEqualTo("counter");
            }
        }
    }

    /** The change of the samples named {@code sample} (of a family, or a histogram's _count) with {@code labels}. */
    private static double delta(
            Map<String, PrometheusParser.Family> before,
            Map<String, PrometheusParser.Family> after,
            String sample,
            String... labels) {
        String family = sample.endsWith("_count") ? sample.substring(0, sample.length() - "_count".length()) : sample;
        return after.get(family).sum(sample, labels) - before.get(family).sum(sample, labels);
    }

    @Test
    void readinessFailsWhenTheDrainBeginsWhileLivenessHolds() throws Exception {
        HttpServer s = site(1);
        Admin admin = Admin.onPort(s, "127.0.0.1", 0);
        try (s;
                admin;
                HttpClient client = HttpClient.newHttpClient()) {
            s.start();
            admin.start();
            assertThat(admin.port()).isNotEqualTo(s.port());
            assertThat(get(client, admin.port(), "/healthz").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = get(client, admin.port(), "/readyz");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("ready\n");
            assertThat(get(client, s.port(), "/readyz").statusCode())
                    .as("not on the main port")
                    .isEqualTo(404);

            CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return s.drain(Duration.ofSeconds(2), Duration.ofSeconds(2));
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    Thread::startVirtualThread);
            io.netloop.testing.Clients.await(Duration.ofSeconds(5), "readiness to fail", () -> !s.isReady());
            HttpResponse<String> notReady = get(client, admin.port(), "/readyz");
            assertThat(notReady.statusCode()).isEqualTo(503);
            assertThat(notReady.body()).isEqualTo("not ready\n");
            assertThat(get(client, admin.port(), "/healthz").statusCode())
                    .as("alive while draining")
                    .isEqualTo(200);
            assertThat(PrometheusParser.parse(
                                    get(client, admin.port(), "/metrics").body())
                            .get("netloop_draining")
                            .value("netloop_draining"))
                    .isEqualTo(1);
            assertThat(drained.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(get(client, admin.port(), "/healthz").statusCode())
                    .as("its loops have stopped")
                    .isEqualTo(503);
        }
    }

    @Test
    void theAdminPathMustBeAPrefix() {
        HttpServer s = site(1);
        assertThatThrownBy(() -> Admin.onPath(s, "/")).hasMessageContaining("must not be '/'");
        assertThatThrownBy(() -> Admin.onPath(s, "admin")).hasMessageContaining("must start with '/'");
    }

    @Test
    void connectionsOverTheLimitAreCountedInTheMetrics() throws Exception {
        HttpServer s = HttpServer.builder()
                .port(0)
                .io(IoMode.AUTO)
                .threads(1)
                .maxConnections(1)
                .build();
        s.get("/hello", (req, res) -> res.send("hello"));
        Admin admin = Admin.onPort(s, "127.0.0.1", 0); // its own listener: the main port's limit does not apply
        try (s;
                HttpClient client = HttpClient.newHttpClient()) {
            s.start();
            admin.start();
            try (java.net.Socket held = new java.net.Socket("127.0.0.1", s.port());
                    java.net.Socket over = new java.net.Socket("127.0.0.1", s.port())) {
                held.getOutputStream()
                        .write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
                                .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                assertThat(new String(held.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII))
                        .isEqualTo("HTTP/1.1 200");
                over.setSoTimeout(10_000);
                assertThat(new String(over.getInputStream().readNBytes(12), java.nio.charset.StandardCharsets.US_ASCII))
                        .isEqualTo("HTTP/1.1 503");
                Map<String, PrometheusParser.Family> m = PrometheusParser.parse(
                        get(client, admin.port(), "/metrics").body());
                assertThat(m.get("netloop_connections_rejected_total").type()).isEqualTo("counter");
                assertThat(m.get("netloop_connections_rejected_total").value("netloop_connections_rejected_total"))
                        .isEqualTo(1);
            } finally {
                admin.close();
            }
        }
    }
}
