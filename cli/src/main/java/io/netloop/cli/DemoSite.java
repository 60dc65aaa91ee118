package io.netloop.cli;

import io.netloop.http.BodyWriter;
import io.netloop.http.HttpServer;
import io.netloop.http.Request;
import io.netloop.http.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Random;

/**
 * The site {@code netloop serve} shows without {@code --root}: a page about netloop, an
 * image, a greeting route with a path parameter, and a 100 MiB download generated on the fly
 * (deterministic bytes, streamed with flow control, so no large file is needed anywhere).
 *
 * <p>Threading: {@link #install} before the server starts; the handlers run on its loop.
 */
final class DemoSite {
    private static final byte[] HELLO = "Hello, World!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    static final long DOWNLOAD_SIZE = 100L * 1024 * 1024;
    private static final byte[] BLOCK = new byte[64 * 1024];

    static {
        new Random(2025).nextBytes(BLOCK); // the download repeats this block: same bytes every run
    }

    private DemoSite() {}

    static void install(HttpServer server) {
        byte[] index = resource("index.html");
        byte[] logo = resource("netloop.svg");
        server.get(
                "/",
                (req, res) -> res.type("text/html; charset=utf-8")
                        .setHeader("Cache-Control", "no-cache")
                        .send(index));
        server.get(
                "/netloop.svg",
                (req, res) -> res.type("image/svg+xml")
                        .setHeader("Cache-Control", "max-age=3600")
                        .send(logo));
        server.get("/hello/{name}", (req, res) -> res.send("Hello, " + req.param("name") + "!\n"));
        // The plaintext benchmark's fixed answer (bench/http.sh): the same 13 bytes from every peer.
        server.get("/plaintext", (req, res) -> res.type("text/plain").send(HELLO));
        server.get("/download/100MiB.bin", DemoSite::download);
    }

    /** 100 MiB written while the connection keeps up, continued when its output drains. */
    private static void download(Request req, Response res) {
        BodyWriter out = res
                .type("application/octet-stream")
                .setHeader("Content-Disposition", "attachment; filename=\"netloop-100MiB.bin\"")
                .stream(DOWNLOAD_SIZE);
        new Runnable() {
            long left = DOWNLOAD_SIZE;

            @Override
            public void run() {
                while (left > 0 && out.isReady()) {
                    int n = (int) Math.min(BLOCK.length, left);
                    out.write(BLOCK, 0, n);
                    left -= n;
                }
                if (left == 0) out.end();
                else if (out.isOpen()) out.onReady(this);
            }
        }.run();
    }

    private static byte[] resource(String name) {
        try (InputStream in = DemoSite.class.getResourceAsStream("demo/" + name)) {
            if (in == null) throw new IllegalStateException("demo resource " + name + " is missing from the jar");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
