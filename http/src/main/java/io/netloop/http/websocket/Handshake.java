package io.netloop.http.websocket;

import io.netloop.http.Request;
import io.netloop.http.codec.HttpHeaders;
import io.netloop.http.codec.HttpVersion;
import io.netloop.http.codec.Method;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The server's reading of an opening handshake (RFC 6455 §4.2.1): what makes a request a valid
 * upgrade, and the answer to it. Refusals carry the status and a reason the client's developer
 * can act on: 400 for a malformed request, 426 with {@code Sec-WebSocket-Version: 13} for
 * another protocol version (§4.4), 403 for an origin the route does not allow.
 *
 * <p>Threading: stateless.
 */
final class Handshake {
    /** The GUID every server appends to the key (§1.3). */
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** The outcome: a refusal (status and reason) or an acceptance (accept key, negotiated deflate or null). */
    record Outcome(int status, String reason, String accept, DeflateOffer deflate) {
        boolean accepted() {
            return status == 101;
        }
    }

    private Handshake() {}

    static Outcome check(Request req, WebSocketRoute route) {
        HttpHeaders h = req.headers();
        if (!req.method().equals(Method.GET)) return refuse(400, "a WebSocket handshake is a GET request");
        if (req.version() != HttpVersion.HTTP_1_1) return refuse(400, "a WebSocket handshake needs HTTP/1.1");
        if (!h.containsToken("Upgrade", "websocket"))
            return refuse(400, "expected a WebSocket handshake: Upgrade: websocket is missing");
        if (!h.containsToken("Connection", "upgrade"))
            return refuse(400, "expected a WebSocket handshake: Connection: Upgrade is missing");
        List<String> versions = h.getAll("Sec-WebSocket-Version");
        if (versions.size() != 1 || !versions.getFirst().trim().equals("13")) {
            return refuse(426, "this server speaks WebSocket version 13 only (Sec-WebSocket-Version: 13)");
        }
        List<String> keys = h.getAll("Sec-WebSocket-Key");
        if (keys.size() != 1 || !isValidKey(keys.getFirst().trim())) {
            return refuse(400, "Sec-WebSocket-Key must be one base64-encoded 16-byte value");
        }
        List<String> origins = h.getAll("Origin");
        if (origins.size() > 1
                || (origins.size() == 1 && !originAllowed(origins.getFirst().trim(), h.get("Host"), route))) {
            return refuse(
                    403,
                    "origin " + (origins.size() == 1 ? origins.getFirst() : origins)
                            + " is not allowed to open this WebSocket");
        }
        DeflateOffer deflate =
                route.permessageDeflate() ? DeflateOffer.negotiate(h.getAll("Sec-WebSocket-Extensions")) : null;
        return new Outcome(101, null, acceptKey(keys.getFirst().trim()), deflate);
    }

    /** {@code Sec-WebSocket-Accept}: base64(SHA-1(key + GUID)) (§4.2.2). */
    static String acceptKey(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] digest = sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }

    private static boolean isValidKey(String key) {
        if (key.length() != 24) return false;
        try {
            return Base64.getDecoder().decode(key).length == 16;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    /**
     * The same origin (its host and port are those of the Host field), or one the route lists.
     * Browsers always send Origin; a request without it comes from a program, not from a page
     * of another site, so it is not checked here.
     */
    static boolean originAllowed(String origin, String host, WebSocketRoute route) {
        if (route.allowsAnyOrigin()) return true;
        String o = origin.toLowerCase(Locale.ROOT);
        if (route.allowedOrigins().contains(o)) return true;
        if (host == null) return false;
        URI uri;
        try {
            uri = new URI(o);
        } catch (java.net.URISyntaxException e) {
            return false;
        }
        if (uri.getHost() == null || uri.getScheme() == null) return false;
        int defaultPort = uri.getScheme().equals("https") ? 443 : 80;
        int port = uri.getPort() < 0 ? defaultPort : uri.getPort();
        String h = host.toLowerCase(Locale.ROOT);
        String hostPart = h;
        int hostPort = defaultPort;
        int colon = h.lastIndexOf(':');
        if (colon > h.lastIndexOf(']')) {
            hostPart = h.substring(0, colon);
            try {
                hostPort = Integer.parseInt(h.substring(colon + 1));
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return uri.getHost().equals(hostPart) && port == hostPort;
    }

    private static Outcome refuse(int status, String reason) {
        return new Outcome(status, reason, null, null);
    }
}
