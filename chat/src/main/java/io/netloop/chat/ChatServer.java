package io.netloop.chat;

import io.netloop.core.loop.EventLoop;
import io.netloop.core.loop.IoMode;
import io.netloop.core.proxy.ProxyProtocol;
import io.netloop.core.tcp.AcceptMode;
import io.netloop.core.tcp.ConnectionConfig;
import io.netloop.core.tcp.ConnectionFilter;
import io.netloop.core.tcp.TcpServer;
import io.netloop.core.tls.TlsConfig;
import io.netloop.http.HttpServer;
import io.netloop.http.websocket.WebSocketRoute;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * One chat {@link Room} reachable two ways: line-based TCP ({@code nc 127.0.0.1 9000}) and
 * the browser page at {@code http://127.0.0.1:8080/}, whose script talks JSON over a
 * WebSocket at {@code /ws}. Messages cross between the two.
 *
 * <pre>{@code
 * ChatServer chat = ChatServer.builder().port(9000).httpPort(8080).start();
 * }</pre>
 *
 * <p>With {@link Builder#tls TLS}, both ports speak it: the TCP side for {@code openssl
 * s_client}, the page over https and its socket over wss.
 *
 * <p>Owns the room's loop, a {@link TcpServer} for the TCP side and an {@link HttpServer}
 * for the page and the WebSocket, each with its own loops. Threading: the room's state lives
 * on the room's loop only; every connection stays on its own loop and talks to the room by
 * posting tasks (see the package documentation). The builder and {@link Builder#start} on one
 * thread; the getters and {@link #close} from any thread.
 */
public final class ChatServer implements AutoCloseable {
    public static final int DEFAULT_PORT = 9000;
    public static final int DEFAULT_HTTP_PORT = 8080;
    /** The WebSocket's path on the HTTP port. */
    public static final String WEBSOCKET_PATH = "/ws";

    private final EventLoop roomLoop;
    private final Room room;
    private final ChatStats stats;
    private final OutputBound bound;
    private final boolean tls;
    private TcpServer tcp;
    private HttpServer http;

    private ChatServer(EventLoop roomLoop, ChatLimits limits, boolean tls) {
        this.roomLoop = roomLoop;
        this.tls = tls;
        this.stats = new ChatStats();
        this.room = new Room(roomLoop, limits, stats);
        this.bound = new OutputBound(limits, stats);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The TCP side's address (nc, telnet). */
    public InetSocketAddress tcpAddress() {
        return tcp.localAddress();
    }

    /** The page's and the WebSocket's address. */
    public InetSocketAddress httpAddress() {
        return http.localAddress();
    }

    /** Whether both sides speak TLS (the page is then https, its socket wss). */
    public boolean isTls() {
        return tls;
    }

    public Room room() {
        return room;
    }

    public ChatStats stats() {
        return stats;
    }

    public TcpServer tcp() {
        return tcp;
    }

    public HttpServer http() {
        return http;
    }

    /** Closes both sides (their members leave), then the room's loop. Idempotent. */
    @Override
    public void close() {
        if (tcp != null) tcp.close();
        if (http != null) http.close();
        roomLoop.close();
    }

    @Override
    public String toString() {
        return "ChatServer[" + (tls ? "tls, " : "") + "tcp " + (tcp == null ? "-" : tcp.localAddress()) + ", http "
                + (http == null ? "-" : http.localAddress()) + "]";
    }

    /** Options of a {@link ChatServer}; each has a bounded default. Not thread-safe. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = DEFAULT_PORT;
        private int httpPort = DEFAULT_HTTP_PORT;
        private IoMode io = IoMode.AUTO;
        private int threads = 1;
        private AcceptMode accept = AcceptMode.HANDOFF;
        private Duration idleTimeout = Duration.ZERO;
        private ChatLimits limits = ChatLimits.DEFAULT;
        private TlsConfig tls;
        private ProxyProtocol proxyProtocol;

        /** Address both sides bind: a name or literal; "0.0.0.0" or "::" for all. Default 127.0.0.1. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host);
            return this;
        }

        /** The TCP side's port; 0 lets the kernel choose. Default 9000. */
        public Builder port(int port) {
            this.port = checkPort(port);
            return this;
        }

        /** The page's and WebSocket's port; 0 lets the kernel choose. Default 8080. */
        public Builder httpPort(int port) {
            this.httpPort = checkPort(port);
            return this;
        }

        public Builder io(IoMode io) {
            this.io = Objects.requireNonNull(io);
            return this;
        }

        /** Loops of each side, one thread each; 0 for one per processor. Default 1. The room has one more. */
        public Builder threads(int threads) {
            if (threads < 0) throw new IllegalArgumentException("threads must not be negative: " + threads);
            this.threads = threads;
            return this;
        }

        public Builder accept(AcceptMode accept) {
            this.accept = Objects.requireNonNull(accept);
            return this;
        }

        /** Closes TCP clients silent this long; Duration.ZERO (the default) for never. */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        public Builder limits(ChatLimits limits) {
            this.limits = Objects.requireNonNull(limits);
            return this;
        }

        /**
         * TLS on both sides (see {@link TlsConfig}); null (the default) for none. The TCP side
         * negotiates no ALPN, since its line protocol has no registered name; the HTTP side
         * keeps the configuration's ({@code http/1.1}).
         */
        public Builder tls(TlsConfig tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Every connection on both sides must begin with a PROXY protocol header from a trusted
         * proxy (see {@link ProxyProtocol}); members are then logged with the client it names.
         * Before TLS, when both are set. Default none.
         */
        public Builder proxyProtocol(ProxyProtocol proxyProtocol) {
            this.proxyProtocol = proxyProtocol;
            return this;
        }

        private static int checkPort(int port) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535: " + port);
            return port;
        }

        /** Starts the room's loop, then binds and starts both sides; on a failure, closes what started. */
        public ChatServer start() throws IOException {
            ChatServer chat = new ChatServer(new EventLoop("chat-room", io.transport()), limits, tls != null);
            ConnectionFilter.Factory tlsFilter =
                    tls == null ? null : tls.applicationProtocols().factory();
            try {
                chat.tcp = TcpServer.builder()
                        .host(host)
                        .port(port)
                        .io(io)
                        .threads(threads)
                        .accept(accept)
                        // Reading from a client pauses while half the output bound waits for it (TcpChatSession).
                        .connectionConfig(ConnectionConfig.DEFAULT.withHighWaterMark(
                                limits.maxQueuedOutputBytes() / 2, limits.maxQueuedOutputBytes() / 4))
                        .idleTimeout(idleTimeout)
                        .filter(proxyProtocol == null ? tlsFilter : proxyProtocol.factory(tlsFilter))
                        .handler(() -> new TcpChatSession(chat.room, chat.bound))
                        .start();
                HttpServer http = HttpServer.builder()
                        .host(host)
                        .port(httpPort)
                        .io(io)
                        .threads(threads)
                        .accept(accept)
                        .tls(tls)
                        .proxyProtocol(proxyProtocol)
                        .build();
                ChatPage.install(http);
                // A message is at most maxLineBytes of text; JSON escaping may grow it up to six times.
                http.get(
                        WEBSOCKET_PATH,
                        WebSocketRoute.of(new WebSocketChat(chat.room, chat.bound))
                                .maxMessageSize(6 * limits.maxLineBytes() + 256));
                chat.http = http.start();
            } catch (IOException | RuntimeException e) {
                chat.close();
                throw e;
            }
            return chat;
        }
    }
}
