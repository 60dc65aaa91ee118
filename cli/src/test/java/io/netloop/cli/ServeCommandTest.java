package io.netloop.cli;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The main job as a user runs it: {@code netloop serve}, a browser-like client, then SIGTERM. */
class ServeCommandTest {

    @Test
    void serveShowsTheDemoSiteAndStopsWithExitZeroOnSigterm() throws Exception {
        Process p = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--port", "0", "--access-log", "off"))
                .redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String banner = r.readLine();
            Matcher m = Pattern.compile("serving the demo site at (http://127\\.0\\.0\\.1:\\d+/) \\(epoll-lt, \\d+ loop\\(s\\).*")
                    .matcher(String.valueOf(banner));
            assertThat(m.matches()).as(banner).isTrue();
            try (HttpClient client = HttpClient.newHttpClient()) {
                HttpResponse<String> page = client.send(HttpRequest.newBuilder(URI.create(m.group(1))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
                assertThat(page.body()).contains("netloop");
                HttpResponse<String> plain = client.send(HttpRequest.newBuilder(URI.create(m.group(1) + "plaintext")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(plain.body()).isEqualTo("Hello, World!");
            }
            new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String rest = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(rest).isZero();
        } finally {
            p.destroyForcibly();
        }
    }
}
