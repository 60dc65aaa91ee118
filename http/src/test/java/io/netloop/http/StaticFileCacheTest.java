package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.IoMode;
import io.netloop.testing.LeakCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The open-file cache never serves what the uncached path would refuse: after a change on disk
 * (a file replaced, deleted, a link swapped to point out of the root, a directory turned into
 * a file, a missing file created) a cached server answers as an uncached one on the same root
 * once the revalidation interval has passed, and before that it answers whole, never mixing
 * the old file's fields with the new one's bytes.
 *
 * <p>Two servers share the root: one caching with a 100 ms validity, one not caching. Waiting
 * out the interval is the one sleep; no assertion depends on how long anything took.
 */
@ExtendWith(LeakCheck.class)
class StaticFileCacheTest {
    private static final Duration VALIDITY = Duration.ofMillis(100);

    @TempDir
    Path tmp;

    private Path root;
    private HttpServer cached;
    private HttpServer uncached;

    @BeforeEach
    void start() throws Exception {
        root = Files.createDirectories(tmp.resolve("site"));
        cached = TestServers.start(IoMode.AUTO, s -> s.staticFiles("/", root).cache(64, VALIDITY), b -> b.threads(1));
        uncached = TestServers.start(IoMode.AUTO, s -> s.staticFiles("/", root).cache(0, VALIDITY), b -> b.threads(1));
    }

    @AfterEach
    void stop() {
        cached.close();
        uncached.close();
    }

