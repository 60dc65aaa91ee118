package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.IoMode;
import io.netloop.core.tcp.HandlerMode;
import io.netloop.core.tls.TlsConfig;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import io.netloop.testing.TestCertificate;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTPS with real clients: curl (installed by scripts/install-test-deps.sh, built on OpenSSL)
 * and the JDK's HttpClient, both trusting only the test's keytool certificate.
 */
@ExtendWith(LeakCheck.class)
class HttpsTest {
    private static final String PAGE = "<p>over TLS</p>\n".repeat(300);
    private static TestCertificate cert;
    private static HttpServer server;
    private static TlsConfig tls;
    private static Path root;
    private static byte[] big;

    @BeforeAll
    static void start() throws Exception {
        cert = TestCertificate.generate("EC");
        root = cert.dir().resolve("www");
        Files.createDirectories(root);
        Files.writeString(root.resolve("page.html"), PAGE);
        big = new byte[24 * 1024 * 1024 + 123];
        new Random(7).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        tls = TlsConfig.fromPem(cert.certPem(), cert.keyPem());
        server = TestServers.start(
                IoMode.AUTO,
                s -> {
                    s.get("/hello", (req, res) -> res.send("hello"));
                    s.get("/stream", (req, res) -> { // blocking code on a virtual thread, streaming through TLS at the
                                // client's pace
                                BodyWriter w = res.type("application/octet-stream").stream();
                                for (int i = 0; i < 64; i++) w.write(chunk(i));
                                w.end();
                            })
                            .mode(HandlerMode.VIRTUAL);
                    s.staticFiles("/files", root);
                },
                b -> b.tls(tls));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        cert.delete();
    }

    private record Result(int exit, byte[] out, String err) {
        String text() {
            return new String(out, StandardCharsets.ISO_8859_1);
        }
    }

