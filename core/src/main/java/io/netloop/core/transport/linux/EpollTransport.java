package io.netloop.core.transport.linux;

import io.netloop.core.file.OpenFile;
import io.netloop.core.sys.Errno;
import io.netloop.core.sys.ErrnoException;
import io.netloop.core.sys.linux.HotCalls;
import io.netloop.core.sys.linux.Net;
import io.netloop.core.sys.linux.SockAddr;
import io.netloop.core.sys.linux.SysConst;
import io.netloop.core.transport.DatagramConfig;
import io.netloop.core.transport.DatagramSocket;
import io.netloop.core.transport.ListenSocket;
import io.netloop.core.transport.NetOption;
import io.netloop.core.transport.Poller;
import io.netloop.core.transport.SocketConfig;
import io.netloop.core.transport.StreamSocket;
import io.netloop.core.transport.Transport;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The native transport: raw descriptors through {@code io.netloop.sys}, watched by an
 * {@link EpollPoller}, level- or edge-triggered; for the lab, the same sockets under a
 * {@link PollPoller}, a {@link SelectPoller} or a {@link SignalPoller} (edge-triggered: signals
 * are edges).
 *
 * <p>Threading: stateless; any thread.
 */
public final class EpollTransport implements Transport {
    public static final EpollTransport LEVEL = new EpollTransport("epoll-lt", false);
    public static final EpollTransport EDGE = new EpollTransport("epoll-et", true);
    public static final EpollTransport POLL = new EpollTransport("poll", false);
    public static final EpollTransport SELECT = new EpollTransport("select", false);
    public static final EpollTransport SIGNAL = new EpollTransport("signal", true);

    private final String name;
    private final boolean edge;