    private static RawClient.Resp get(HttpServer server, String target, String... fields) throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            StringBuilder head = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: t\r\n");
            for (String f : fields) head.append(f).append("\r\n");
            return c.send(head + "\r\n").read(false);
        }
    }

    /** After the interval, the cached server answers exactly as the uncached one. */
    private void answersAsUncached(String target, String... fields) throws Exception {
        Thread.sleep(VALIDITY.toMillis() * 2);
        RawClient.Resp want = get(uncached, target, fields);
        RawClient.Resp got = get(cached, target, fields);
        assertThat(got.status()).as("status of " + target).isEqualTo(want.status());
        assertThat(got.body()).as("body of " + target).isEqualTo(want.body());
        for (String field : new String[] {"ETag", "Content-Length", "Content-Type", "Content-Encoding", "Location"}) {
            assertThat(got.header(field)).as(field + " of " + target).isEqualTo(want.header(field));
        }
    }

    /** A whole answer: its ETag is the one of the file whose bytes it carries. */
    private static void whole(RawClient.Resp r, String etagA, byte[] a, String etagB, byte[] b) {
        assertThat(r.status()).isEqualTo(200);
        if (r.header("ETag").equals(etagA)) assertThat(r.body()).isEqualTo(a);
        else {
            assertThat(r.header("ETag")).isEqualTo(etagB);
            assertThat(r.body()).isEqualTo(b);
        }
        assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(r.body().length));
    }

    @Test
    void aFileReplacedByARenameGoesOutWholeThenAsTheNewFile() throws Exception {
        byte[] a = "old content\n".repeat(100).getBytes();
        byte[] b = "the new, longer content\n".repeat(300).getBytes();
        Files.write(root.resolve("page.txt"), a);
        RawClient.Resp first = get(cached, "/page.txt");
        assertThat(first.body()).isEqualTo(a);
        Path next = root.resolve("page.txt.new");
        Files.write(next, b);
        Files.move(next, root.resolve("page.txt"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        String etagB = get(uncached, "/page.txt").header("ETag");
        whole(get(cached, "/page.txt"), first.header("ETag"), a, etagB, b);
        answersAsUncached("/page.txt");
        assertThat(get(cached, "/page.txt").body()).isEqualTo(b);
    }

    @Test
    void aDeletedFileIsNotFoundOnceRevalidated() throws Exception {
        Files.writeString(root.resolve("gone.txt"), "here for now");
        assertThat(get(cached, "/gone.txt").status()).isEqualTo(200);
        Files.delete(root.resolve("gone.txt"));
        answersAsUncached("/gone.txt");
        assertThat(get(cached, "/gone.txt").status()).isEqualTo(404);
    }

    @Test
    void aLinkSwappedToPointOutOfTheRootIsRefusedOnceRevalidated() throws Exception {
        Files.writeString(root.resolve("real.txt"), "inside");
        Files.writeString(tmp.resolve("secret.txt"), "outside the root");
        Path link = root.resolve("link.txt");
        Files.createSymbolicLink(link, Path.of("real.txt"));
        assertThat(get(cached, "/link.txt").text()).isEqualTo("inside");
        Path swap = root.resolve("link.tmp");
        Files.createSymbolicLink(swap, Path.of("../secret.txt"));
        Files.move(swap, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        answersAsUncached("/link.txt");
        RawClient.Resp r = get(cached, "/link.txt");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.text()).doesNotContain("outside the root");
    }

    @Test
    void aDirectoryTurnedIntoAFileIsAnsweredAsTheUncachedServerWould() throws Exception {
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/index.html"), "<h1>docs</h1>");
        assertThat(get(cached, "/docs/").text()).isEqualTo("<h1>docs</h1>");
        Files.delete(root.resolve("docs/index.html"));
        Files.delete(root.resolve("docs"));
        Files.writeString(root.resolve("docs"), "now a file");
        answersAsUncached("/docs/");
        answersAsUncached("/docs");
        assertThat(get(cached, "/docs/").text()).doesNotContain("<h1>docs</h1>");
    }

    @Test
    void aMissingFileIsCachedAsMissingUntilItAppears() throws Exception {
        assertThat(get(cached, "/later.txt").status()).isEqualTo(404);
        assertThat(get(cached, "/later.txt").status()).isEqualTo(404);
        Files.writeString(root.resolve("later.txt"), "appeared");
        answersAsUncached("/later.txt");
        assertThat(get(cached, "/later.txt").text()).isEqualTo("appeared");
    }

    @Test
    void aSiblingAddedOrRemovedChangesTheEncodingOnceRevalidated() throws Exception {
        Files.writeString(root.resolve("app.js"), "console.log('x');\n".repeat(50));
        assertThat(get(cached, "/app.js", "Accept-Encoding: br").header("Content-Encoding"))
                .isNull();
        Files.write(root.resolve("app.js.br"), new byte[] {1, 2, 3});
        answersAsUncached("/app.js", "Accept-Encoding: br");
        assertThat(get(cached, "/app.js", "Accept-Encoding: br").header("Content-Encoding"))
                .isEqualTo("br");
        Files.delete(root.resolve("app.js.br"));
        answersAsUncached("/app.js", "Accept-Encoding: br");
    }

    @Test
    void precompressedSiblingsAreChosenByTheClientsPreference() throws Exception {
        byte[] plain = "body { margin: 0 }\n".repeat(40).getBytes();
        Files.write(root.resolve("s.css"), plain);
        Files.write(root.resolve("s.css.gz"), new byte[] {'g'});
        Files.write(root.resolve("s.css.br"), new byte[] {'b'});
        Files.write(root.resolve("s.css.zst"), new byte[] {'z'});
        for (HttpServer server : new HttpServer[] {cached, uncached}) {
            for (int round = 0; round < 2; round++) { // a miss, then a hit
                assertThat(encoding(server, "gzip, deflate, br, zstd")).isEqualTo("br");
                assertThat(encoding(server, "gzip, zstd")).isEqualTo("zstd");
                assertThat(encoding(server, "br;q=0.5, gzip")).isEqualTo("gzip");
                assertThat(encoding(server, "br;q=0, *")).isEqualTo("zstd");
                assertThat(encoding(server, "x-gzip")).isEqualTo("gzip");
                assertThat(encoding(server, "identity")).isNull();
                assertThat(encoding(server, "gzip;q=0")).isNull();
                RawClient.Resp none = get(server, "/s.css");
                assertThat(none.body()).isEqualTo(plain);
                assertThat(none.header("Vary")).isEqualTo("Accept-Encoding");
                RawClient.Resp br = get(server, "/s.css", "Accept-Encoding: br");
                assertThat(br.body()).isEqualTo(new byte[] {'b'});
                assertThat(br.header("ETag")).isNotEqualTo(none.header("ETag"));
            }
        }
    }

    private static String encoding(HttpServer server, String acceptEncoding) throws Exception {
        RawClient.Resp r = get(server, "/s.css", "Accept-Encoding: " + acceptEncoding);
        assertThat(r.status()).isEqualTo(200);
        return r.header("Content-Encoding");
    }

    @Test
    void conditionalsAndRangesWorkOnCachedFiles() throws Exception {
        byte[] data = new byte[10_000];
        Arrays.fill(data, (byte) 'q');
        data[5000] = 'X';
        Files.write(root.resolve("d.bin"), data);
        String etag = get(cached, "/d.bin").header("ETag");
        assertThat(get(cached, "/d.bin", "If-None-Match: " + etag).status()).isEqualTo(304);
        RawClient.Resp range = get(cached, "/d.bin", "Range: bytes=5000-5001");
        assertThat(range.status()).isEqualTo(206);
        assertThat(range.text()).isEqualTo("Xq");
        assertThat(get(cached, "/d.bin").body()).isEqualTo(data); // the 304 and 206 left the cached fields intact
    }
}
