package io.netloop.http;

import io.netloop.core.loop.IoMode;
import io.netloop.core.loop.WorkerPool;
import io.netloop.core.proxy.ProxyProtocol;
import io.netloop.core.proxy.TrustedProxies;
import io.netloop.core.tcp.AcceptMode;
import io.netloop.core.tcp.ConnectionConfig;
import io.netloop.core.tcp.ConnectionFilter;
import io.netloop.core.tcp.HandlerMode;
import io.netloop.core.tcp.TcpServer;
import io.netloop.core.tls.TlsConfig;
import io.netloop.core.transport.NetOption;
import io.netloop.http.codec.HttpLimits;
import io.netloop.http.codec.HttpParser;
import io.netloop.http.codec.Method;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP/1.1 server (RFC 9110, RFC 9112) on the reactor: a {@link TcpServer} whose
 * connections speak HTTP through an {@link HttpParser}, and a routing table.
 *
 * <pre>{@code
 * HttpServer server = HttpServer.builder().port(8080).build();
 * server.get("/users/{id}", (req, res) -> res.send("user " + req.param("id")));
 * server.post("/echo", (req, res) -> res.send(req.body()));
 * server.staticFiles("/", Path.of("site"));
 * server.start();
 * }</pre>
 *
 * <p>What every connection gets: keep-alive (HTTP/1.1 by default, HTTP/1.0 on request),
 * pipelining with responses in order, HEAD, OPTIONS and 405 with Allow, TRACE refused, 404,
 * 500 for a failing handler, well-formed error responses for malformed requests, Date and
 * Server fields, gzip for compressible bodies, and bounded everything: the parser's
 * {@link HttpLimits}, a header-read timeout, a minimum body rate, a write timeout (a
 * client that stops reading, or reads a few bytes at a time, is closed), a keep-alive idle
 * timeout, a cap on requests per connection, and a connection limit over which clients are
 * answered 503 with Retry-After and closed.
 *
 * <p>Owns its {@link TcpServer} (and through it the loop). Threading: routes are added
 * before {@link #start}, on one thread; afterwards the table is read-only. {@link #close},
 * {@link #shutdown} and the getters from any thread; handlers run on the loop thread.
 */
public final class HttpServer implements AutoCloseable {
    /**
     * The server's options as the connections read them.
     *
     * <p>Threading: immutable.
     */
    record Settings(
            HttpLimits limits,
            long headerTimeoutNanos,
            long idleTimeoutNanos,
            int maxRequestsPerConnection,
            boolean gzip,
            int gzipMinSize,
            AccessLog accessLog,
            TrustedProxies forwardedFor,
            int minBodyRate,
            boolean checkLifetimes) {}

    private final Builder builder;
    private final Settings settings;
    private final Router router = new Router();
    /** One per loop thread: each loop's connections share its Date cache, compressor and scratch buffer. */
    private final ConcurrentHashMap<Thread, LoopResources> resources = new ConcurrentHashMap<>();

    private volatile TcpServer tcp;
    private volatile boolean draining;
    /** False from the start of a {@link #drain}: load balancers are told to stop sending work. */
    private volatile boolean ready = true;
    /** Mounted by {@link #staticFiles}: their root descriptors close with the server. */
    private final java.util.List<StaticFiles> staticFiles = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Made on first use by a route of that mode; closed with the server. */
    private WorkerPool workers;

    private ExecutorService virtualThreads;
    private volatile boolean closed;

    private HttpServer(Builder b) {
        this.builder = b;
        this.settings = new Settings(
                b.limits,
                b.headerTimeout.toNanos(),
                b.idleTimeout.toNanos(),
                b.maxRequestsPerConnection,
                b.gzip,
                b.gzipMinSize,
                b.accessLog,
                b.forwardedFor,
                b.minBodyRate,
                b.checkLifetimes);
    }

    public static Builder builder() {
        return new Builder();
    }

    // --- routing -------------------------------------------------------------------------

    public Route get(String pattern, Handler handler) {
        return route(Method.GET, pattern, handler);
    }

    public Route post(String pattern, Handler handler) {
        return route(Method.POST, pattern, handler);
    }

    public Route put(String pattern, Handler handler) {
        return route(Method.PUT, pattern, handler);
    }

    public Route patch(String pattern, Handler handler) {
        return route(Method.PATCH, pattern, handler);
    }

    public Route delete(String pattern, Handler handler) {
        return route(Method.DELETE, pattern, handler);
    }

    /** A route for every method (TRACE and CONNECT excepted: the server refuses them). */
    public Route any(String pattern, Handler handler) {
        return route(null, pattern, handler);
    }

    /** A route for {@code method}, or for any method when it is null. */
    public Route route(Method method, String pattern, Handler handler) {
        if (tcp != null) throw new IllegalStateException("routes are added before start()");
        return router.add(method, pattern, handler);
    }

    /** Serves the files under {@code root} at {@code prefix} ("/" or "/assets"); see {@link StaticFiles}. */
    public StaticFiles staticFiles(String prefix, Path root) throws IOException {
        StaticFiles files = new StaticFiles(root);
        staticFiles.add(files);
        String p = prefix.endsWith("/") ? prefix : prefix + "/";
        get(p + "*", files);
        return files;
    }

    // --- life cycle ----------------------------------------------------------------------

    /** Binds and starts serving. */
    public HttpServer start() throws IOException {
        if (tcp != null) throw new IllegalStateException("already started");
        TcpServer.Builder t = TcpServer.builder()
                .host(builder.host)
                .port(builder.port)
                .io(builder.io)
                .connectionConfig(builder.connectionConfig.withWriteTimeout(builder.writeTimeout, builder.minSendRate))
                .threads(builder.threads)
                .accept(builder.accept)
                .maxConnections(
                        builder.maxConnections,
                        () -> new BusyConnection(loopResources().dates()))
                // Called on the loop thread that will own the connection (both accept modes).
                .handler(() -> new HttpConnection(this, loopResources()));
        if (builder.reusePort) t.listenOption(NetOption.SO_REUSEPORT, true);
        ConnectionFilter.Factory tls = builder.tls == null ? null : builder.tls.factory();
        t.filter(builder.proxyProtocol != null ? builder.proxyProtocol.factory(tls) : tls);
        tcp = t.start();
        return this;
    }

    /** This loop thread's shared resources; called on the loop thread that will own the connection (both accept modes). */
    private LoopResources loopResources() {
        return resources.computeIfAbsent(Thread.currentThread(), thread -> new LoopResources(settings));
    }

    Settings settings() {
        return settings;
    }

    Router router() {
        return router;
    }

    /**
     * Whether a graceful stop ({@link #drain} or {@link #shutdown}) has begun: responses then
     * carry {@code Connection: close}. Any thread.
     */
    public boolean isDraining() {
        return draining;
    }

    /**
     * Whether the server takes new work: started, and neither draining nor closed. What a
     * readiness probe reports. Any thread.
     */
    public boolean isReady() {
        return ready && tcp != null && !draining && !closed;
    }

    /**
     * Statistics per loop: connections, responses by status class, latency, bytes, wake-ups,
     * tasks. A monitoring read from any thread: each loop's counters are plain fields its
     * thread writes, so the numbers may be a moment stale (see {@link HttpLoopStats}).
     */
    public HttpStats stats() {
        TcpServer t = tcp();
        java.util.List<HttpStats.Loop> loops = new java.util.ArrayList<>();
        for (io.netloop.core.loop.EventLoop l : t.loops()) {
            HttpLoopStats.Snapshot http = HttpLoopStats.Snapshot.EMPTY;
            for (LoopResources r : resources.values()) {
                if (r.loop() == l) http = r.stats().snapshot();
            }
            loops.add(new HttpStats.Loop(l.name(), l.stats().snapshot(), http));
        }
        int queued;
        synchronized (this) {
            queued = workers == null ? 0 : workers.queueDepth();
        }
        return new HttpStats(isReady(), draining, queued, t.rejectedCount(), loops);
    }

    public InetSocketAddress localAddress() {
        return tcp().localAddress();
    }

    public int port() {
        return tcp().port();
    }

    /** Whether this server speaks TLS (https). */
    public boolean isTls() {
        return builder.tls != null;
    }

    /** The TCP server underneath: its loop, counts of connections. */
    public TcpServer tcp() {
        if (tcp == null) throw new IllegalStateException("not started");
        return tcp;
    }

    /**
     * Stops gracefully: stops accepting, closes idle keep-alive connections, lets requests in
     * flight finish (their responses carry {@code Connection: close}) for up to {@code grace},
     * then closes whatever is left.
     *
     * @return true when every connection finished within the grace period
     */
    public boolean shutdown(Duration grace) throws InterruptedException {
        TcpServer t = tcp;
        if (t == null || closed) return true;
        draining = true;
        t.stopAccepting();
        t.forEachConnection(c -> {
            if (c.attachment() instanceof HttpConnection h) {
                h.drain();
            } else {
                c.close(); // still in its TLS handshake or PROXY header: no request to finish
            }
        });
        long deadline = System.nanoTime() + grace.toNanos();
        boolean finished;
        while (!(finished = t.openCount() == 0) && System.nanoTime() - deadline < 0) Thread.sleep(10);
        close();
        return finished;
    }

    /**
     * Stops the way a load balancer needs it: readiness fails first ({@link #isReady()}
     * turns false and every response from now on carries {@code Connection: close}, so
     * keep-alive clients leave after their current request); after {@code pause}, time for
     * the balancer's health check to notice, the server stops accepting and lets requests in
     * flight finish for up to {@code timeout} ({@link #shutdown}). Blocks the calling thread
     * (not a loop's) for the whole drain.
     *
     * @return true when every connection finished within {@code timeout}
     */
    public boolean drain(Duration pause, Duration timeout) throws InterruptedException {
        if (tcp == null || closed) return true;
        ready = false;
        draining = true;
        long pauseNanos = pause.toNanos();
        if (pauseNanos > 0) java.util.concurrent.TimeUnit.NANOSECONDS.sleep(pauseNanos);
        return shutdown(timeout);
    }

    /** The executor for routes of {@code mode} (WORKERS or VIRTUAL). Any thread. */
    synchronized Executor executor(HandlerMode mode) {
        return switch (mode) {
            case WORKERS -> {
                if (workers == null) workers = new WorkerPool(builder.workerThreads, builder.workerQueue);
                yield workers;
            }
            case VIRTUAL -> {
                if (virtualThreads == null) {
                    virtualThreads = Executors.newThreadPerTaskExecutor(
                            Thread.ofVirtual().name("netloop-http-", 0).factory());
                }
                yield virtualThreads;
            }
            case LOOP -> throw new IllegalArgumentException("loop routes run on the loop");
        };
    }

    /** Closes every connection at once and stops the loop. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        draining = true;
        TcpServer t = tcp;
        if (t != null) t.close();
        staticFiles.forEach(StaticFiles::close);
        synchronized (this) {
            if (workers != null) workers.close();
            if (virtualThreads != null) virtualThreads.close();
        }
        resources.values().forEach(LoopResources::close); // the loops have stopped: nothing uses them any more
    }

    @Override
    public String toString() {
        return "HttpServer[" + (tcp == null ? "not started" : tcp.toString()) + "]";
    }

    /** Options of an {@link HttpServer}; each has a bounded default. Not thread-safe. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = 8080;
        private IoMode io = IoMode.AUTO;
        private HttpLimits limits = HttpLimits.DEFAULT;
        private Duration headerTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private int maxRequestsPerConnection = 10_000;
        private boolean gzip = true;
        private int gzipMinSize = 1024;
        private boolean checkLifetimes = Boolean.getBoolean("netloop.http.checkLifetimes");
        private AccessLog accessLog;
        private boolean reusePort;
        private int threads = 1;
        private int workerThreads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        private int workerQueue = 1024;
        private AcceptMode accept = AcceptMode.HANDOFF;
        private ConnectionConfig connectionConfig = ConnectionConfig.DEFAULT.withHighWaterMark(1024 * 1024, 256 * 1024);
        private int maxConnections = TcpServer.Builder.DEFAULT_MAX_CONNECTIONS;
        private Duration writeTimeout = Duration.ofSeconds(30);
        private int minSendRate = 1024;
        private int minBodyRate = 1024;
        private TlsConfig tls;
        private ProxyProtocol proxyProtocol;
        private TrustedProxies forwardedFor;

        /**
         * HTTPS: TLS on every connection (see {@link TlsConfig}); static files then go out
         * encrypted in bounded chunks instead of with sendfile(2). Default none.
         */
        public Builder tls(TlsConfig tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Every connection must begin with a PROXY protocol header from a trusted proxy (see
         * {@link ProxyProtocol}); {@link Request#remoteAddress()} and the access log then show
         * the client it names. Before TLS, when both are set. Default none.
         */
        public Builder proxyProtocol(ProxyProtocol proxyProtocol) {
            this.proxyProtocol = proxyProtocol;
            return this;
        }

        /**
         * Believes {@code X-Forwarded-For} on requests from these proxies: the rightmost
         * address not among them becomes {@link Request#remoteAddress()} (port 0). Default:
         * the header is ignored.
         */
        public Builder forwardedFor(TrustedProxies trusted) {
            this.forwardedFor = trusted;
            return this;
        }

        /** The pool for routes in {@link HandlerMode#WORKERS} mode: threads and queue capacity. */
        public Builder workers(int threads, int queueCapacity) {
            if (threads <= 0 || queueCapacity <= 0)
                throw new IllegalArgumentException("workers and queue must be positive");
            this.workerThreads = threads;
            this.workerQueue = queueCapacity;
            return this;
        }

        /** Event loops, one thread each; 0 for one per processor. Default 1. */
        public Builder threads(int threads) {
            if (threads < 0) throw new IllegalArgumentException("threads must not be negative: " + threads);
            this.threads = threads;
            return this;
        }

        /** How connections are spread over several loops (see {@link AcceptMode}). */
        public Builder accept(AcceptMode accept) {
            this.accept = Objects.requireNonNull(accept);
            return this;
        }

        /** Address to bind; default 127.0.0.1. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host);
            return this;
        }

        /** Port; default 8080; 0 lets the kernel choose ({@link HttpServer#port()} tells). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535: " + port);
            this.port = port;
            return this;
        }

        public Builder io(IoMode io) {
            this.io = Objects.requireNonNull(io);
            return this;
        }

        /** Request-line, header and body limits (414, 431, 413); default {@link HttpLimits#DEFAULT}. */
        public Builder limits(HttpLimits limits) {
            this.limits = Objects.requireNonNull(limits);
            return this;
        }

        /**
         * Time from a request's first byte to its complete head, and the longest pause while
         * reading a body; then 408 and close. Default 10 s: a slowloris client holds a
         * connection no longer than that.
         */
        public Builder headerTimeout(Duration d) {
            this.headerTimeout = positive(d, "headerTimeout");
            return this;
        }

        /**
         * Connections served at once; over it a client is answered 503 with Retry-After and
         * Connection: close, and closed. Default {@value TcpServer.Builder#DEFAULT_MAX_CONNECTIONS}.
         */
        public Builder maxConnections(int max) {
            if (max <= 0) throw new IllegalArgumentException("maxConnections must be positive: " + max);
            this.maxConnections = max;
            return this;
        }

        /**
         * While a response waits to be sent, it must drain at {@code minBytesPerSecond} (and by
         * at least a byte) over every {@code window}, or the connection is closed: a client
         * that stops reading, or reads a few bytes at a time, cannot hold the queued response
         * (and its memory) for long. Default 30 s at 1024 bytes/s.
         */
        public Builder writeTimeout(Duration window, int minBytesPerSecond) {
            this.writeTimeout = positive(window, "writeTimeout");
            if (minBytesPerSecond < 0)
                throw new IllegalArgumentException("minBytesPerSecond must not be negative: " + minBytesPerSecond);
            this.minSendRate = minBytesPerSecond;
            return this;
        }

        /**
         * A request body must arrive at this rate on average: it gets the header timeout to
         * start, plus one second per {@code bytesPerSecond} bytes received, after which it is
         * answered 408 (against a client that trickles a body to hold the connection). A pause
         * longer than the header timeout ends it sooner. 0 leaves only the pause limit.
         * Default 1024 bytes/s.
         */
        public Builder minBodyRate(int bytesPerSecond) {
            if (bytesPerSecond < 0)
                throw new IllegalArgumentException("minBodyRate must not be negative: " + bytesPerSecond);
            this.minBodyRate = bytesPerSecond;
            return this;
        }

        /** How long a keep-alive connection may wait for its next request; default 60 s. */
        public Builder idleTimeout(Duration d) {
            this.idleTimeout = positive(d, "idleTimeout");
            return this;
        }

        /** Requests on one connection before the server answers with Connection: close; default 10,000. */
        public Builder maxRequestsPerConnection(int n) {
            if (n <= 0) throw new IllegalArgumentException("maxRequestsPerConnection must be positive: " + n);
            this.maxRequestsPerConnection = n;
            return this;
        }

        /** gzip for compressible fixed bodies of at least {@code minSize} bytes; default on, 1 KiB. */
        public Builder gzip(boolean on) {
            this.gzip = on;
            return this;
        }

        public Builder gzipMinSize(int minSize) {
            if (minSize < 0) throw new IllegalArgumentException("gzipMinSize must not be negative: " + minSize);
            this.gzipMinSize = minSize;
            return this;
        }

        /**
         * Never reuses a request's storage, so that every use of a {@link Request} or
         * {@link Response} after its exchange is over fails at once: a debugging aid that
         * costs the garbage reuse saves. Default: the system property
         * {@code netloop.http.checkLifetimes}, else off.
         */
        public Builder checkLifetimes(boolean on) {
            this.checkLifetimes = on;
            return this;
        }

        /** Where to log each response (combined format); default none. The caller closes it after the server. */
        public Builder accessLog(AccessLog log) {
            this.accessLog = log;
            return this;
        }

        public Builder reusePort(boolean on) {
            this.reusePort = on;
            return this;
        }

        /** Output queued per connection before the server stops producing (streams wait, pipelining waits). */
        public Builder connectionConfig(ConnectionConfig config) {
            this.connectionConfig = Objects.requireNonNull(config);
            return this;
        }

        /** The server, routes still to be added; then {@link HttpServer#start()}. */
        public HttpServer build() {
            return new HttpServer(this);
        }

        private static Duration positive(Duration d, String name) {
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
            return d;
        }
    }
}