    private EpollTransport(String name, boolean edge) {
        this.name = name;
        this.edge = edge;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean edgeTriggered() {
        return edge;
    }

    @Override
    public Poller newPoller() throws IOException {
        return switch (name) {
            case "poll" -> new PollPoller();
            case "select" -> new SelectPoller();
            case "signal" -> new SignalPoller();
            default -> new EpollPoller(name);
        };
    }

    @Override
    public ListenSocket listen(InetSocketAddress address, int backlog, SocketConfig options) throws IOException {
        int fd = Net.socket(SockAddr.family(address), SysConst.SOCK_STREAM);
        try {
            if (options.get(NetOption.SO_REUSEADDR) == null) {
                // A restarted server must not wait out TIME_WAIT to bind its port again.
                Net.setInt(fd, SysConst.SOL_SOCKET, SysConst.SO_REUSEADDR, 1);
            }
            options.applyTo(new DescriptorOptions(fd));
            Net.bind(fd, address);
            Net.listen(fd, backlog);
            return new Listener(fd, Net.localAddress(fd));
        } catch (IOException | RuntimeException e) {
            closeQuietly(fd, e);
            throw e;
        }
    }

    @Override
    public StreamSocket connect(InetSocketAddress remote, SocketConfig options) throws IOException {
        int fd = Net.socket(SockAddr.family(remote), SysConst.SOCK_STREAM);
        try {
            options.applyTo(new DescriptorOptions(fd));
            boolean connected = Net.connect(fd, remote);
            return new Stream(fd, !connected);
        } catch (IOException | RuntimeException e) {
            closeQuietly(fd, e);
            throw e;
        }
    }

    @Override
    public DatagramSocket openDatagram(InetSocketAddress bind, SocketConfig options, DatagramConfig config)
            throws IOException {
        return EpollDatagramSocket.open(bind, options, config);
    }

    @Override
    public boolean supports(NetOption<?> option) {
        return true;
    }

    /** Linux copies these from the listener to each socket it accepts (checked by SocketOptionsTest). */
    @Override
    public boolean inheritsFromListener(NetOption<?> option) {
        return option == NetOption.TCP_NODELAY
                || option == NetOption.SO_KEEPALIVE
                || option == NetOption.SO_SNDBUF
                || option == NetOption.SO_RCVBUF;
    }

    private static void closeQuietly(int fd, Exception cause) {
        try {
            Net.close(fd);
        } catch (ErrnoException e) {
            cause.addSuppressed(e);
        }
    }

    static final class Listener extends DescriptorOptions implements ListenSocket {
        private final InetSocketAddress local;
        private boolean closed;

        Listener(int fd, InetSocketAddress local) {
            super(fd);
            this.local = local;
        }

        @Override
        public int fd() {
            return fd;
        }

        @Override
        public StreamSocket accept() throws IOException {
            int c = HotCalls.accept(fd);
            if (c == Net.WOULD_BLOCK) return null;
            long peer = Net.acceptedPeer();
            return new Stream(c, false, peer, peer == SockAddr.NOT_PACKED ? Net.acceptedPeerRaw() : null);
        }

        @Override
        public InetSocketAddress localAddress() {
            return local;
        }

        @Override
        public void close() throws IOException {
            if (closed) return;
            closed = true;
            Net.close(fd);
        }

        @Override
        public String toString() {
            return "listener fd " + fd + " on " + local;
        }
    }

    static final class Stream extends DescriptorOptions implements StreamSocket {
        private boolean connecting;
        private boolean closed;
        private InetSocketAddress remote;
        /** An accepted IPv4 peer, packed as accept4 gave it ({@link SockAddr#packIpv4}); made an address only when asked. */
        private final long peer;
        /** Another accepted peer's raw socket address (IPv6), or null. */
        private final byte[] peerRaw;

        Stream(int fd, boolean connecting) {
            this(fd, connecting, SockAddr.NOT_PACKED, null);
        }

        Stream(int fd, boolean connecting, long peer, byte[] peerRaw) {
            super(fd);
            this.connecting = connecting;
            this.peer = peer;
            this.peerRaw = peerRaw;
        }

        @Override
        public int fd() {
            return fd;
        }

        @Override
        public int read(byte[] dst, int off, int len) throws IOException {
            int n = HotCalls.read(fd, dst, off, len);
            if (n > 0) return n;
            return n == 0 ? EOF : 0;
        }

        @Override
        public int write(byte[] src, int off, int len) throws IOException {
            int n = HotCalls.send(fd, src, off, len, 0);
            return n == Net.WOULD_BLOCK ? 0 : n;
        }

        @Override
        public int writeMore(byte[] src, int off, int len) throws IOException {
            int n = HotCalls.send(fd, src, off, len, SysConst.MSG_MORE);
            return n == Net.WOULD_BLOCK ? 0 : n;
        }

        @Override
        public void holdOutput(boolean on) throws IOException {
            Net.setInt(fd, SysConst.IPPROTO_TCP, SysConst.TCP_CORK, on ? 1 : 0);
        }

        @Override
        public long transferFrom(OpenFile file, long position, long count) throws IOException {
            long n = HotCalls.sendfile(fd, file.fd(), position, count);
            if (n == Net.WOULD_BLOCK) return 0;
            if (n == 0 && count > 0) {
                throw new EOFException(
                        file.name() + " ended at byte " + position + " with " + count + " bytes of the range unsent");
            }
            return n;
        }

        @Override
        public int pendingError() throws IOException {
            return Net.socketError(fd);
        }

        @Override
        public void shutdownOutput() throws IOException {
            Net.shutdown(fd, SysConst.SHUT_WR);
        }

        @Override
        public boolean finishConnect() throws IOException {
            if (!connecting) return true;
            int err = Net.socketError(fd);
            if (err != 0) throw new ErrnoException("connect", err);
            // SO_ERROR is also 0 while the handshake is under way: only a peer name proves it done.
            try {
                remote = Net.peerAddress(fd);
            } catch (ErrnoException e) {
                if (e.errno() == Errno.ENOTCONN) return false;
                throw e;
            }
            connecting = false;
            return true;
        }

        @Override
        public InetSocketAddress localAddress() throws IOException {
            return Net.localAddress(fd);
        }

        @Override
        public InetSocketAddress remoteAddress() throws IOException {
            if (remote == null) {
                if (peer != SockAddr.NOT_PACKED) remote = SockAddr.unpackIpv4(peer);
                else if (peerRaw != null) remote = SockAddr.decode(peerRaw);
                else remote = Net.peerAddress(fd);
            }
            return remote;
        }

        @Override
        public void close() throws IOException {
            if (closed) return;
            closed = true;
            HotCalls.close(fd);
        }

        @Override
        public String toString() {
            return "fd " + fd;
        }
    }
}
