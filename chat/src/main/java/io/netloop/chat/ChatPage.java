package io.netloop.chat;

import io.netloop.http.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The browser page of the chat: {@code /} (index.html), {@code /chat.js} and {@code /chat.css},
 * read once from the classpath (no build step: plain HTML, CSS and JavaScript). The page puts
 * every message into the document with {@code textContent}, and its Content-Security-Policy
 * allows only its own script and style, so a message can never run as markup.
 *
 * <p>Threading: {@link #install} before the server starts; the routes then only read the
 * bytes loaded here.
 */
final class ChatPage {
    /** Scripts and styles from this origin only; no inline script; the socket back to this origin. */
    static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
                    + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private ChatPage() {}

    static void install(HttpServer http) {
        serve(http, "/", "index.html", "text/html; charset=utf-8");
        serve(http, "/chat.js", "chat.js", "text/javascript; charset=utf-8");
        serve(http, "/chat.css", "chat.css", "text/css; charset=utf-8");
    }

    private static void serve(HttpServer http, String path, String resource, String type) {
        byte[] body = load(resource);
        http.get(
                path,
                (req, res) -> res.type(type)
                        .header("Cache-Control", "no-cache")
                        .header("X-Content-Type-Options", "nosniff")
                        .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                        .send(body));
    }

    private static byte[] load(String name) {
        try (InputStream in = ChatPage.class.getResourceAsStream("page/" + name)) {
            if (in == null)
                throw new IllegalStateException("page/" + name + " is missing from the netloop-chat jar: rebuild it");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading page/" + name + " from the classpath", e);
        }
    }
}
