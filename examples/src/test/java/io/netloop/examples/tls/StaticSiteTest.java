package io.netloop.examples.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.http.HttpServer;
import io.netloop.testing.LeakCheck;
import io.netloop.testing.TestCertificate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(LeakCheck.class)
class StaticSiteTest {

    @Test
    void servesTheFilesOverHttps(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("index.html"), "<!doctype html><title>site</title><p>welcome");
        Files.createDirectory(root.resolve("css"));
        Files.writeString(root.resolve("css/site.css"), "p { color: teal }");
        TestCertificate cert = TestCertificate.generate("EC");
        try (HttpServer server = StaticSite.start(root, cert.certPem(), cert.keyPem(), 0);
                HttpClient client =
                        HttpClient.newBuilder().sslContext(cert.clientContext()).build()) {
            String base = "https://localhost:" + server.port();
            HttpResponse<String> index = client.send(
                    HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(index.statusCode()).isEqualTo(200);
            assertThat(index.body()).contains("welcome");
            assertThat(index.headers().firstValue("content-type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));

            HttpResponse<String> css = client.send(
                    HttpRequest.newBuilder(URI.create(base + "/css/site.css")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(css.body()).isEqualTo("p { color: teal }");
            assertThat(css.headers().firstValue("content-type"))
                    .hasValueSatisfying(t -> assertThat(t).startsWith("text/css"));

            HttpResponse<String> missing = client.send(
                    HttpRequest.newBuilder(URI.create(base + "/nothing.html")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);
        } finally {
            cert.delete();
        }
    }
}
