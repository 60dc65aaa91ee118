package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.IoMode;
import io.netloop.testing.LeakCheck;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A real client: curl, for GET, HEAD, Range and gzip. curl is installed by scripts/install-test-deps.sh. */
@ExtendWith(LeakCheck.class)
class CurlTest {
    private static HttpServer server;
    private static Path root;
    private static final String PAGE = "<p>curl was here</p>\n".repeat(500);

    @BeforeAll
    static void start() throws Exception {
        root = Files.createTempDirectory("netloop-curl");
        Files.writeString(root.resolve("page.html"), PAGE);
        server = TestServers.start(IoMode.AUTO, s -> {
            s.get("/dynamic", (req, res) -> res.type("text/html; charset=utf-8").send(PAGE));
            s.staticFiles("/files", root);
        });
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        Files.deleteIfExists(root.resolve("page.html"));
        Files.deleteIfExists(root);
    }

    private record Result(int exit, String out, String err) {}

    private static Result curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).start();
        } catch (java.io.IOException e) {
            throw new AssertionError(
                    "curl is missing: run ./netloop test (it installs curl through "
                            + "scripts/install-test-deps.sh) or install curl yourself",
                    e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), out.toString(StandardCharsets.ISO_8859_1), err);
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    @Test
    void curlGetsAPage() throws Exception {
        Result r = curl("-i", url("/files/page.html"));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .startsWith("HTTP/1.1 200 OK")
                .contains("Content-Type: text/html; charset=utf-8")
                .endsWith(PAGE);
    }

    @Test
    void curlHeadGetsOnlyTheHead() throws Exception {
        Result r = curl("-I", url("/files/page.html"));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .startsWith("HTTP/1.1 200 OK")
                .contains("Content-Length: " + PAGE.length())
                .doesNotContain("<p>");
    }

    @Test
    void curlRangeGetsPartialContent() throws Exception {
        Result r = curl("-i", "-r", "3-19", url("/files/page.html"));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out())
                .startsWith("HTTP/1.1 206 Partial Content")
                .contains("Content-Range: bytes 3-19/" + PAGE.length())
                .endsWith(PAGE.substring(3, 20));
    }

    @Test
    void curlCompressedDecodesGzip() throws Exception {
        Result r = curl("-i", "--compressed", url("/dynamic"));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("Content-Encoding: gzip").endsWith(PAGE);
    }

    @Test
    void curlKeepsOneConnectionForSeveralUrls() throws Exception {
        long before = server.tcp().acceptedCount();
        Result r = curl(url("/dynamic"), url("/files/page.html"), url("/dynamic"));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(PAGE + PAGE + PAGE);
        assertThat(server.tcp().acceptedCount() - before).isEqualTo(1);
    }
}
