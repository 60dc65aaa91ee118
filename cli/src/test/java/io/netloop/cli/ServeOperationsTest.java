package io.netloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code netloop serve} in production: the admin port, a drain on SIGTERM, and processes sharing a port. */
class ServeOperationsTest {

    private static HttpResponse<String> get(HttpClient client, String url) throws IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void sigtermFailsReadinessForTheDrainDelayThenExitsZero() throws Exception {
        try (ServeProcess p = ServeProcess.start(
                        "serve",
                        "--port",
                        "0",
                        "--admin-port",
                        "0",
                        "--access-log",
                        "off",
                        "--drain-delay",
                        "2s",
                        "--drain-timeout",
                        "5s");
                HttpClient client = HttpClient.newHttpClient()) {
            String site = p.url(0);
            String admin = p.url(1);
            assertThat(admin).isNotEqualTo(site);
            assertThat(get(client, admin + "readyz").statusCode()).isEqualTo(200);
            assertThat(get(client, admin + "metrics").body()).contains("# TYPE netloop_http_requests_total counter");
            assertThat(get(client, site + "hello/you").body()).isEqualTo("Hello, you!\n");

            long start = System.nanoTime();
            p.sigterm();
            int status = 200;
            while (status == 200 && System.nanoTime() - start < 10_000_000_000L) {
                status = get(client, admin + "readyz").statusCode();
                if (status == 200) Thread.sleep(20);
            }
            assertThat(status).as("readiness fails after SIGTERM").isEqualTo(503);
            // Still serving during the delay, each answer asking the client to leave.
            HttpResponse<String> during = get(client, site + "hello/again");
            assertThat(during.statusCode()).isEqualTo(200);
            assertThat(p.awaitExit()).as(String.join("\n", p.output)).isZero();
            assertThat(p.output).anyMatch(l -> l.contains("draining"));
        }
    }

    @Test
    void reuseportLetsTwoProcessesShareOnePortAndTheKernelSpreadsConnections() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (ServeProcess a =
                        ServeProcess.start("serve", "--port", Integer.toString(port), "--reuseport", "--threads", "1");
                ServeProcess b = ServeProcess.start(
                        "serve", "--port", Integer.toString(port), "--reuseport", "--threads", "1")) {
            assertThat(a.banner()).contains("SO_REUSEPORT");
            assertThat(b.banner()).startsWith("serving ");
            int n = 40;
            for (int i = 0; i < n; i++) {
                // A new connection each time: the kernel picks a listener per connection.
                try (HttpClient client = HttpClient.newHttpClient()) {
                    assertThat(get(client, "http://127.0.0.1:" + port + "/hello/n" + i)
                                    .statusCode())
                            .isEqualTo(200);
                }
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (count(a) + count(b) < n && System.nanoTime() < deadline) Thread.sleep(20);
            assertThat(count(a) + count(b)).isEqualTo(n);
            assertThat(count(a)).as("served by the first process").isPositive();
            assertThat(count(b)).as("served by the second process").isPositive();
            a.sigterm();
            b.sigterm();
            assertThat(a.awaitExit()).isZero();
            assertThat(b.awaitExit()).isZero();
        }
    }

    private static long count(ServeProcess p) {
        return p.output.stream().filter(l -> l.contains("\"GET /hello/n")).count();
    }
}