    private static Result curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                "curl", "-sS", "--max-time", "60", "--cacert", cert.certPem().toString()));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).start();
        } catch (java.io.IOException e) {
            throw new AssertionError(
                    "curl is missing: run ./netloop test (scripts/install-test-deps.sh installs it)", e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[][] errBytes = new byte[1][];
        Thread err = Thread.ofVirtual().start(() -> {
            try {
                errBytes[0] = p.getErrorStream().readAllBytes();
            } catch (java.io.IOException e) {
                errBytes[0] = e.toString().getBytes(StandardCharsets.UTF_8);
            }
        });
        p.getInputStream().transferTo(out);
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        err.join();
        return new Result(p.exitValue(), out.toByteArray(), new String(errBytes[0], StandardCharsets.UTF_8));
    }

    private static String url(String path) {
        return "https://127.0.0.1:" + server.port() + path;
    }

    private static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2", "1.3"})
    void curlGetsSmallAndLargeFilesByteExact(String version) throws Exception {
        Result page = curl("--tlsv" + version, "--tls-max", version, "-v", url("/files/page.html"));
        assertThat(page.exit()).as(page.err()).isZero();
        assertThat(page.text()).isEqualTo(PAGE);
        assertThat(page.err()).contains("TLSv" + version).contains("ALPN: server accepted http/1.1");
        Result file = curl("--tlsv" + version, "--tls-max", version, url("/files/big.bin"));
        assertThat(file.exit()).as(file.err()).isZero();
        assertThat(file.out().length).isEqualTo(big.length);
        assertThat(sha256(file.out())).isEqualTo(sha256(big));
    }

    private static byte[] chunk(int i) {
        byte[] b = new byte[64 * 1024];
        java.util.Arrays.fill(b, (byte) i);
        return b;
    }

    @Test
    void aVirtualThreadRouteStreamsAChunkedBodyOverTls() throws Exception {
        Result r = curl("--tlsv1.3", url("/stream"));
        assertThat(r.exit()).as(r.err()).isZero();
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        for (int i = 0; i < 64; i++) want.writeBytes(chunk(i));
        assertThat(sha256(r.out())).isEqualTo(sha256(want.toByteArray()));
    }

    @Test
    void curlKeepsTheConnectionForSeveralRequests() throws Exception {
        Result r = curl("-v", url("/hello"), url("/files/page.html"), url("/hello"));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.text()).isEqualTo("hello" + PAGE + "hello");
        assertThat(r.err()).contains("Re-using existing connection");
    }

    @Test
    void jdkHttpClientKeepsAliveAndGetsTheLargeFile() throws Exception {
        long acceptedBefore = server.tcp().acceptedCount();
        try (HttpClient client = HttpClient.newBuilder()
                .sslContext(cert.clientContext())
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build()) {
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> r = client.send(
                        HttpRequest.newBuilder(URI.create(url("/hello"))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.body()).isEqualTo("hello");
            }
            HttpResponse<byte[]> file = client.send(
                    HttpRequest.newBuilder(URI.create(url("/files/big.bin"))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(sha256(file.body())).isEqualTo(sha256(big));
            HttpResponse<String> range = client.send(
                    HttpRequest.newBuilder(URI.create(url("/files/page.html")))
                            .header("Range", "bytes=3-9")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(range.statusCode()).isEqualTo(206);
            assertThat(range.body()).isEqualTo(PAGE.substring(3, 10));
        }
        assertThat(server.tcp().acceptedCount() - acceptedBefore)
                .as("one connection for all requests")
                .isEqualTo(1);
    }

    @Test
    void aPlainHttpClientOnTheTlsPortIsClosed() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            c.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n");
            byte[] answer = c.input().readAllBytes(); // at most a TLS alert, then the end
            assertThat(answer.length).isLessThan(64);
        }
        Result r = curl(url("/hello"));
        assertThat(r.text()).as("the loop goes on").isEqualTo("hello");
    }

    @Test
    void aGracefulShutdownDoesNotWaitForAConnectionStillInItsHandshake() throws Exception {
        HttpServer s =
                TestServers.start(IoMode.AUTO, t -> t.get("/hello", (req, res) -> res.send("hello")), b -> b.tls(tls));
        try (RawClient silent = new RawClient(s.port())) {
            Clients.await(Duration.ofSeconds(10), "accepted", () -> s.tcp().openCount() == 1);
            assertThat(s.shutdown(Duration.ofSeconds(8)))
                    .as("finished within the grace period")
                    .isTrue();
            assertThat(silent.closedByServer()).isTrue();
        } finally {
            s.close();
        }
    }

    @Test
    void theRedirectListenerSendsPlainHttpToHttps() throws Exception {
        try (HttpServer plain =
                TestServers.start(IoMode.AUTO, s -> HttpsRedirect.install(s, server.port(), "127.0.0.1"))) {
            String base = "http://127.0.0.1:" + plain.port();
            Result r = curl("-si", base + "/files/page.html?a=1&b=%20");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.text())
                    .startsWith("HTTP/1.1 308 ")
                    .contains("Location: https://127.0.0.1:" + server.port() + "/files/page.html?a=1&b=%20\r\n");
            Result named = curl("-si", "-H", "Host: www.example.org:8080", base + "/x");
            assertThat(named.text()).contains("Location: https://www.example.org:" + server.port() + "/x\r\n");
            try (HttpServer on443 = TestServers.start(IoMode.AUTO, s -> HttpsRedirect.install(s, 443, "::1"))) {
                Result r443 = curl("-si", "-H", "Host: [2001:db8::5]:80", "http://127.0.0.1:" + on443.port() + "/");
                assertThat(r443.text()).contains("Location: https://[2001:db8::5]/\r\n");
            }
            Result followed = curl("-sL", base + "/files/page.html");
            assertThat(followed.exit()).as(followed.err()).isZero();
            assertThat(followed.text()).as("curl follows to the HTTPS listener").isEqualTo(PAGE);
        }
    }
}
