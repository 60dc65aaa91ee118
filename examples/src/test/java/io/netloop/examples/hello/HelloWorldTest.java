package io.netloop.examples.hello;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.http.HttpServer;
import io.netloop.testing.LeakCheck;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class HelloWorldTest {

    @Test
    void answersHelloWorld() throws Exception {
        try (HttpServer server = HelloWorld.start(0);
                HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> hello = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(hello.statusCode()).isEqualTo(200);
            assertThat(hello.body()).isEqualTo("Hello, world!");
        }
    }
}
