package io.netloop.http;

import io.netloop.http.codec.HttpRequest;
import io.netloop.http.codec.RequestTarget;

/**
 * Routes that send every request on a plain-HTTP listener to the same place over HTTPS:
 * {@code 308 Permanent Redirect} (RFC 9110 §15.4.9: the method and body are kept, unlike 301)
 * to {@code https://host[:port]/path?query}. The host comes from the request (its Host field
 * or absolute target, already checked by the parser), without its port; the port is the
 * HTTPS listener's, left out when it is 443.
 *
 * <pre>{@code
 * HttpServer plain = HttpServer.builder().port(80).build();
 * HttpsRedirect.install(plain, 443, "example.org");
 * plain.start();
 * }</pre>
 *
 * <p>Threading: the routes run on the plain server's loop threads and keep no state.
 */
public final class HttpsRedirect {
    private HttpsRedirect() {}

    /**
     * @param httpsPort where the HTTPS listener is
     * @param fallbackHost for requests that name no host (HTTP/1.0 without Host)
     */
    public static void install(HttpServer plain, int httpsPort, String fallbackHost) {
        plain.any(
                "/*",
                (req, res) -> res.status(308)
                        .header("Location", location(req.head(), httpsPort, fallbackHost))
                        .type("text/plain; charset=utf-8")
                        .send("use HTTPS\n"));
    }

    static String location(HttpRequest head, int httpsPort, String fallbackHost) {
        String host = withoutPort(head.host());
        if (host.isEmpty())
            host = fallbackHost.indexOf(':') >= 0 && !fallbackHost.startsWith("[")
                    ? "[" + fallbackHost + "]"
                    : fallbackHost;
        RequestTarget t = head.target();
        String path = t.rawPath().isEmpty() || t.rawPath().equals("*") ? "/" : t.rawPath();
        return "https://" + host + (httpsPort == 443 ? "" : ":" + httpsPort) + path
                + (t.query().isEmpty() ? "" : "?" + t.query());
    }

    private static String withoutPort(String authority) {
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            return end < 0 ? authority : authority.substring(0, end + 1);
        }
        int colon = authority.lastIndexOf(':');
        return colon < 0 ? authority : authority.substring(0, colon);
    }
}
