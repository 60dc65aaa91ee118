package io.netloop.core.tcp.internal;

import io.netloop.core.file.OpenFile;
import io.netloop.core.transport.NetOption;
import io.netloop.core.transport.StreamSocket;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * A socket for unit tests of the connection's parts: its send buffer takes at most
 * {@link #takePerWrite} bytes per call (0: full), reads come from {@link #feed}, and every
 * call is counted. No descriptor, no kernel, no timing.
 */
final class FakeSocket implements StreamSocket {
    final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    int takePerWrite = Integer.MAX_VALUE;
    int writes;
    int writeMores;
    int transfers;
    /** Each holdOutput call, in order: "+" for on, "-" for off, between the writes ("w", "m", "f"). */
    final StringBuilder calls = new StringBuilder();

    IOException failWrites;
    private final Deque<byte[]> incoming = new ArrayDeque<>();
    private boolean endOfStream;

    /** Bytes the peer sent, read by the next reads (each call returns what one feed gave, at most len). */
    void feed(byte[] b) {
        incoming.add(b);
    }

    void endStream() {
        endOfStream = true;
    }

    String sentText() {
        return sent.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Override
    public int read(byte[] dst, int off, int len) {
        byte[] next = incoming.peek();
        if (next == null) return endOfStream ? EOF : 0;
        int n = Math.min(len, next.length);
        System.arraycopy(next, 0, dst, off, n);
        incoming.poll();
        if (n < next.length) incoming.push(Arrays.copyOfRange(next, n, next.length));
        return n;
    }

    @Override
    public int write(byte[] src, int off, int len) throws IOException {
        writes++;
        calls.append('w');
        if (failWrites != null) throw failWrites;
        int n = Math.min(len, takePerWrite);
        sent.write(src, off, n);
        return n;
    }

    @Override
    public int writeMore(byte[] src, int off, int len) throws IOException {
        writeMores++;
        int n = write(src, off, len);
        calls.setCharAt(calls.length() - 1, 'm');
        return n;
    }

    @Override
    public void holdOutput(boolean on) {
        calls.append(on ? '+' : '-');
    }

    @Override
    public long transferFrom(OpenFile file, long position, long count) throws IOException {
        transfers++;
        calls.append('f');
        if (failWrites != null) throw failWrites;
        int n = (int) Math.min(count, takePerWrite);
        if (n == 0) return 0;
        ByteBuffer b = ByteBuffer.allocate(n);
        int r = file.channel().read(b, position);
        if (r <= 0) throw new EOFException(file.name() + " ended at " + position);
        sent.write(b.array(), 0, r);
        return r;
    }

    @Override
    public int pendingError() {
        return 0;
    }

    @Override
    public void shutdownOutput() {}

    @Override
    public boolean finishConnect() {
        return true;
    }

    @Override
    public InetSocketAddress localAddress() {
        return new InetSocketAddress("127.0.0.1", 1);
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return new InetSocketAddress("127.0.0.1", 2);
    }

    @Override
    public void close() {}

    @Override
    public int fd() {
        return -1;
    }

    @Override
    public <T> void set(NetOption<T> option, T value) {}

    @Override
    public <T> T get(NetOption<T> option) {
        return null;
    }
}
