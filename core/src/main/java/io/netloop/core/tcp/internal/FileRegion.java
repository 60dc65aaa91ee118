package io.netloop.core.tcp.internal;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.file.OpenFile;
import io.netloop.core.transport.StreamSocket;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A range of a file queued on a connection, sent from the page cache to the socket without
 * passing through the Java heap ({@link StreamSocket#transferFrom}), or, for a connection
 * under a filter (TLS), read a chunk at a time to be encoded.
 *
 * <p>Holds a reference to its {@link OpenFile}, taken when queued and given back by
 * {@link #close} (when the range is sent, or the connection closes), and owns the bytes
 * queued behind it ({@link #after}), which go out once the range is sent.
 *
 * <p>Threading: the connection's loop thread only.
 */
public final class FileRegion implements AutoCloseable {
    /** sendfile(2) moves at most 0x7ffff000 bytes per call; ask for no more than 1 GiB. */
    static final long MAX_PER_CALL = 1L << 30;

    private final OpenFile file;
    private long position;
    private long remaining;
    private boolean closed;
    /** Bytes queued after this range and before the next one; null until the first such byte. */
    public Buffer after;

    /** Takes a reference to {@code file}, given back by {@link #close}. */
    public FileRegion(OpenFile file, long position, long count) {
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException("position and count must not be negative: " + position + ", " + count);
        }
        this.file = file.retain();
        this.position = position;
        this.remaining = count;
    }

    public long remaining() {
        return remaining;
    }

    /** Bytes queued behind this range. */
    public int afterBytes() {
        return after == null ? 0 : after.readableBytes();
    }

    /**
     * Sends what the socket takes now.
     *
     * @return bytes sent; 0 when the socket's buffer is full
     * @throws EOFException when the file ends before the range does (it shrank after it was
     *     queued): the peer was promised bytes that do not exist, so the connection must close
     */
    public long transferTo(StreamSocket socket) throws IOException {
        long n = socket.transferFrom(file, position, Math.min(remaining, MAX_PER_CALL));
        position += n;
        remaining -= n;
        return n;
    }

    /**
     * Reads the range's next bytes into {@code dst}, for a filtered connection.
     *
     * @return bytes read, at least 1
     * @throws EOFException when the file ends before the range does
     */
    public int read(byte[] dst, int off, int len) throws IOException {
        int n = file.channel().read(ByteBuffer.wrap(dst, off, (int) Math.min(len, remaining)), position);
        if (n <= 0)
            throw new EOFException(
                    file.name() + " ended at byte " + position + " with " + remaining + " bytes of the range unsent");
        position += n;
        remaining -= n;
        return n;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        file.close();
    }

    @Override
    public String toString() {
        return "FileRegion[" + file.name() + " @" + position + ", " + remaining + " left]";
    }
}
