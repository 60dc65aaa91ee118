package io.netloop.http;

import io.netloop.http.codec.HttpChars;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A cookie to set (RFC 6265 §4.1), built like {@code Cookie.of("session", id).path("/")
 * .maxAge(Duration.ofHours(1)).httpOnly().secure().sameSite(Cookie.SameSite.LAX)}, and the
 * parser for the {@code Cookie} field clients send back (§4.2).
 *
 * <p>Threading: a builder; not thread-safe. {@link #parse} is stateless.
 */
public final class Cookie {
    /** The SameSite attribute (RFC 6265bis): when a browser sends the cookie with cross-site requests. */
    public enum SameSite {
        STRICT("Strict"),
        LAX("Lax"),
        NONE("None");
        private final String text;

        SameSite(String text) {
            this.text = text;
        }
    }

    private final String name;
    private final String value;
    private String path;
    private String domain;
    private Duration maxAge;
    private boolean httpOnly;
    private boolean secure;
    private SameSite sameSite;

    private Cookie(String name, String value) {
        this.name = name;
        this.value = value;
    }

    /**
     * @throws IllegalArgumentException when the name is not a token or the value holds
     *     characters a cookie cannot carry (space, comma, semicolon, backslash, quote, controls)
     */
    public static Cookie of(String name, String value) {
        Objects.requireNonNull(value, "value");
        if (!HttpChars.isToken(Objects.requireNonNull(name, "name"))) {
            throw new IllegalArgumentException("cookie name must be a token: \"" + name + "\"");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            // RFC 6265 §4.1.1 cookie-octet: %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
            if (c < 0x21 || c > 0x7E || c == '"' || c == ',' || c == ';' || c == '\\') {
                throw new IllegalArgumentException(
                        "cookie value holds '" + c + "'; percent- or base64-encode it first");
            }
        }
        return new Cookie(name, value);
    }

    public Cookie path(String path) {
        this.path = checkAttribute(path);
        return this;
    }

    public Cookie domain(String domain) {
        this.domain = checkAttribute(domain);
        return this;
    }

    /** Max-Age in whole seconds; zero or negative deletes the cookie. */
    public Cookie maxAge(Duration maxAge) {
        this.maxAge = maxAge;
        return this;
    }

    public Cookie httpOnly() {
        this.httpOnly = true;
        return this;
    }

    public Cookie secure() {
        this.secure = true;
        return this;
    }

    /** SameSite=None requires Secure (browsers drop it otherwise), so it sets Secure too. */
    public Cookie sameSite(SameSite sameSite) {
        this.sameSite = sameSite;
        if (sameSite == SameSite.NONE) secure = true;
        return this;
    }

    public String name() {
        return name;
    }

    public String value() {
        return value;
    }

    private static String checkAttribute(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 0x20 || c == ';' || c == 0x7F)
                throw new IllegalArgumentException("cookie attribute holds a control character or ';'");
        }
        return v;
    }

    /** The value of a Set-Cookie field. */
    public String toHeaderValue() {
        StringBuilder b = new StringBuilder(name).append('=').append(value);
        if (path != null) b.append("; Path=").append(path);
        if (domain != null) b.append("; Domain=").append(domain);
        if (maxAge != null) b.append("; Max-Age=").append(Math.max(0, maxAge.toSeconds()));
        if (secure) b.append("; Secure");
        if (httpOnly) b.append("; HttpOnly");
        if (sameSite != null) b.append("; SameSite=").append(sameSite.text);
        return b.toString();
    }

    @Override
    public String toString() {
        return toHeaderValue();
    }

    /**
     * Parses Cookie field values ({@code a=1; b=2}) into name → value, the first value of a
     * name winning (RFC 6265 §5.4 sends the most specific path first). Malformed pairs are
     * skipped; a value's surrounding double quotes are removed.
     */
    static Map<String, String> parse(Iterable<String> fieldValues) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String field : fieldValues) {
            for (String pair : field.split(";")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) continue;
                String n = pair.substring(0, eq).trim();
                String v = pair.substring(eq + 1).trim();
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) v = v.substring(1, v.length() - 1);
                if (!n.isEmpty()) out.putIfAbsent(n, v);
            }
        }
        return out;
    }
}
