package io.netloop.http;

import io.netloop.http.codec.HttpChars;
import io.netloop.http.codec.Method;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Cross-Origin Resource Sharing (the Fetch standard's CORS protocol) as a before filter: it
 * lets the pages of other origins that you list read your responses from a browser.
 *
 * <pre>{@code
 * server.before("/api/*", Cors.builder()
 *         .allowOrigins("https://app.example")
 *         .allowMethods("GET", "POST", "DELETE")
 *         .allowHeaders("Content-Type", "Authorization")
 *         .allowCredentials(true)
 *         .build());
 * }</pre>
 *
 * <p>What it does per request:
 *
 * <ul>
 *   <li>An allowed origin's preflight ({@code OPTIONS} with {@code Origin} and
 *       {@code Access-Control-Request-Method}) is answered here, 204 with
 *       {@code Access-Control-Allow-Origin}, {@code -Allow-Methods}, {@code -Allow-Headers}
 *       (when some are allowed), {@code -Max-Age} and, with credentials,
 *       {@code -Allow-Credentials: true}; the chain ends, so no route needs an OPTIONS handler.
 *       The browser compares what it asked for with these lists and decides.
 *   <li>Any other request from an allowed origin goes on to its handler with
 *       {@code Access-Control-Allow-Origin} (and {@code -Allow-Credentials},
 *       {@code -Expose-Headers}) already set; they stay on the server's error pages too.
 *   <li>A request from an origin not allowed, or without {@code Origin} (not a cross-origin
 *       request), gets no CORS field at all and goes on unchanged: the browser then refuses the
 *       page the response.
 *   <li>With a list of origins, every response says {@code Vary: Origin}: the answer depends
 *       on the origin, and a cache must not hand one origin's to another.
 * </ul>
 *
 * <p>{@code allowOrigins("*")} allows every origin with a constant
 * {@code Access-Control-Allow-Origin: *} on every response. Credentials (cookies, HTTP
 * authentication) are never combined with {@code *}: the browser would refuse it, and echoing
 * any origin instead would let every site on the web act as your logged-in users; so
 * {@link Builder#build} refuses that configuration, and with a list the allowed origin is
 * echoed.
 *
 * <p>Threading: immutable; any thread, as every filter must be (a route's filters run where
 * its handler does).
 */
public final class Cors implements Handler {
    /** scheme "://" host [":" port], as a browser serialises an origin (RFC 6454 §6.2). */
    private static final Pattern ORIGIN = Pattern.compile("[a-z][a-z0-9+.-]*://[^/?#\\s]+");

    private final Set<String> origins;
    private final boolean anyOrigin;
    private final String methods;
    private final boolean anyMethod;
    private final String headers;
    private final boolean anyHeader;
    private final String exposed;
    private final boolean credentials;
    private final String maxAge;

    private Cors(Builder b) {
        this.origins = Set.copyOf(b.origins);
        this.anyOrigin = b.origins.contains("*");
        this.anyMethod = b.methods.contains("*");
        this.methods = String.join(", ", b.methods);
        this.anyHeader = b.headers.contains("*");
        this.headers = String.join(", ", b.headers);
        this.exposed = String.join(", ", b.exposed);
        this.credentials = b.credentials;
        this.maxAge = Long.toString(b.maxAge.toSeconds());
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void handle(Request req, Response res) {
        if (anyOrigin) {
            res.header("Access-Control-Allow-Origin", "*");
            if (!req.headers().contains("Origin")) return; // no String made for a value "*" ignores
        } else {
            res.header("Vary", "Origin");
            String origin = req.header("Origin");
            if (origin == null || !origins.contains(origin)) return;
            res.header("Access-Control-Allow-Origin", origin);
        }
        if (credentials) res.header("Access-Control-Allow-Credentials", "true");
        String method = req.method().equals(Method.OPTIONS) ? req.header("Access-Control-Request-Method") : null;
        if (method == null) {
            if (!exposed.isEmpty()) res.header("Access-Control-Expose-Headers", exposed);
            return;
        }
        // A preflight. With credentials "*" is a name, not a wildcard (Fetch §3.2.3): echo what was asked.
        res.header("Access-Control-Allow-Methods", anyMethod && credentials ? method : methods);
        String asked = req.header("Access-Control-Request-Headers");
        String allowHeaders = anyHeader && credentials ? asked : headers;
        if (allowHeaders != null && !allowHeaders.isEmpty()) res.header("Access-Control-Allow-Headers", allowHeaders);
        res.header("Access-Control-Max-Age", maxAge);
        res.status(204).send();
    }

    @Override
    public String toString() {
        return "Cors[origins=" + (anyOrigin ? "*" : origins) + ", methods=" + methods + ", credentials=" + credentials
                + "]";
    }

    /**
     * What a {@link Cors} filter allows. Default: no origin (give at least one), methods GET,
     * HEAD and POST, no request headers beyond the CORS-safelisted ones, nothing exposed, no
     * credentials, preflights cached for 10 minutes.
     *
     * <p>Threading: not thread-safe; the filter it builds is immutable.
     */
    public static final class Builder {
        private final Set<String> origins = new LinkedHashSet<>();
        private final Set<String> methods = new LinkedHashSet<>(List.of("GET", "HEAD", "POST"));
        private final Set<String> headers = new LinkedHashSet<>();
        private final Set<String> exposed = new LinkedHashSet<>();
        private boolean credentials;
        private Duration maxAge = Duration.ofMinutes(10);

        private Builder() {}

        /**
         * The origins whose pages may read responses: {@code https://app.example} or
         * {@code http://localhost:3000} (scheme, host and port, no path), or {@code *} alone
         * for every origin. Adds to those given before.
         */
        public Builder allowOrigins(String... origins) {
            return allowOrigins(List.of(origins));
        }

        public Builder allowOrigins(Collection<String> origins) {
            for (String o : origins) {
                String origin = o.toLowerCase(Locale.ROOT);
                if (!origin.equals("*") && !ORIGIN.matcher(origin).matches()) {
                    throw new IllegalArgumentException("a CORS origin is scheme://host[:port], without a path or a"
                            + " trailing slash (https://app.example), or * for every origin: \"" + o + "\"");
                }
                this.origins.add(origin);
            }
            return this;
        }

        /** The methods cross-origin requests may use, or {@code *}; replaces the default GET, HEAD, POST. */
        public Builder allowMethods(String... methods) {
            this.methods.clear();
            for (String m : methods) this.methods.add(token(m, "method"));
            return this;
        }

        /** The request header fields they may send beyond the safelisted ones ({@code Content-Type: application/json} needs {@code Content-Type}), or {@code *}. */
        public Builder allowHeaders(String... headers) {
            for (String h : headers) this.headers.add(token(h, "header"));
            return this;
        }

        /** The response header fields their scripts may read beyond the safelisted ones. */
        public Builder exposeHeaders(String... headers) {
            for (String h : headers) this.exposed.add(token(h, "header"));
            return this;
        }

        /** Whether their requests may carry cookies and HTTP authentication, and read the answers. Default false. */
        public Builder allowCredentials(boolean allow) {
            this.credentials = allow;
            return this;
        }

        /** How long a browser may cache a preflight's answer; browsers cap it (Chromium at 2 hours). */
        public Builder maxAge(Duration maxAge) {
            if (maxAge.isNegative()) throw new IllegalArgumentException("CORS max-age must not be negative: " + maxAge);
            this.maxAge = maxAge;
            return this;
        }

        /**
         * The filter, for {@link HttpServer#before}.
         *
         * @throws IllegalStateException without an origin, with {@code *} beside other origins,
         *     or with {@code *} and credentials
         */
        public Cors build() {
            if (origins.isEmpty()) {
                throw new IllegalStateException(
                        "CORS allows no origin: give allowOrigins(\"https://app.example\"), or \"*\" for every one");
            }
            if (origins.contains("*") && origins.size() > 1) {
                throw new IllegalStateException(
                        "CORS origin * already allows every origin: give * alone, or only the list " + origins);
            }
            if (origins.contains("*") && credentials) {
                throw new IllegalStateException(
                        "CORS with credentials cannot allow every origin (*): any site could then"
                                + " read your users' responses with their cookies; list the origins that may"
                                + " (allowOrigins(\"https://app.example\")), or drop allowCredentials");
            }
            Objects.requireNonNull(maxAge);
            return new Cors(this);
        }

        private static String token(String value, String what) {
            if (!value.equals("*") && !HttpChars.isToken(value)) {
                throw new IllegalArgumentException("a CORS " + what + " is a token, or *: \"" + value + "\"");
            }
            return value;
        }
    }
}
