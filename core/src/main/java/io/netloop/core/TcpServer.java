package io.netloop.core;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A listening TCP server on one {@link EventLoop}: an {@link Acceptor} that turns each new
 * socket into a {@link TcpConnection} with a fresh {@link ConnectionHandler}.
 *
 * <pre>{@code
 * TcpServer server = TcpServer.builder()
 *         .port(7007)
 *         .handler(() -> (conn, in) -> conn.send(in))   // echo
 *         .start();
 * }</pre>
 *
 * <p>Owns its listener and its connections, and its loop when it made one.
 * Threading: the builder and {@link #start} on any one thread; the getters and
 * {@link #close} from any thread; handlers run on the loop thread.
 */
public final class TcpServer implements AutoCloseable {
    private final EventLoop loop;
    private final boolean ownsLoop;
    private final ListenSocket listener;
    private final Supplier<? extends ConnectionHandler> handlers;
    private final ConnectionConfig connectionConfig;
    private final SocketConfig childOptions;
    private final Set<TcpConnection> connections = Collections.newSetFromMap(new IdentityHashMap<>());
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong closed = new AtomicLong();
    private final Acceptor acceptor;
    private volatile boolean stopped;

    private TcpServer(Builder b, EventLoop loop, boolean ownsLoop, ListenSocket listener) {
        this.loop = loop;
        this.ownsLoop = ownsLoop;
        this.listener = listener;
        this.handlers = b.handlers;
        this.connectionConfig = b.connectionConfig;
        this.childOptions = b.childOptions;
        this.acceptor = new Acceptor(loop, listener, this::newConnection);
    }

    public static Builder builder() {
        return new Builder();
    }

    private void newConnection(StreamSocket socket) {
        try {
            childOptions.applyTo(socket);
        } catch (IOException | RuntimeException e) {
            loop.reportFailure("setting options " + childOptions + " on " + socket, e);
        }
        TcpConnection c = new TcpConnection(loop, socket, handlers.get(), connectionConfig, this::connectionClosed);
        accepted.incrementAndGet();
        connections.add(c);
        c.start();
    }

    private void connectionClosed(TcpConnection c) {
        connections.remove(c);
        closed.incrementAndGet();
    }

    /** The bound address; with port 0 in the builder, the port the kernel chose. */
    public InetSocketAddress localAddress() {
        return listener.localAddress();
    }

    public int port() {
        return listener.localAddress().getPort();
    }

    public EventLoop loop() {
        return loop;
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

    /** Connections closed at once for want of descriptors (see {@link Acceptor}). */
    public long refusedCount() throws InterruptedException {
        return callInLoop(acceptor::refused);
    }

    /** Runs {@code action} on each open connection, on the loop thread. */
    public void forEachConnection(java.util.function.Consumer<TcpConnection> action) {
        loop.runInLoop(() -> Set.copyOf(connections).forEach(action));
    }

    private <T> T callInLoop(Supplier<T> s) throws InterruptedException {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.runInLoop(() -> f.complete(s.get()));
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Stops accepting and closes the listener; open connections go on. The first step of a
     * graceful stop: stop accepting, let connections finish, then {@link #close}. Any
     * thread; idempotent.
     */
    public void stopAccepting() {
        if (stopped || loop.isTerminated()) return;
        try {
            loop.runInLoop(acceptor::close);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // The loop stopped meanwhile; it closed the listener with everything else.
        }
    }

    /** Stops accepting, closes every connection, and stops the loop if the server made it. */
    @Override
    public void close() {
        if (stopped) return;
        stopped = true;
        if (!loop.isTerminated()) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            try {
                loop.runInLoop(() -> {
                    acceptor.close();
                    for (TcpConnection c : Set.copyOf(connections)) c.close(null);
                    done.complete(null);
                });
                if (!loop.inLoop()) done.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | java.util.concurrent.RejectedExecutionException e) {
                // The loop stopped meanwhile; it closed everything it owned.
            }
        }
        if (ownsLoop) loop.close();
    }

    @Override
    public String toString() {
        return "TcpServer[" + listener.localAddress() + ", " + loop.transport().name() + "]";
    }

    /** Options of a {@link TcpServer}; every one has a bounded default. Not thread-safe. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private IoMode io = IoMode.AUTO;
        private EventLoop loop;
        private int backlog = 1024;
        private SocketConfig listenOptions = SocketConfig.EMPTY;
        private SocketConfig childOptions = SocketConfig.EMPTY.with(NetOption.TCP_NODELAY, true);
        private ConnectionConfig connectionConfig = ConnectionConfig.DEFAULT;
        private Supplier<? extends ConnectionHandler> handlers;

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

        /** Runs on an existing loop (which the server will not stop) instead of its own. */
        public Builder loop(EventLoop loop) {
            this.loop = loop;
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

        /** A new handler for each connection. */
        public Builder handler(Supplier<? extends ConnectionHandler> handlers) {
            this.handlers = Objects.requireNonNull(handlers);
            return this;
        }

        /** Binds, listens and starts accepting. */
        public TcpServer start() throws IOException {
            if (handlers == null) throw new IllegalStateException("no handler: call handler(...) before start()");
            InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(host), port);
            boolean ownsLoop = loop == null;
            EventLoop l = ownsLoop ? EventLoop.open(io) : loop;
            ListenSocket listener;
            try {
                listener = l.transport().listen(address, backlog, listenOptions);
            } catch (IOException | RuntimeException e) {
                if (ownsLoop) l.close();
                throw e;
            }
            TcpServer server = new TcpServer(this, l, ownsLoop, listener);
            CompletableFuture<Void> started = new CompletableFuture<>();
            l.runInLoop(() -> {
                try {
                    server.acceptor.start();
                    started.complete(null);
                } catch (RuntimeException e) {
                    started.completeExceptionally(e);
                }
            });
            try {
                started.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                server.close();
                throw new IOException("interrupted while starting " + server, e);
            } catch (ExecutionException e) {
                server.close();
                throw new IOException("could not start " + server + ": " + e.getCause().getMessage(), e.getCause());
            }
            return server;
        }
    }
}
