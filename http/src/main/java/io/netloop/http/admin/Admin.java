package io.netloop.http.admin;

import io.netloop.http.BodyWriter;
import io.netloop.http.HttpServer;
import io.netloop.http.HttpStats;
import io.netloop.http.Request;
import io.netloop.http.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;

/**
 * The operator's endpoints of an {@link HttpServer}:
 * <ul>
 * <li>{@code /healthz}: liveness, 200 while the server's loops run;
 * <li>{@code /readyz}: readiness, 200 while the server takes new work, 503 once a drain has
 *     begun ({@link HttpServer#drain}), so that a load balancer or Kubernetes stops sending;
 * <li>{@code /metrics}: the Prometheus text format;
 * <li>{@code /dashboard}: a live page (connections, requests/s, latency p50/p99, per-loop
 *     load), fed by {@code /dashboard/events}, a server-sent event stream.
 * </ul>
 * Either under a path prefix on the server's own port, installed before it starts:
 * <pre>{@code
 * HttpServer http = HttpServer.builder().port(8080).build();
 * Admin admin = Admin.onPath(http, "/_netloop");      // /_netloop/readyz ...
 * http.start();
 * }</pre>
 * or on a port of their own (a second, one-loop server that only reads the first one's
 * counters), so that they can be kept off the public network:
 * <pre>{@code
 * Admin admin = Admin.onPort(http, "127.0.0.1", 9090).start();   // http://127.0.0.1:9090/readyz
 * ...
 * http.drain(pause, timeout);
 * admin.close();
 * }</pre>
 *
 * <p>Owns the admin server when it has a port of its own. Threading: the factories,
 * {@link #start} and {@link #close} on the thread that runs the servers; the endpoints run
 * on the loop of the server that serves them.
 */
public final class Admin implements AutoCloseable {
    /** How often the dashboard's event stream sends a sample. */
    public static final Duration DEFAULT_FEED_INTERVAL = Duration.ofSeconds(1);

    private final HttpServer observed;
    /** The server the endpoints are routes of: {@link #observed} itself, or the admin server. */
    private final HttpServer host;

    private final String prefix;
    private final Duration feedInterval;

    private Admin(HttpServer observed, HttpServer host, String prefix, Duration feedInterval) {
        this.observed = observed;
        this.host = host;
        this.prefix = prefix;
        this.feedInterval = feedInterval;
        install();
    }

    /**
     * The endpoints under {@code prefix} ("/_netloop") on {@code server}'s own port. Call
     * before it starts, and before routes that would match the prefix (a catch-all such as
     * {@code staticFiles("/", root)}): the first matching route wins.
     */
    public static Admin onPath(HttpServer server, String prefix) {
        return onPath(server, prefix, DEFAULT_FEED_INTERVAL);
    }

    public static Admin onPath(HttpServer server, String prefix, Duration feedInterval) {
        return new Admin(server, server, normalise(prefix), feedInterval);
    }

    /** The endpoints at the root of a separate server on {@code host:port} (0: any free port); then {@link #start}. */
    public static Admin onPort(HttpServer server, String host, int port) {
        return onPort(server, host, port, DEFAULT_FEED_INTERVAL);
    }

    public static Admin onPort(HttpServer server, String host, int port, Duration feedInterval) {
        HttpServer admin =
                HttpServer.builder().host(host).port(port).threads(1).gzip(true).build();
        return new Admin(server, admin, "", feedInterval);
    }

    private static String normalise(String prefix) {
        Objects.requireNonNull(prefix);
        if (!prefix.startsWith("/"))
            throw new IllegalArgumentException("the admin path must start with '/': " + prefix);
        String p = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        if (p.isEmpty())
            throw new IllegalArgumentException(
                    "the admin path must not be '/': the endpoints would hide the site's own");
        return p;
    }

    private void install() {
        byte[] page = resource("dashboard.html");
        host.get(prefix + "/healthz", (req, res) -> health(res, alive(), "alive"));
        host.get(prefix + "/readyz", (req, res) -> health(res, observed.isReady(), "ready"));
        host.get(
                prefix + "/metrics",
                (req, res) -> res.type(PrometheusText.CONTENT_TYPE)
                        .setHeader("Cache-Control", "no-store")
                        .send(MetricsPage.render(observed.stats(), ProcessStats.now())));
        host.get(
                prefix + "/dashboard",
                (req, res) -> res.type("text/html; charset=utf-8")
                        .setHeader("Cache-Control", "no-cache")
                        .send(page));
        host.get(prefix + "/dashboard/events", this::events);
    }

    private boolean alive() {
        try {
            return observed.tcp().loops().stream().noneMatch(l -> l.isShutdown());
        } catch (IllegalStateException notStarted) {
            return false;
        }
    }

    private static void health(Response res, boolean ok, String what) {
        res.status(ok ? 200 : 503).setHeader("Cache-Control", "no-store").send(ok ? what + "\n" : "not " + what + "\n");
    }

    /** A server-sent event stream: a sample every interval, until the client leaves or the server drains. */
    private void events(Request req, Response res) {
        LiveSample sample = new LiveSample(observed.stats(), System.nanoTime());
        BodyWriter out = res
                .type("text/event-stream")
                .setHeader("Cache-Control", "no-cache")
                .setHeader("X-Accel-Buffering", "no") // nginx: pass events on as they come
                .stream();
        out.write("retry: 2000\n\n");
        out.every(feedInterval, () -> {
            if (host.isDraining()) {
                out.end(); // an open stream would hold the drain up to its timeout
                return;
            }
            HttpStats now = observed.stats();
            out.write("data: " + sample.next(now, System.nanoTime(), ProcessStats.now()) + "\n\n");
        });
    }

    /** Starts the admin server, when it has a port of its own; otherwise nothing to do. */
    public Admin start() throws IOException {
        if (host != observed) host.start();
        return this;
    }

    /** The port the endpoints answer on (the server's own, or the admin port). */
    public int port() {
        return host.port();
    }

    /** The path the endpoints are under: "" on an admin port, else the prefix. */
    public String prefix() {
        return prefix;
    }

    /** Closes the admin server, when it has its own; the observed server is the caller's. */
    @Override
    public void close() {
        if (host != observed) host.close();
    }

    private static byte[] resource(String name) {
        try (InputStream in = Admin.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException(name + " is missing from the netloop-http jar");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
