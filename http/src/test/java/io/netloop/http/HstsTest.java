package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netloop.core.loop.IoMode;
import io.netloop.core.tls.TlsConfig;
import io.netloop.testing.LeakCheck;
import io.netloop.testing.TestCertificate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** HTTP Strict Transport Security: on every response of an HTTPS server, and refused without TLS. */
@ExtendWith(LeakCheck.class)
class HstsTest {

    @Test
    void everyResponseOverTlsCarriesStrictTransportSecurity() throws Exception {
        TestCertificate cert = TestCertificate.generate("EC");
        TlsConfig tls = TlsConfig.fromPem(cert.certPem(), cert.keyPem());
        try (HttpServer server = TestServers.start(
                        IoMode.AUTO,
                        s -> {
                            s.get("/hello", (req, res) -> res.send("hello"));
                            s.get("/boom", (req, res) -> {
                                throw new IllegalStateException("on purpose");
                            });
                        },
                        b -> b.tls(tls).hsts(Duration.ofDays(365), true));
                HttpClient client =
                        HttpClient.newBuilder().sslContext(cert.clientContext()).build()) {
            for (String path : new String[] {"/hello", "/missing", "/boom"}) {
                HttpResponse<String> r = client.send(
                        HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.headers().allValues("strict-transport-security"))
                        .as(path + " answered " + r.statusCode())
                        .containsExactly("max-age=31536000; includeSubDomains");
            }
        } finally {
            cert.delete();
        }
    }

    @Test
    void hstsWithoutTlsIsRefusedWhenBuilt() {
        assertThatThrownBy(() ->
                        HttpServer.builder().hsts(Duration.ofDays(1), false).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("hsts needs tls(...)")
                .hasMessageContaining("configure TLS, or drop hsts");
    }
}
