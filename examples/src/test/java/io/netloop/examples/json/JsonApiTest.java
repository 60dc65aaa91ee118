package io.netloop.examples.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.http.HttpServer;
import io.netloop.testing.LeakCheck;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class JsonApiTest {

    @Test
    void storesAndReadsBackAGreeting() throws Exception {
        try (HttpServer server = JsonApi.start(0, new GreetingStore(Duration.ofMillis(5)));
                HttpClient client = HttpClient.newHttpClient()) {
            String base = "http://127.0.0.1:" + server.port() + "/greetings/";
            HttpResponse<String> missing = client.send(get(base + "ada"), HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).isEqualTo("{\"error\":\"no greeting for ada\"}");

            HttpResponse<String> stored = client.send(
                    put(base + "ada", "{\"name\":\"ada\",\"text\":\"Hello, Ada!\"}"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(stored.statusCode()).isEqualTo(200);

            HttpResponse<String> read = client.send(get(base + "ada"), HttpResponse.BodyHandlers.ofString());
            assertThat(read.statusCode()).isEqualTo(200);
            assertThat(read.headers().firstValue("content-type")).hasValue("application/json");
            assertThat(read.body()).isEqualTo("{\"name\":\"ada\",\"text\":\"Hello, Ada!\"}");
        }
    }

    @Test
    void refusesWhatIsNotAGreeting() throws Exception {
        try (HttpServer server = JsonApi.start(0, new GreetingStore(Duration.ZERO));
                HttpClient client = HttpClient.newHttpClient()) {
            String base = "http://127.0.0.1:" + server.port() + "/greetings/";
            assertThat(client.send(put(base + "ada", "{not json"), HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(400);
            assertThat(client.send(
                                    put(base + "ada", "{\"name\":\"bob\",\"text\":\"hi\"}"),
                                    HttpResponse.BodyHandlers.ofString())
                            .body())
                    .contains("differ");
        }
    }

    /** Every request blocks in the store at once: on virtual threads, none waits for another's thread. */
    @Test
    void manyBlockingRequestsAtOnce() throws Exception {
        try (HttpServer server = JsonApi.start(0, new GreetingStore(Duration.ofMillis(50)));
                HttpClient client = HttpClient.newHttpClient()) {
            String base = "http://127.0.0.1:" + server.port() + "/greetings/";
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                answers.add(client.sendAsync(
                        put(base + "n" + i, "{\"name\":\"n" + i + "\",\"text\":\"hi " + i + "\"}"),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (int i = 0; i < answers.size(); i++) {
                HttpResponse<String> r = answers.get(i).get();
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).contains("\"hi " + i + "\"");
            }
        }
    }

    private static HttpRequest get(String uri) {
        return HttpRequest.newBuilder(URI.create(uri)).build();
    }

    private static HttpRequest put(String uri, String json) {
        return HttpRequest.newBuilder(URI.create(uri))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }
}
