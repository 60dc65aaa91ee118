package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.IoMode;
import io.netloop.testing.AllTransports;
import io.netloop.testing.LeakCheck;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link StaticFiles}: content, validators, conditional requests, ranges, precompressed files, and the root's walls. */
@ExtendWith(LeakCheck.class)
class StaticFilesTest {
    @TempDir
    static Path tmp;

    static Path root;
    static byte[] data;
    static HttpServer server;

    @BeforeAll
    static void start() throws Exception {
        root = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        Files.writeString(root.resolve("style.css"), "body { color: black; }\n".repeat(100));
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(root.resolve("style.css.gz")))) {
            gz.write(Files.readAllBytes(root.resolve("style.css")));
        }
        data = new byte[100_000];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 31 + (i >> 8));
        Files.write(root.resolve("data.bin"), data);
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/index.html"), "<h1>docs</h1>");
        Files.createDirectories(root.resolve("empty"));
        Files.writeString(root.resolve(".env"), "SECRET=1");
        Files.writeString(tmp.resolve("secret.txt"), "outside the root");
        Files.createSymbolicLink(root.resolve("escape.txt"), tmp.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("escape-dir"), tmp);
        Files.createSymbolicLink(root.resolve("inside.css"), root.resolve("style.css"));
        server = TestServers.start(IoMode.AUTO, s -> s.staticFiles("/", root));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RawClient.Resp request(String headLines) throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            boolean head = headLines.startsWith("HEAD ");
            return c.send(headLines + "\r\n").read(head);
        }
    }

    private static RawClient.Resp get(String target, String... fields) throws Exception {
        return request("GET " + target + " HTTP/1.1\r\nHost: t\r\n"
                + String.join("", Arrays.stream(fields).map(f -> f + "\r\n").toList()));
    }

    @Test
    void theRootServesItsIndexWithTypeAndValidators() throws Exception {
        RawClient.Resp r = get("/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo("<h1>home</h1>");
        assertThat(r.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("ETag")).matches("\"[0-9a-f]+-[0-9a-f]+-[0-9a-f]+\"");
        assertThat(r.header("Last-Modified")).endsWith(" GMT");
        assertThat(r.header("Accept-Ranges")).isEqualTo("bytes");
    }

    @Test
    void aDirectoryWithoutItsSlashIsRedirected() throws Exception {
        RawClient.Resp r = get("/docs?x=1");
        assertThat(r.status()).isEqualTo(301);
        assertThat(r.header("Location")).isEqualTo("/docs/?x=1");
        assertThat(get("/docs/").text()).isEqualTo("<h1>docs</h1>");
    }

    @Test
    void aDirectoryWithoutIndexIsNotListed() throws Exception {
        assertThat(get("/empty/").status()).isEqualTo(404);
    }

    @Test
    void anUnknownExtensionIsOctetStream() throws Exception {
        RawClient.Resp r = get("/data.bin");
        assertThat(r.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(r.body()).isEqualTo(data);
    }

    @Test
    void headSendsTheLengthWithoutTheBody() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            RawClient.Resp r =
                    c.send("HEAD /data.bin HTTP/1.1\r\nHost: t\r\n\r\n").read(true);
            assertThat(r.header("Content-Length")).isEqualTo("100000");
            assertThat(c.get("/").text()).isEqualTo("<h1>home</h1>");
        }
    }

    @Test
    void aMatchingIfNoneMatchGets304() throws Exception {
        String etag = get("/").header("ETag");
        RawClient.Resp r = get("/", "If-None-Match: \"other\", " + etag);
        assertThat(r.status()).isEqualTo(304);
        assertThat(r.header("ETag")).isEqualTo(etag);
        assertThat(r.body()).isEmpty();
        assertThat(get("/", "If-None-Match: \"other\"").status()).isEqualTo(200);
    }

    @Test
    void ifModifiedSinceTheLastModificationGets304() throws Exception {
        String lastModified = get("/").header("Last-Modified");
        assertThat(get("/", "If-Modified-Since: " + lastModified).status()).isEqualTo(304);
        assertThat(get("/", "If-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT").status())
                .isEqualTo(200);
    }

    @Test
    void ifNoneMatchWinsOverIfModifiedSince() throws Exception {
        String lastModified = get("/").header("Last-Modified");
        assertThat(get("/", "If-None-Match: \"other\"", "If-Modified-Since: " + lastModified)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void aFailingIfMatchGets412() throws Exception {
        assertThat(get("/", "If-Match: \"nope\"").status()).isEqualTo(412);
    }

    @Test
    void oneRangeGets206WithContentRange() throws Exception {
        RawClient.Resp r = get("/data.bin", "Range: bytes=100-199");
        assertThat(r.status()).isEqualTo(206);
        assertThat(r.header("Content-Range")).isEqualTo("bytes 100-199/100000");
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(data, 100, 200));
    }

    @Test
    void aSuffixRangeGetsTheLastBytes() throws Exception {
        RawClient.Resp r = get("/data.bin", "Range: bytes=-10");
        assertThat(r.header("Content-Range")).isEqualTo("bytes 99990-99999/100000");
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(data, 99990, 100000));
    }

    @Test
    void severalRangesGetMultipartByteranges() throws Exception {
        RawClient.Resp r = get("/data.bin", "Range: bytes=0-4, 1000-1009");
        assertThat(r.status()).isEqualTo(206);
        String type = r.header("Content-Type");
        assertThat(type).startsWith("multipart/byteranges; boundary=");
        String boundary = type.substring(type.indexOf('=') + 1);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes(("\r\n--" + boundary
                        + "\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 0-4/100000\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        expected.writeBytes(Arrays.copyOfRange(data, 0, 5));
        expected.writeBytes(("\r\n--" + boundary
                        + "\r\nContent-Type: application/octet-stream\r\nContent-Range: bytes 1000-1009/100000\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        expected.writeBytes(Arrays.copyOfRange(data, 1000, 1010));
        expected.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        assertThat(r.body()).isEqualTo(expected.toByteArray());
    }

    @Test
    void anUnsatisfiableRangeGets416WithTheLength() throws Exception {
        RawClient.Resp r = get("/data.bin", "Range: bytes=200000-");
        assertThat(r.status()).isEqualTo(416);
        assertThat(r.header("Content-Range")).isEqualTo("bytes */100000");
    }

    @Test
    void aMalformedRangeIsIgnored() throws Exception {
        RawClient.Resp r = get("/data.bin", "Range: bytes=9-3");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).hasSize(100_000);
    }

    @Test
    void ifRangeWithTheCurrentTagGetsTheRange() throws Exception {
        String etag = get("/data.bin").header("ETag");
        assertThat(get("/data.bin", "Range: bytes=0-9", "If-Range: " + etag).status())
                .isEqualTo(206);
    }

    @Test
    void ifRangeWithAStaleValidatorGetsTheWholeFile() throws Exception {
        RawClient.Resp r = get("/data.bin", "Range: bytes=0-9", "If-Range: \"stale\"");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).hasSize(100_000);
        assertThat(get("/data.bin", "Range: bytes=0-9", "If-Range: Sat, 01 Jan 2000 00:00:00 GMT")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void theGzipSiblingIsServedToAClientThatAcceptsIt() throws Exception {
        RawClient.Resp r = get("/style.css", "Accept-Encoding: gzip");
        assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(r.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(r.body()).isEqualTo(Files.readAllBytes(root.resolve("style.css.gz")));
        RawClient.Resp plain = get("/style.css");
        assertThat(plain.header("Content-Encoding")).isNull();
        assertThat(plain.header("Vary")).isEqualTo("Accept-Encoding");
        assertThat(plain.header("ETag")).isNotEqualTo(r.header("ETag"));
        assertThat(plain.text()).isEqualTo(Files.readString(root.resolve("style.css")));
    }

    @Test
    void aMethodOtherThanGetOrHeadGets405() throws Exception {
        RawClient.Resp r = request("POST /index.html HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n");
        assertThat(r.status()).isEqualTo(405);
        assertThat(r.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"/../secret.txt", "/%2e%2e/secret.txt", "/docs/%2E%2E/%2e%2e/secret.txt", "/.%2e/secret.txt"})
    void dotDotAboveTheRootIs400(String target) throws Exception {
        assertThat(get(target).status()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/docs%2Findex.html",
                "/docs%2f..%2f..%2fsecret.txt",
                "/docs\\index.html",
                "/docs%5C..%5Csecret.txt",
                "/index.html%00.txt",
                "/%c0%ae%c0%ae/secret.txt"
            })
    void encodedSeparatorsBackslashesAndNulAre400(String target) throws Exception {
        assertThat(get(target).status()).isEqualTo(400);
    }

    @Test
    void aSymlinkOutOfTheRootIs403() throws Exception {
        assertThat(get("/escape.txt").status()).isEqualTo(403);
        assertThat(get("/escape-dir/secret.txt").status()).isEqualTo(403);
    }

    @Test
    void aSymlinkInsideTheRootIsServed() throws Exception {
        assertThat(get("/inside.css").status()).isEqualTo(200);
    }

    @Test
    void dotFilesAreNotServed() throws Exception {
        assertThat(get("/.env").status()).isEqualTo(404);
    }

    @Test
    void aMissingFileIs404() throws Exception {
        assertThat(get("/missing.html").status()).isEqualTo(404);
    }

    @AllTransports
    void filesAndRangesOnEveryPoller(IoMode io) throws Exception {
        try (HttpServer s = TestServers.start(io, x -> x.staticFiles("/", root));
                RawClient c = RawClient.connect(s)) {
            assertThat(c.get("/data.bin").body()).isEqualTo(data);
            RawClient.Resp r = c.send("GET /data.bin HTTP/1.1\r\nHost: t\r\nRange: bytes=5-9,20-29\r\n\r\n")
                    .read();
            assertThat(r.status()).isEqualTo(206);
            assertThat(c.get("/").text()).isEqualTo("<h1>home</h1>");
        }
    }
}
