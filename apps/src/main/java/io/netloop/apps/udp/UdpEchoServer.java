package io.netloop.apps.udp;

import io.netloop.core.loop.EventLoop;
import io.netloop.core.loop.EventLoopGroup;
import io.netloop.core.loop.IoMode;
import io.netloop.core.transport.DatagramConfig;
import io.netloop.core.transport.NetOption;
import io.netloop.core.transport.SocketConfig;
import io.netloop.core.udp.DatagramHandler;
import io.netloop.core.udp.UdpSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The UDP echo server: every datagram goes back to its sender, byte for byte.
 *
 * <pre>{@code
 * UdpEchoServer server = UdpEchoServer.builder().port(9009).io(IoMode.AUTO).threads(2).start();
 * }</pre>
 *
 * <p>With several loops each has its own socket on the same port (SO_REUSEPORT) and the
 * kernel spreads senders over them by address. Replies that find the kernel's send buffer
 * full wait in a bounded queue; beyond it they are dropped and counted
 * ({@link #stats()}), as UDP allows: a sender that never reads cannot grow our memory.
 *
 * <p>Owns its loops and sockets. Threading: the builder on one thread; {@link #stats},
 * {@link #close} and the getters from any thread.
 */
public final class UdpEchoServer implements AutoCloseable {
    /** Receive buffer asked for by default: bursts wait in the kernel instead of being dropped (Linux caps it at net.core.rmem_max). */
    public static final int RECEIVE_BUFFER = 4 * 1024 * 1024;

    private static final DatagramHandler ECHO = (socket, sender, data) -> socket.send(sender, data);

    private final EventLoopGroup loops;
    private final List<UdpSocket> sockets;

    private UdpEchoServer(EventLoopGroup loops, List<UdpSocket> sockets) {
        this.loops = loops;
        this.sockets = sockets;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The bound address; with port 0, the port the kernel chose. */
    public InetSocketAddress localAddress() {
        return sockets.getFirst().localAddress();
    }

    public int port() {
        return localAddress().getPort();
    }

    public List<EventLoop> loops() {
        return loops.loops();
    }

    public List<UdpSocket> sockets() {
        return sockets;
    }

    /** Every socket's counters summed; a monitoring read. */
    public UdpSocket.Stats stats() {
        return sockets.stream()
                .map(UdpSocket::stats)
                .reduce(UdpSocket.Stats::plus)
                .orElseThrow();
    }

    /** Closes the sockets and stops the loops. Any thread but the server's own loops. */
    @Override
    public void close() {
        loops.close(); // each loop closes the socket it owns as it stops
    }

    @Override
    public String toString() {
        return "UdpEchoServer[" + localAddress() + ", " + loops.transport().name() + ", " + sockets.size()
                + " loop(s)]";
    }

    /** Options of a {@link UdpEchoServer}; each has a bounded default. Not thread-safe. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private IoMode io = IoMode.AUTO;
        private int threads = 1;
        private SocketConfig options = SocketConfig.EMPTY.with(NetOption.SO_RCVBUF, RECEIVE_BUFFER);
        private DatagramConfig config = DatagramConfig.DEFAULT;

        /** A name or literal; "0.0.0.0" or "::" for all. Default 127.0.0.1. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host);
            return this;
        }

        /** 0 (the default) lets the kernel choose. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535: " + port);
            this.port = port;
            return this;
        }

        public Builder io(IoMode io) {
            this.io = Objects.requireNonNull(io);
            return this;
        }

        /** Loops, one socket each: 0 for one per processor. Default 1. */
        public Builder threads(int threads) {
            if (threads < 0) throw new IllegalArgumentException("threads must not be negative: " + threads);
            this.threads = threads;
            return this;
        }

        /** SO_RCVBUF (default {@link #RECEIVE_BUFFER}), SO_SNDBUF, SO_BROADCAST... */
        public <T> Builder option(NetOption<T> option, T value) {
            options = options.with(option, value);
            return this;
        }

        public Builder config(DatagramConfig config) {
            this.config = Objects.requireNonNull(config);
            return this;
        }

        /** Binds one socket per loop and starts echoing. */
        public UdpEchoServer start() throws IOException {
            InetSocketAddress bind = new InetSocketAddress(InetAddress.getByName(host), port);
            EventLoopGroup group = new EventLoopGroup(threads, io);
            try {
                SocketConfig opts = group.size() > 1 ? options.with(NetOption.SO_REUSEPORT, true) : options;
                List<UdpSocket> sockets = new ArrayList<>();
                for (EventLoop loop : group.loops()) {
                    UdpSocket s = UdpSocket.builder()
                            .bind(bind)
                            .options(opts)
                            .config(config)
                            .handler(ECHO)
                            .open(loop);
                    sockets.add(s);
                    bind = s.localAddress(); // the others share the port the first one got
                }
                return new UdpEchoServer(group, List.copyOf(sockets));
            } catch (IOException | RuntimeException e) {
                group.close();
                throw e;
            }
        }
    }
}
