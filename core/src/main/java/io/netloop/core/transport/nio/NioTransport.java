package io.netloop.core.transport.nio;

import io.netloop.core.file.OpenFile;
import io.netloop.core.sys.Errno;
import io.netloop.core.sys.ErrnoException;
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
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The portable transport: JDK {@link SocketChannel}s watched by a {@link NioPoller}.
 * Level-triggered only; {@link NetOption#TCP_CORK} and {@link NetOption#TCP_DEFER_ACCEPT}
 * are unavailable.
 *
 * <p>Threading: stateless; any thread.
 */
public final class NioTransport implements Transport {
    public static final NioTransport INSTANCE = new NioTransport();

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public boolean edgeTriggered() {
        return false;
    }

    @Override
    public Poller newPoller() throws IOException {
        return new NioPoller();
    }

    @Override
    public ListenSocket listen(InetSocketAddress address, int backlog, SocketConfig options) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open(family(address));
        try {
            ch.configureBlocking(false);
            if (options.get(NetOption.SO_REUSEADDR) == null) ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            options.applyTo(new Options(ch));
            ch.bind(address, backlog);
            return new Listener(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public StreamSocket connect(InetSocketAddress remote, SocketConfig options) throws IOException {
        SocketChannel ch = SocketChannel.open(family(remote));
        try {
            ch.configureBlocking(false);
            options.applyTo(new Options(ch));
            ch.connect(remote);
            return new Stream(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    @Override
    public DatagramSocket openDatagram(InetSocketAddress bind, SocketConfig options, DatagramConfig config)
            throws IOException {
        return NioDatagramSocket.open(bind, options, config);
    }

    @Override
    public boolean supports(NetOption<?> option) {
        return nio(option) != null;
    }

    private static StandardProtocolFamily family(InetSocketAddress a) {
        return a.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    private static SocketOption<?> nio(NetOption<?> o) {
        if (o == NetOption.SO_REUSEADDR) return StandardSocketOptions.SO_REUSEADDR;
        if (o == NetOption.SO_REUSEPORT) return StandardSocketOptions.SO_REUSEPORT;
        if (o == NetOption.SO_KEEPALIVE) return StandardSocketOptions.SO_KEEPALIVE;
        if (o == NetOption.SO_LINGER) return StandardSocketOptions.SO_LINGER;
        if (o == NetOption.SO_RCVBUF) return StandardSocketOptions.SO_RCVBUF;
        if (o == NetOption.SO_SNDBUF) return StandardSocketOptions.SO_SNDBUF;
        if (o == NetOption.SO_BROADCAST) return StandardSocketOptions.SO_BROADCAST;
        if (o == NetOption.TCP_NODELAY) return StandardSocketOptions.TCP_NODELAY;
        if (o == NetOption.TCP_QUICKACK) return jdk.net.ExtendedSocketOptions.TCP_QUICKACK;
        return null;
    }

    /** Reports "Too many open files" as the errno it is, so the acceptor treats both transports alike. */
    private static IOException translate(IOException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("Too many open files in system")) return new ErrnoException("accept", Errno.ENFILE);
        if (m.contains("Too many open files")) return new ErrnoException("accept", Errno.EMFILE);
        return e;
    }

    static class Options implements SocketConfig.OptionTarget {
        final NetworkChannel channel;

        Options(NetworkChannel channel) {
            this.channel = channel;
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> void set(NetOption<T> option, T value) throws IOException {
            SocketOption<?> o = nio(option);
            if (o == null) {
                throw new UnsupportedOperationException(option + " needs the epoll transport (--io epoll)");
            }
            channel.setOption((SocketOption<Object>) o, value);
        }

        @Override
        public <T> T get(NetOption<T> option) throws IOException {
            SocketOption<?> o = nio(option);
            if (o == null) {
                throw new UnsupportedOperationException(option + " needs the epoll transport (--io epoll)");
            }
            return option.type().cast(channel.getOption(o));
        }
    }

    static final class Listener extends Options implements ListenSocket {
        private final ServerSocketChannel ch;
        private final InetSocketAddress local;

        Listener(ServerSocketChannel ch) throws IOException {
            super(ch);
            this.ch = ch;
            this.local = (InetSocketAddress) ch.getLocalAddress();
        }

        @Override
        public int fd() {
            return -1;
        }

        @Override
        public SelectableChannel nioChannel() {
            return ch;
        }

        @Override
        public StreamSocket accept() throws IOException {
            try {
                SocketChannel c = ch.accept();
                if (c == null) return null;
                c.configureBlocking(false);
                return new Stream(c);
            } catch (IOException e) {
                throw translate(e);
            }
        }

        @Override
        public InetSocketAddress localAddress() {
            return local;
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }

        @Override
        public String toString() {
            return "listener on " + local;
        }
    }

    static final class Stream extends Options implements StreamSocket {
        private final SocketChannel ch;
        // Views of the last arrays read into and written from, so steady-state I/O allocates
        // nothing; two, since a connection reads into one array and writes from others.
        private ByteBuffer readView;
        private byte[] readArray;
        private ByteBuffer writeView;
        private byte[] writeArray;

        Stream(SocketChannel ch) {
            super(ch);
            this.ch = ch;
        }

        @Override
        public int fd() {
            return -1;
        }

        @Override
        public SelectableChannel nioChannel() {
            return ch;
        }

        private ByteBuffer readView(byte[] a, int off, int len) {
            if (a != readArray) {
                readArray = a;
                readView = ByteBuffer.wrap(a);
            }
            readView.limit(off + len).position(off);
            return readView;
        }

        private ByteBuffer writeView(byte[] a, int off, int len) {
            if (a != writeArray) {
                writeArray = a;
                writeView = ByteBuffer.wrap(a);
            }
            writeView.limit(off + len).position(off);
            return writeView;
        }

        @Override
        public int read(byte[] dst, int off, int len) throws IOException {
            int n = ch.read(readView(dst, off, len));
            return n < 0 ? EOF : n;
        }

        @Override
        public int write(byte[] src, int off, int len) throws IOException {
            return ch.write(writeView(src, off, len));
        }

        @Override
        public long transferFrom(OpenFile file, long position, long count) throws IOException {
            FileChannel source = file.channel();
            long n = source.transferTo(position, count, ch);
            // transferTo returns 0 both for a full socket and past the end of the file.
            if (n == 0 && count > 0 && position >= source.size()) {
                throw new EOFException(
                        file.name() + " ended at byte " + position + " with " + count + " bytes of the range unsent");
            }
            return n;
        }

        @Override
        public int pendingError() throws IOException {
            // The JDK reports a socket's error by failing the next operation on it: nothing is pending here.
            return 0;
        }

        @Override
        public void shutdownOutput() throws IOException {
            ch.shutdownOutput();
        }

        @Override
        public boolean finishConnect() throws IOException {
            return ch.finishConnect();
        }

        @Override
        public InetSocketAddress localAddress() throws IOException {
            return (InetSocketAddress) ch.getLocalAddress();
        }

        @Override
        public InetSocketAddress remoteAddress() throws IOException {
            return (InetSocketAddress) ch.getRemoteAddress();
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }

        @Override
        public String toString() {
            return "nio " + ch;
        }
    }
}
