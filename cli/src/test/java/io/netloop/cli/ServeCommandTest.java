package io.netloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The main job as a user runs it: {@code netloop serve}, a browser-like client, then SIGTERM. */
class ServeCommandTest {

    @Test
    void serveShowsTheDemoSiteAndStopsWithExitZeroOnSigterm() throws Exception {
        try (ServeProcess p = ServeProcess.start("serve", "--port", "0", "--access-log", "off")) {
            String banner = p.banner();
            Matcher m = Pattern.compile(
                            "serving the demo site at (http://127\\.0\\.0\\.1:\\d+/) \\(epoll-lt, \\d+ loop\\(s\\).*")
                    .matcher(String.valueOf(banner));
            assertThat(m.matches()).as(banner).isTrue();
            try (HttpClient client = HttpClient.newHttpClient()) {
                HttpResponse<String> page = client.send(
                        HttpRequest.newBuilder(URI.create(m.group(1))).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.headers().firstValue("content-type"))
                        .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
                assertThat(page.body()).contains("netloop");
                HttpResponse<String> plain = client.send(
                        HttpRequest.newBuilder(URI.create(m.group(1) + "plaintext"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(plain.body()).isEqualTo("Hello, World!");
            }
            p.stopAndExpectExitZero();
        }
    }

    /** {@code --cors}: a listed origin's preflight is answered and its requests marked; another's are not. */
    @Test
    void corsLetsTheListedOriginsReadResponses() throws Exception {
        try (ServeProcess p = ServeProcess.start(
                "serve",
                "--port",
                "0",
                "--access-log",
                "off",
                "--cors",
                "https://app.example",
                "http://localhost:3000")) {
            String site = p.url(0);
            try (HttpClient client = HttpClient.newHttpClient()) {
                HttpResponse<String> preflight = client.send(
                        HttpRequest.newBuilder(URI.create(site + "plaintext"))
                                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                                .header("Origin", "http://localhost:3000")
                                .header("Access-Control-Request-Method", "GET")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(preflight.statusCode()).isEqualTo(204);
                assertThat(preflight.headers().firstValue("access-control-allow-origin"))
                        .hasValue("http://localhost:3000");
                assertThat(preflight.headers().firstValue("access-control-allow-methods"))
                        .hasValue("GET, HEAD, POST");
                assertThat(preflight.headers().firstValue("access-control-max-age"))
                        .isPresent();

                HttpResponse<String> allowed = client.send(
                        HttpRequest.newBuilder(URI.create(site + "plaintext"))
                                .header("Origin", "https://app.example")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(allowed.body()).isEqualTo("Hello, World!");
                assertThat(allowed.headers().firstValue("access-control-allow-origin"))
                        .hasValue("https://app.example");
                assertThat(allowed.headers().allValues("vary")).contains("Origin");

                HttpResponse<String> other = client.send(
                        HttpRequest.newBuilder(URI.create(site + "plaintext"))
                                .header("Origin", "https://elsewhere.example")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(other.statusCode()).isEqualTo(200);
                assertThat(other.headers().firstValue("access-control-allow-origin"))
                        .isEmpty();
            }
            p.stopAndExpectExitZero();
        }
    }
}
