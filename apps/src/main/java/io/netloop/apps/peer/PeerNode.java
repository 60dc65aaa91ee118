package io.netloop.apps.peer;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.loop.DescriptorInput;
import io.netloop.core.loop.EventLoop;
import io.netloop.core.loop.IoMode;
import io.netloop.core.loop.Timer;
import io.netloop.core.tcp.ConnectionConfig;
import io.netloop.core.tcp.TcpClient;
import io.netloop.core.tcp.TcpServer;
import io.netloop.core.transport.NetOption;
import io.netloop.core.transport.SocketConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * One peer of the terminal chat (seed 003's c2c model): it listens for other peers, connects
 * to others on request, and relays what the user types to them, all on ONE {@link EventLoop}
 * that serves the user's input ({@link DescriptorInput}), the listener and every connection
 * ({@link PeerSession}); nothing polls in a loop.
 *
 * <p>The user's lines run in order, one at a time: while a {@code /connect} is under way the
 * input is paused, so that "connect, then say hello" typed ahead (or piped in) does what it
 * says. End of input is {@code /exit}.
 *
 * <p>Owns its loop, its listener and its connections; {@link #exit} closes them all (after
 * letting each peer read what was queued for it, for at most {@link Config#linger}), and the
 * loop's thread ends. Threading: {@link #start}, {@link #exit}, {@link #awaitExit},
 * {@link #close} and the getters from any thread; everything else on the loop thread.
 */
public final class PeerNode implements AutoCloseable {
    /**
     * @param maxQueuedBytes output queued for one peer beyond which that peer is dropped as not reading
     * @param helloTimeout how long a new connection may take to say hello
     * @param linger how long a leaving connection may take to deliver what is queued and close
     */
    public record Config(
            String name,
            String host,
            int port,
            IoMode io,
            int maxQueuedBytes,
            Duration connectTimeout,
            Duration helloTimeout,
            Duration linger) {
        public static final int DEFAULT_MAX_QUEUED = 1024 * 1024;

        public Config {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(io, "io");
            String problem = PeerMessage.nameProblem(Objects.requireNonNull(name, "name"));
            if (problem != null) throw new IllegalArgumentException("bad name '" + name + "': " + problem);
            if (port < 0 || port > 65535)
                throw new IllegalArgumentException("port " + port + " is out of range: use 0 to 65535");
            if (maxQueuedBytes < 2) throw new IllegalArgumentException("maxQueuedBytes too small: " + maxQueuedBytes);
        }

        public static Config of(String name, String host, int port) {
            return new Config(
                    name,
                    host,
                    port,
                    IoMode.AUTO,
                    DEFAULT_MAX_QUEUED,
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(10),
                    Duration.ofSeconds(2));
        }

        public Config withIo(IoMode io) {
            return new Config(name, host, port, io, maxQueuedBytes, connectTimeout, helloTimeout, linger);
        }

        public Config withMaxQueuedBytes(int bytes) {
            return new Config(name, host, port, io, bytes, connectTimeout, helloTimeout, linger);
        }

        public Config withHelloTimeout(Duration timeout) {
            return new Config(name, host, port, io, maxQueuedBytes, connectTimeout, timeout, linger);
        }

        public Config withLinger(Duration linger) {
            return new Config(name, host, port, io, maxQueuedBytes, connectTimeout, helloTimeout, linger);
        }
    }

    /** Longest line the user may type (a command around a full message); longer ones are refused. */
    private static final int MAX_INPUT_LINE = 2 * LineCodec.MAX_LINE_BYTES;

    private final Config config;
    private final PrintStream out;
    private final EventLoop loop;
    private final ConnectionConfig connectionConfig;
    private final Map<Integer, PeerSession> sessions = new LinkedHashMap<>();
    private final Buffer typed = new Buffer();
    private final LineCodec inputCodec = new LineCodec(MAX_INPUT_LINE);
    private final LineCodec.Lines inputLines = new LineCodec.Lines() {
        @Override
        public void line(String line) {
            run(ConsoleCommand.parse(line));
        }

        @Override
        public void invalid(String reason) {
            print("* input ignored: " + reason);
        }
    };
    private TcpServer server;
    private DescriptorInput input;
    private int nextId = 1;
    private int connecting;
    private boolean inputEnded;
    private boolean exiting;
    private boolean finished;
    private boolean lingerOver;
    private Timer lingerTimer;

    private PeerNode(Config config, PrintStream out, EventLoop loop) {
        this.config = config;
        this.out = out;
        this.loop = loop;
        int bound = config.maxQueuedBytes();
        this.connectionConfig = ConnectionConfig.DEFAULT
                .withHighWaterMark(bound, bound / 2)
                .withMaxInputBytes(2 * LineCodec.MAX_LINE_BYTES + 2);
    }

    /**
     * Starts listening and reading the user's input.
     *
     * @param inputFd the input's descriptor (0 for standard input) to watch with the poller, or
     *     -1 to read {@code input} on a thread (also the fallback where the poller refuses the descriptor)
     * @param out where everything is printed (the loop writes to it)
     * @throws IOException when the port cannot be bound
     */
    public static PeerNode start(Config config, int inputFd, InputStream input, PrintStream out) throws IOException {
        EventLoop loop = EventLoop.open(config.io());
        PeerNode node = new PeerNode(config, out, loop);
        try {
            node.server = TcpServer.builder()
                    .loop(loop)
                    .host(config.host())
                    .port(config.port())
                    .connectionConfig(node.connectionConfig)
                    .handler(() -> new PeerSession(node, PeerSession.Direction.IN, null))
                    .start();
            CompletableFuture<Void> started = new CompletableFuture<>();
            loop.execute(() -> {
                try {
                    node.input = DescriptorInput.open(loop, inputFd, input, node.new Typed());
                } catch (RuntimeException e) {
                    started.completeExceptionally(e);
                    return;
                }
                node.print("* you are " + config.name() + ", listening on " + display(node.server.localAddress())
                        + " (" + loop.transport().name() + ", input "
                        + (node.input.mode() == DescriptorInput.Mode.POLLER ? "on the poller" : "on a reader thread")
                        + "); /help lists the commands");
                started.complete(null);
            });
            started.get();
        } catch (IOException | RuntimeException | ExecutionException | InterruptedException e) {
            if (node.server != null) node.server.close();
            loop.close();
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            if (e instanceof IOException io) {
                throw new IOException(
                        "cannot listen on " + config.host() + ":" + config.port() + ": " + io.getMessage()
                                + " (choose another --port, or 0 for any free one)",
                        io);
            }
            throw new IOException("cannot start the peer: " + e.getMessage(), e);
        }
        return node;
    }

    public InetSocketAddress localAddress() {
        return server.localAddress();
    }

    Config config() {
        return config;
    }

    String name() {
        return config.name();
    }

    /** How the user's input is read. Any thread, after {@link #start}. */
    DescriptorInput.Mode inputMode() {
        return CompletableFuture.supplyAsync(() -> input.mode(), loop).join();
    }

    /** Disconnects from everyone and stops. Any thread; idempotent. */
    public void exit() {
        try {
            loop.runInLoop(this::beginExit);
        } catch (RejectedExecutionException gone) {
            // stopped already
        }
    }

    /** Waits until the node has stopped (by {@code /exit}, end of input or {@link #exit}). */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return loop.awaitTermination(timeout);
    }

    /** {@link #exit}, then waits for the loop to end. */
    @Override
    public void close() {
        exit();
        loop.close();
    }

    // --- the user's input -------------------------------------------------------------------

    /** The {@link DescriptorInput}'s bytes, split into lines that run one at a time. */
    private final class Typed implements DescriptorInput.Sink {
        @Override
        public void bytes(byte[] b, int off, int len) {
            typed.append(b, off, len);
            runTyped();
        }

        @Override
        public void end(IOException failure) {
            if (failure != null) print("* cannot read input: " + failure.getMessage() + "; stopping");
            inputEnded = true;
            runTyped();
        }
    }

    private void runTyped() {
        while (!exiting && connecting == 0 && inputCodec.next(typed, inputLines)) {
            // each line ran in inputLines
        }
        if (exiting) return;
        if (connecting > 0) {
            input.pause();
            return;
        }
        input.resume();
        if (inputEnded) {
            inputCodec.finish(typed, inputLines); // a last line without a line end
            if (connecting == 0) beginExit();
        }
    }

    private void run(ConsoleCommand command) {
        switch (command) {
            case null -> {}
            case ConsoleCommand.Say say -> broadcast(say.text());
            case ConsoleCommand.Connect c -> connect(c.host(), c.port());
            case ConsoleCommand.ListPeers l -> list();
            case ConsoleCommand.Msg m -> whisper(m.id(), m.text());
            case ConsoleCommand.Quit q -> quit(q.id());
            case ConsoleCommand.Exit e -> beginExit();
            case ConsoleCommand.Help h -> print(ConsoleCommand.HELP);
            case ConsoleCommand.Invalid i -> print("* " + i.message());
        }
    }

    private void broadcast(String text) {
        PeerMessage m = PeerMessage.say(text);
        if (!sendable(m)) return;
        List<PeerSession> ready = new ArrayList<>();
        for (PeerSession s : sessions.values()) if (s.isReady()) ready.add(s);
        if (ready.isEmpty()) {
            print("* nobody to send to: /connect HOST:PORT first");
            return;
        }
        // A snapshot: a peer past its output bound is dropped during send, changing the map.
        for (PeerSession s : ready) s.send(m);
    }

    private void whisper(int id, String text) {
        PeerSession s = sessions.get(id);
        if (s == null || !s.isReady()) {
            print("* no peer #" + id + " to send to; /list shows who is connected");
            return;
        }
        PeerMessage m = PeerMessage.whisper(text);
        if (sendable(m)) s.send(m);
    }

    private boolean sendable(PeerMessage m) {
        try {
            LineCodec.encode(m.toLine(), LineCodec.MAX_LINE_BYTES);
            return true;
        } catch (IllegalArgumentException e) {
            print("* not sent: " + e.getMessage());
            return false;
        }
    }

    private void list() {
        print("* you: " + config.name() + ", listening on " + display(server.localAddress()));
        if (sessions.isEmpty()) {
            print("* no peers: /connect HOST:PORT to add one");
            return;
        }
        for (PeerSession s : sessions.values()) {
            print("* #" + s.id() + " " + (s.name() != null ? TerminalText.sanitize(s.name()) : "(no hello yet)") + " "
                    + display(s.address()) + " (" + s.direction().label + ")");
        }
    }

    private void quit(int id) {
        PeerSession s = sessions.get(id);
        if (s == null) {
            print("* no peer #" + id + "; /list shows who is connected");
            return;
        }
        s.disconnect(s.label() + " disconnected");
    }

    private void connect(String host, int port) {
        connecting++;
        print("* connecting to " + host + ":" + port + " ...");
        // Resolving a name may wait on DNS: not on the loop.
        Thread.ofVirtual().name("netloop-peer-resolve").start(() -> {
            InetSocketAddress target = new InetSocketAddress(host, port);
            try {
                loop.execute(() -> connect(target));
            } catch (RejectedExecutionException stopped) {
                // the node stopped meanwhile
            }
        });
    }

    private void connect(InetSocketAddress target) {
        PendingConnect pending = new PendingConnect(target);
        if (target.isUnresolved()) {
            pending.settled(new IOException("unknown host " + target.getHostString()));
            return;
        }
        TcpClient.connect(
                        loop,
                        target,
                        config.connectTimeout(),
                        new PeerSession(this, PeerSession.Direction.OUT, pending),
                        connectionConfig,
                        SocketConfig.EMPTY.with(NetOption.TCP_NODELAY, true))
                .whenComplete((c, failure) -> {
                    if (failure != null) pending.settled(failure);
                    else if (exiting) c.close();
                });
    }

    /**
     * A {@code /connect} under way, which holds back the user's next lines until it settles:
     * the peer said hello (so "/connect, then /msg 1" works), or the connection failed or closed.
     * Loop thread.
     */
    final class PendingConnect {
        private final InetSocketAddress target;
        private boolean done;

        private PendingConnect(InetSocketAddress target) {
            this.target = target;
        }

        void settled(Throwable failure) {
            if (done) return;
            done = true;
            connecting--;
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure;
                print("* cannot connect to " + display(target) + ": " + cause.getMessage()
                        + " (is a peer listening there?)");
            }
            if (exiting) {
                maybeFinishExit();
            } else {
                runTyped();
            }
        }
    }

    // --- sessions ---------------------------------------------------------------------------

    /** A session's connection is open: returns its id. */
    int opened(PeerSession s) {
        int id = nextId++;
        sessions.put(id, s);
        if (exiting) loop.runLater(() -> s.disconnect(null));
        return id;
    }

    void closed(PeerSession s) {
        sessions.remove(s.id());
        if (exiting) maybeFinishExit();
    }

    /** Prints one line for the user. Loop thread. */
    void print(String line) {
        out.println(line);
        out.flush();
    }

    // --- exit -------------------------------------------------------------------------------

    private void beginExit() {
        if (exiting) return;
        exiting = true;
        if (input != null) input.close();
        server.stopAccepting();
        // Before the sessions leave: one that closes at once already asks whether this is the end.
        lingerTimer = loop.schedule(
                () -> {
                    lingerOver = true;
                    maybeFinishExit();
                },
                config.linger());
        for (PeerSession s : List.copyOf(sessions.values())) s.disconnect(null);
        maybeFinishExit();
    }

    /** Finishes once every peer has closed (or the linger is over) and no connect is under way. */
    private void maybeFinishExit() {
        if (finished || connecting > 0 || (!sessions.isEmpty() && !lingerOver)) return;
        finished = true;
        lingerTimer.cancel();
        for (PeerSession s : List.copyOf(sessions.values())) s.closeNow();
        server.close();
        print("* bye");
        loop.shutdown();
    }

    /** "10 s", "200 ms". */
    static String display(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    static String display(InetSocketAddress a) {
        if (a == null) return "unknown";
        if (a.getAddress() == null) return a.getHostString() + ":" + a.getPort();
        String host = a.getAddress() instanceof Inet6Address
                ? "[" + a.getAddress().getHostAddress() + "]"
                : a.getAddress().getHostAddress();
        return host + ":" + a.getPort();
    }
}
