package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.IoMode;
import io.netloop.testing.AllTransports;
import io.netloop.testing.LeakCheck;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** A 100 MiB file through sendfile(2): whole, checked by digest, and resumed with Range after a cut. */
@ExtendWith(LeakCheck.class)
class DownloadTest {
    private static final int SIZE = 100 * 1024 * 1024;
    private static Path dir;
    private static String digest;

    @BeforeAll
    static void createFile() throws Exception {
        dir = Files.createTempDirectory("netloop-download");
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[1024 * 1024];
        Random random = new Random(7);
        try (OutputStream out = Files.newOutputStream(dir.resolve("big.bin"))) {
            for (int i = 0; i < SIZE / block.length; i++) {
                random.nextBytes(block);
                md.update(block);
                out.write(block);
            }
        }
        digest = HexFormat.of().formatHex(md.digest());
    }

    @AfterAll
    static void deleteFile() throws Exception {
        Files.deleteIfExists(dir.resolve("big.bin"));
        Files.deleteIfExists(dir);
    }

    @AllTransports
    void a100MiBDownloadArrivesWholeAndResumesWithRange(IoMode io) throws Exception {
        try (HttpServer s = TestServers.start(io, x -> x.staticFiles("/", dir))) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            long cut = 37L * 1024 * 1024 + 11;
            String etag;
            // First attempt: read the head and 37 MiB of the body, then drop the connection.
            try (RawClient c = RawClient.connect(s)) {
                c.send("GET /big.bin HTTP/1.1\r\nHost: t\r\n\r\n");
                InputStream in = c.input();
                String head = readHead(in);
                assertThat(head).startsWith("HTTP/1.1 200 ").contains("Content-Length: " + SIZE);
                etag = head.lines()
                        .filter(l -> l.startsWith("ETag: "))
                        .findFirst()
                        .orElseThrow()
                        .substring(6);
                copy(in, md, cut);
            }
            // Resume where it stopped, only if the file is still the same.
            try (RawClient c = RawClient.connect(s)) {
                c.send("GET /big.bin HTTP/1.1\r\nHost: t\r\nRange: bytes=" + cut + "-\r\nIf-Range: " + etag
                        + "\r\n\r\n");
                InputStream in = c.input();
                String head = readHead(in);
                assertThat(head)
                        .startsWith("HTTP/1.1 206 ")
                        .contains("Content-Range: bytes " + cut + "-" + (SIZE - 1) + "/" + SIZE);
                copy(in, md, SIZE - cut);
                assertThat(HexFormat.of().formatHex(md.digest())).isEqualTo(digest);
                assertThat(c.get("/big.bin").body()).hasSize(SIZE); // and whole, on the same connection
            }
        }
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) throw new AssertionError("closed in the head: " + b);
            b.append((char) c);
        }
        return b.toString().replace("\r\n", "\n");
    }

    private static void copy(InputStream in, MessageDigest md, long n) throws Exception {
        byte[] buf = new byte[256 * 1024];
        while (n > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, n));
            if (r < 0) throw new AssertionError("closed with " + n + " bytes to go");
            md.update(buf, 0, r);
            n -= r;
        }
    }
}
