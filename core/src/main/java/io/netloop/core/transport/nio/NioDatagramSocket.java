package io.netloop.core.transport.nio;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.sys.Errno;
import io.netloop.core.sys.ErrnoException;
import io.netloop.core.transport.Datagram;
import io.netloop.core.transport.DatagramConfig;
import io.netloop.core.transport.DatagramSocket;
import io.netloop.core.transport.SocketConfig;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.util.Deque;

/**
 * The NIO transport's UDP socket: a non-blocking {@link DatagramChannel}, one datagram per
 * call (the JDK has no recvmmsg).
 *
 * <p>Owns its channel and an arena with the receive buffer (one byte longer than
 * {@link DatagramConfig#maxDatagramSize}, so that a datagram that fills it is known to be
 * cut: the JDK drops the excess silently), both released by {@link #close}. Threading: the
 * owning loop's thread.
 */
public final class NioDatagramSocket extends NioTransport.Options implements DatagramSocket {
    private final Arena arena = Arena.ofShared();
    private final DatagramChannel ch;
    private final InetSocketAddress local;
    private final int maxDatagram;
    private final ByteBuffer in;
    private final Buffer data = new Buffer(2048);
    private boolean closed;

    static NioDatagramSocket open(InetSocketAddress bind, SocketConfig options, DatagramConfig config)
            throws IOException {
        DatagramChannel ch = DatagramChannel.open(
                bind.getAddress() instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            ch.configureBlocking(false);
            options.applyTo(new NioTransport.Options(ch));
            ch.bind(bind);
            return new NioDatagramSocket(ch, config);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private NioDatagramSocket(DatagramChannel ch, DatagramConfig config) throws IOException {
        super(ch);
        this.ch = ch;
        this.local = (InetSocketAddress) ch.getLocalAddress();
        this.maxDatagram = config.maxDatagramSize();
        this.in = arena.allocate(maxDatagram + 1L).asByteBuffer();
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
    public int batchSize() {
        return 1;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    public int receive(Sink sink, int max) throws IOException {
        in.clear();
        InetSocketAddress sender = (InetSocketAddress) ch.receive(in);
        if (sender == null) return 0;
        in.flip();
        boolean truncated = in.remaining() > maxDatagram;
        int kept = Math.min(in.remaining(), maxDatagram);
        data.clear();
        data.ensureWritable(kept);
        in.get(data.array(), data.writerIndex(), kept);
        data.hasWritten(kept);
        sink.datagram(sender, data, truncated);
        return 1;
    }

    @Override
    public boolean send(InetSocketAddress to, byte[] src, int off, int len) throws IOException {
        try {
            // All or nothing: a datagram is never split; 0 means no room now.
            return ch.send(ByteBuffer.wrap(src, off, len), to) > 0 || len == 0;
        } catch (IOException e) {
            throw translate(e, len, to);
        }
    }

    @Override
    public int send(Deque<Datagram> queue) throws IOException {
        Datagram head = queue.peekFirst();
        if (head == null) return 0;
        return send(head.address(), head.data(), 0, head.data().length) ? 1 : 0;
    }

    /** The JDK's messages for the errors that matter, as the errno the epoll transport reports. */
    private static IOException translate(IOException e, int len, InetSocketAddress to) {
        String m = String.valueOf(e.getMessage());
        int errno = m.contains("Message too long")
                ? Errno.EMSGSIZE
                : m.contains("Permission denied")
                        ? Errno.EACCES
                        : m.contains("Network is unreachable") ? Errno.ENETUNREACH : 0;
        if (errno == 0) return e;
        IOException translated = ErrnoException.datagram("send", errno, len, to);
        translated.initCause(e);
        return translated;
    }

    /** Whether the native memory is gone (after {@link #close}): for tests. */
    public boolean released() {
        return !arena.scope().isAlive();
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        try {
            ch.close();
        } finally {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "nio udp on " + local;
    }
}
