package io.netloop.core.tcp;

import io.netloop.core.loop.EventLoop;
import io.netloop.core.loop.EventLoopGroup;
import io.netloop.core.loop.FailureRule;
import io.netloop.core.loop.IoMode;
import io.netloop.core.loop.LoopStats;
import io.netloop.core.loop.WorkerPool;
import io.netloop.core.tcp.internal.Acceptor;
import io.netloop.core.transport.ListenSocket;
import io.netloop.core.transport.NetOption;
import io.netloop.core.transport.SocketConfig;
import io.netloop.core.transport.StreamSocket;
import io.netloop.core.transport.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A listening TCP server on one or more {@link EventLoop}s: {@link Acceptor}s turn each new
 * socket into a {@link TcpConnection} with a fresh {@link ConnectionHandler}.
 *
 * <pre>{@code
 * TcpServer server = TcpServer.builder()
 *         .port(7007)
 *         .threads(4).accept(AcceptMode.REUSEPORT)     // four loops, kernel-balanced
 *         .handlers(HandlerMode.LOOP)
 *         .idleTimeout(Duration.ofSeconds(60))
 *         .handler(() -> (conn, in) -> conn.send(in))   // echo
 *         .start();
 * }</pre>
 *
 * <p>Spreading connections: {@link AcceptMode}. Where handler code runs: {@link HandlerMode}.
 *
 * <p>At most {@link Builder#maxConnections} connections are served at once; one more is
 * handed to the over-limit handler (an HTTP server answers 503 there; at most 256 such at a
 * time, and never behind a {@link ConnectionFilter}, whose handshake would cost more than the
 * answer is worth) or closed at once. Such connections are counted by {@link #rejectedCount},
 * not as accepted.
 *
 * <p>Owns its listeners and connections, and its loops and worker pool when it made them.
 * Threading: the builder and {@link Builder#start} on any one thread; the getters, statistics and
 * {@link #close} from any thread; handlers as their {@link HandlerMode} says.
 */
public final class TcpServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TcpServer.class.getName());
    private final List<EventLoop> loops;
    private final EventLoopGroup ownedGroup;
    private final EventLoop ownedLoop;
    private final AcceptMode acceptMode;
    private final HandlerMode handlerMode;
    private final WorkerPool workers;
    private final ExecutorService virtualThreads;
    private final Executor handlerExecutor;
    private final Supplier<? extends ConnectionHandler> handlers;
    private final ConnectionConfig connectionConfig;
    private final SocketConfig childOptions;
    /** The child options the kernel does not copy from the listener: set on each accepted socket. */
    private SocketConfig perChildOptions;

    private final ConnectionFilter.Factory filters;
    private final List<Acceptor> acceptors = new ArrayList<>();
    private final Set<TcpConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong closed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    /** Served connections open now: what {@link #maxConnections} bounds. */
    private final java.util.concurrent.atomic.AtomicInteger admitted = new java.util.concurrent.atomic.AtomicInteger();
    /** Connections over the limit still open with the over-limit handler. */
    private final java.util.concurrent.atomic.AtomicInteger overLimitOpen =
            new java.util.concurrent.atomic.AtomicInteger();
    /** At most this many over-limit connections are answered at a time; the rest are closed at once. */
    static final int OVER_LIMIT_BUDGET = 256;

    private final int maxConnections;
    private final Supplier<? extends ConnectionHandler> overLimit;
    private InetSocketAddress localAddress;
    private volatile boolean stopped;

    private TcpServer(Builder b, List<EventLoop> loops, EventLoopGroup ownedGroup, EventLoop ownedLoop) {
        this.loops = loops;
        this.ownedGroup = ownedGroup;
        this.ownedLoop = ownedLoop;
        this.acceptMode = b.acceptMode;
        this.handlerMode = b.handlerMode;
        this.handlers = b.handlers;
        this.connectionConfig = b.connectionConfig;
        this.childOptions = b.childOptions;
        this.filters = b.filters;
        this.maxConnections = b.maxConnections;
        this.overLimit = b.overLimit;
        this.workers = b.handlerMode == HandlerMode.WORKERS ? new WorkerPool(b.workerThreads, b.workerQueue) : null;
        this.virtualThreads = b.handlerMode == HandlerMode.VIRTUAL
                ? Executors.newThreadPerTaskExecutor(
                        Thread.ofVirtual().name("netloop-handler-", 0).factory())
                : null;
        this.handlerExecutor = workers != null ? workers : virtualThreads;
    }

    public static Builder builder() {
        return new Builder();
    }

    private void newConnection(EventLoop loop, StreamSocket socket) {
        if (stopped) {
            closeQuietly(socket);
            return;
        }
        if (!perChildOptions.isEmpty()) {
            try {
                perChildOptions.applyTo(socket);
            } catch (IOException | RuntimeException e) {
                loop.reportFailure("setting options " + perChildOptions + " on " + socket, e);
            }
        }
        // The limit first: a connection over it must cost no TLS engine or handshake timer.
        if (admitted.incrementAndGet() > maxConnections) {
            admitted.decrementAndGet();
            reject(loop, socket);
            return;
        }
        ConnectionFilter filter = null;
        if (filters != null) {
            try {
                filter = filters.create(socket.remoteAddress());
            } catch (IOException | RuntimeException e) {
                admitted.decrementAndGet();
                // A refused source (an untrusted proxy): routine for a public port, so not a warning.
                LOG.log(System.Logger.Level.DEBUG, () -> "refused " + socket + ": " + e.getMessage());
                closeQuietly(socket);
                return;
            } catch (Throwable e) {
                FailureRule.survive(e, "the filter factory of " + this);
                admitted.decrementAndGet();
                loop.reportFailure("creating a filter for " + socket + " (closed)", e);
                closeQuietly(socket);
                return;
            }
        }
        TcpConnection c;
        try {
            c = TcpConnection.accepted(
                    loop, socket, handlers.get(), connectionConfig, this::connectionClosed, handlerExecutor, filter);
        } catch (Throwable e) {
            FailureRule.survive(e, "the handler supplier of " + this);
            admitted.decrementAndGet();
            loop.reportFailure("creating a handler for " + socket + " (closed)", e);
            closeQuietly(socket);
            return;
        }
        accepted.incrementAndGet();
        connections.add(c);
        c.start();
    }

    /** HANDOFF: the accepting loop passes each socket to the next loop, round-robin. */
    private Consumer<StreamSocket> handoff(EventLoop acceptorLoop) {
        int[] next = {0};
        return socket -> {
            EventLoop target =
                    loops.get(Math.floorMod(next[0]++, loops.size())); // floorMod: the counter wraps after 2^31
            if (target == acceptorLoop) {
                newConnection(target, socket);
                return;
            }
            try {
                target.execute(() -> newConnection(target, socket));
            } catch (RejectedExecutionException stopping) {
                closeQuietly(socket);
            }
        };
    }

    /**
     * Over {@link #maxConnections}: closed at once, or given to the over-limit handler (to say
     * "busy") while fewer than {@link #OVER_LIMIT_BUDGET} such connections are still open, so
     * that a flood over the limit cannot hold descriptors itself. Behind a filter (TLS, the
     * PROXY protocol) the connection is closed at once: answering would first cost a handshake.
     */
    private void reject(EventLoop loop, StreamSocket socket) {
        rejected.incrementAndGet();
        if (overLimit == null || filters != null || overLimitOpen.incrementAndGet() > OVER_LIMIT_BUDGET) {
            if (overLimit != null && filters == null) overLimitOpen.decrementAndGet();
            closeQuietly(socket);
            return;
        }
        TcpConnection c;
        try {
            c = TcpConnection.accepted(
                    loop,
                    socket,
                    overLimit.get(),
                    connectionConfig,
                    closed -> {
                        overLimitOpen.decrementAndGet();
                        connections.remove(closed);
                    },
                    null,
                    null);
        } catch (Throwable e) {
            FailureRule.survive(e, "the over-limit handler supplier of " + this);
            overLimitOpen.decrementAndGet();
            loop.reportFailure("creating an over-limit handler for " + socket + " (closed)", e);
            closeQuietly(socket);
            return;
        }
        connections.add(c);
        c.start();
    }

    private static void closeQuietly(StreamSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // a socket nobody used yet: nothing to report
        }
    }

    private void connectionClosed(TcpConnection c) {
        connections.remove(c);
        admitted.decrementAndGet();
        closed.incrementAndGet();
    }

    /** The bound address; with port 0 in the builder, the port the kernel chose. */
    public InetSocketAddress localAddress() {
        return localAddress;
    }

    public int port() {
        return localAddress.getPort();
    }

    /** The first loop (the accepting one in {@link AcceptMode#HANDOFF}). */
    public EventLoop loop() {
        return loops.getFirst();
    }

    public List<EventLoop> loops() {
        return loops;
    }

    public AcceptMode acceptMode() {
        return acceptMode;
    }

    public HandlerMode handlerMode() {
        return handlerMode;
    }

    public long acceptedCount() {
        return accepted.get();
    }

    public long closedCount() {
        return closed.get();
    }

    public long openCount() {
        return accepted.get() - closed.get();
    }

    /** Connections refused for being over {@link Builder#maxConnections} (answered by the over-limit handler, or closed). */
    public long rejectedCount() {
        return rejected.get();
    }

    public int maxConnections() {
        return maxConnections;
    }

    /** Tasks waiting for a worker ({@link HandlerMode#WORKERS}); 0 otherwise. */
    public int workerQueueDepth() {
        return workers == null ? 0 : workers.queueDepth();
    }

    /** Connections, bytes and loop counters; a monitoring read (may be slightly stale). */
    public ServerStats stats() {
        List<LoopStats.Snapshot> perLoop =
                loops.stream().map(l -> l.stats().snapshot()).toList();
        return new ServerStats(openCount(), accepted.get(), closed.get(), workerQueueDepth(), perLoop);
    }

    /** Runs {@code action} on each open connection, on that connection's loop; completes when all have run. */
    public CompletableFuture<Void> forEachConnection(Consumer<TcpConnection> action) {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (TcpConnection c : connections) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            all.add(f);
            try {
                c.loop().runInLoop(() -> {
                    try {
                        if (c.isOpen()) action.accept(c);
                        f.complete(null);
                    } catch (Throwable t) {
                        f.completeExceptionally(t);
                    }
                });
            } catch (RejectedExecutionException stopped) {
                f.complete(null);
            }
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    /**
     * Stops accepting and closes the listeners; open connections go on. The first step of a
     * graceful stop: stop accepting, let connections finish, then {@link #close}. Any
     * thread; idempotent.
     */
    public void stopAccepting() {
        if (stopped) return;
        for (Acceptor a : acceptors) {
            try {
                a.loop().runInLoop(a::close);
            } catch (RejectedExecutionException e) {
                // The loop stopped meanwhile; it closed the listener with everything else.
            }
        }
    }

    /** Stops accepting, closes every connection, then the workers and the loops the server made. */
    @Override
    public void close() {
        if (stopped) return;
        stopped = true;
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (EventLoop loop : loops) {
            if (loop.isTerminated()) continue;
            CompletableFuture<Void> f = new CompletableFuture<>();
            done.add(f);
            try {
                loop.runInLoop(() -> {
                    for (Acceptor a : acceptors) if (a.loop() == loop) a.close();
                    for (TcpConnection c : connections) if (c.loop() == loop) c.close(null);
                    f.complete(null);
                });
            } catch (RejectedExecutionException e) {
                f.complete(null); // the loop stopped meanwhile; it closed everything it owned
            }
        }
        boolean onALoop = loops.stream().anyMatch(EventLoop::inLoop);
        if (!onALoop) {
            try {
                CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                System.getLogger(TcpServer.class.getName())
                        .log(System.Logger.Level.WARNING, "closing " + this + ": " + e);
            }
        }
        Runnable closeExecutors = () -> {
            if (workers != null) workers.close();
            if (virtualThreads != null) virtualThreads.close();
        };
        if (onALoop
                || Thread.currentThread().isVirtual()
                || Thread.currentThread().getName().startsWith("netloop-worker-")) {
            // Waiting for the pools from one of their own threads (or a loop they report to) would never end.
            Thread.ofPlatform().name("netloop-close-" + localAddress).start(closeExecutors);
        } else {
            closeExecutors.run();
        }
        if (ownedGroup != null) ownedGroup.close();
        if (ownedLoop != null) ownedLoop.close();
    }

    @Override
    public String toString() {
        return "TcpServer[" + localAddress + ", " + loops.getFirst().transport().name() + ", " + loops.size()
                + " loop(s), " + acceptMode + ", " + handlerMode + "]";
    }

    /** Options of a {@link TcpServer}; every one has a bounded default. Not thread-safe. */
    public static final class Builder {
        public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

        private String host = "127.0.0.1";
        private int port;
        private IoMode io = IoMode.AUTO;
        private EventLoop loop;
        private EventLoopGroup group;
        private int threads = 1;
        private AcceptMode acceptMode = AcceptMode.HANDOFF;
        private HandlerMode handlerMode = HandlerMode.LOOP;
        private int workerThreads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        private int workerQueue = 1024;
        private int backlog = 1024;
        private SocketConfig listenOptions = SocketConfig.EMPTY;
        private SocketConfig childOptions = SocketConfig.EMPTY.with(NetOption.TCP_NODELAY, true);
        private ConnectionConfig connectionConfig = ConnectionConfig.DEFAULT;
        private Supplier<? extends ConnectionHandler> handlers;
        private ConnectionFilter.Factory filters;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private Supplier<? extends ConnectionHandler> overLimit;

        /** Address to bind: a name or literal; "0.0.0.0" or "::" for all. Default 127.0.0.1. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host);
            return this;
        }

        /** 0 (the default) lets the kernel choose; read it back with {@link TcpServer#port()}. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535: " + port);
            this.port = port;
            return this;
        }

        public Builder io(IoMode io) {
            this.io = Objects.requireNonNull(io);
            return this;
        }

        /** Runs on one existing loop (which the server will not stop). */
        public Builder loop(EventLoop loop) {
            this.loop = loop;
            return this;
        }

        /** Runs on an existing group (which the server will not stop). */
        public Builder group(EventLoopGroup group) {
            this.group = group;
            return this;
        }

        /** Loops the server makes for itself: 0 for one per processor. Default 1. */
        public Builder threads(int threads) {
            if (threads < 0) throw new IllegalArgumentException("threads must not be negative: " + threads);
            this.threads = threads;
            return this;
        }

        public Builder accept(AcceptMode mode) {
            this.acceptMode = Objects.requireNonNull(mode);
            return this;
        }

        public Builder handlers(HandlerMode mode) {
            this.handlerMode = Objects.requireNonNull(mode);
            return this;
        }

        /** {@link HandlerMode#WORKERS}: pool threads and queue capacity. */
        public Builder workers(int threads, int queueCapacity) {
            if (threads <= 0 || queueCapacity <= 0)
                throw new IllegalArgumentException("workers and queue must be positive");
            this.workerThreads = threads;
            this.workerQueue = queueCapacity;
            return this;
        }

        public Builder backlog(int backlog) {
            if (backlog <= 0) throw new IllegalArgumentException("backlog must be positive: " + backlog);
            this.backlog = backlog;
            return this;
        }

        public <T> Builder listenOption(NetOption<T> option, T value) {
            listenOptions = listenOptions.with(option, value);
            return this;
        }

        public <T> Builder childOption(NetOption<T> option, T value) {
            childOptions = childOptions.with(option, value);
            return this;
        }

        public Builder connectionConfig(ConnectionConfig config) {
            this.connectionConfig = Objects.requireNonNull(config);
            return this;
        }

        /** Closes connections idle (no bytes either way) for longer; Duration.ZERO for never. */
        public Builder idleTimeout(Duration timeout) {
            this.connectionConfig = connectionConfig.withIdleTimeout(timeout);
            return this;
        }

        /**
         * A filter between each connection's socket and its handler (TLS, the PROXY protocol;
         * see {@link ConnectionFilter}); default none, the plaintext path.
         */
        public Builder filter(ConnectionFilter.Factory filters) {
            this.filters = filters;
            return this;
        }

        /**
         * Connections served at once; the next ones are closed at once. Default
         * {@value #DEFAULT_MAX_CONNECTIONS}; beyond the descriptor limit the acceptor sheds
         * connections anyway, so a limit under it keeps descriptors for files and the like.
         */
        public Builder maxConnections(int max) {
            if (max <= 0) throw new IllegalArgumentException("maxConnections must be positive: " + max);
            this.maxConnections = max;
            return this;
        }

        /**
         * As {@link #maxConnections(int)}, and each connection over the limit gets a handler
         * from {@code overLimit} (to answer "busy, come back later") instead of being closed
         * at once. Such handlers should close their connection soon; they run on the loop.
         */
        public Builder maxConnections(int max, Supplier<? extends ConnectionHandler> overLimit) {
            maxConnections(max);
            this.overLimit = Objects.requireNonNull(overLimit);
            return this;
        }

        /** A new handler for each connection. */
        public Builder handler(Supplier<? extends ConnectionHandler> handlers) {
            this.handlers = Objects.requireNonNull(handlers);
            return this;
        }

        /** Binds, listens and starts accepting. */
        public TcpServer start() throws IOException {
            if (handlers == null) throw new IllegalStateException("no handler: call handler(...) before start()");
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(host), port);
            EventLoopGroup ownedGroup = null;
            EventLoop ownedLoop = null;
            List<EventLoop> loops;
            if (loop != null) {
                loops = List.of(loop);
            } else if (group != null) {
                loops = group.loops();
            } else if (threads == 1) {
                ownedLoop = EventLoop.open(io);
                loops = List.of(ownedLoop);
            } else {
                ownedGroup = new EventLoopGroup(threads, io);
                loops = ownedGroup.loops();
            }
            TcpServer server = new TcpServer(this, loops, ownedGroup, ownedLoop);
            try {
                server.listen(address, backlog, listenOptions);
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        }
    }

    private void listen(InetSocketAddress address, int backlog, SocketConfig options) throws IOException {
        List<EventLoop> acceptorLoops = acceptMode == AcceptMode.REUSEPORT ? loops : List.of(loops.getFirst());
        if (acceptMode == AcceptMode.REUSEPORT) options = options.with(NetOption.SO_REUSEPORT, true);
        // An accepted socket starts as a copy of its listener: an option the kernel copies is set
        // once on the listener rather than with a system call per connection (nginx's way too).
        Transport transport = loops.getFirst().transport();
        SocketConfig perChild = SocketConfig.EMPTY;
        for (Map.Entry<NetOption<?>, Object> e : childOptions.values().entrySet()) {
            NetOption<?> option = e.getKey();
            if (transport.inheritsFromListener(option) && options.get(option) == null) {
                options = options.withValue(option, e.getValue());
            } else {
                perChild = perChild.withValue(option, e.getValue());
            }
        }
        perChildOptions = perChild;
        InetSocketAddress bindTo = address;
        for (EventLoop l : acceptorLoops) {
            ListenSocket listener = l.transport().listen(bindTo, backlog, options);
            localAddress = listener.localAddress();
            bindTo = localAddress; // the others share the port the first one got
            Consumer<StreamSocket> sink = acceptMode == AcceptMode.REUSEPORT ? s -> newConnection(l, s) : handoff(l);
            Acceptor acceptor = new Acceptor(l, listener, sink);
            acceptors.add(acceptor);
            CompletableFuture<Void> started = new CompletableFuture<>();
            l.runInLoop(() -> {
                try {
                    acceptor.start();
                    started.complete(null);
                } catch (RuntimeException e) {
                    started.completeExceptionally(e);
                }
            });
            try {
                started.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting " + this, e);
            } catch (ExecutionException e) {
                throw new IOException(
                        "could not start " + this + ": " + e.getCause().getMessage(), e.getCause());
            }
        }
    }
}
