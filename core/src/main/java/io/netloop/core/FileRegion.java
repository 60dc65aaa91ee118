package io.netloop.core;

import io.netloop.sys.Fds;
import io.netloop.sys.Net;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A range of a file queued on a {@link TcpConnection} (see {@link TcpConnection#sendFile}),
 * sent from the page cache to the socket without passing through the Java heap: sendfile(2)
 * on the epoll transport, {@link FileChannel#transferTo} on NIO (which the JDK also turns
 * into sendfile on Linux).
 *
 * <p>Owns its file handle, opened for the transport at hand (a read-only descriptor for
 * epoll, a {@link FileChannel} for NIO), and the bytes queued behind it ({@link #after}),
 * which go out once the range is sent. The connection closes it when the range is sent or
 * when the connection closes, whichever comes first.
 *
 * <p>Threading: the connection's loop thread only (the sendfile offset lives in a confined
 * arena).
 */
final class FileRegion implements AutoCloseable {
    /** sendfile(2) moves at most 0x7ffff000 bytes per call; ask for no more than 1 GiB. */
    private static final long MAX_PER_CALL = 1L << 30;

    /** The file as the caller named it: for messages only. */
    private final Object name;
    private final int fd;
    private final FileChannel channel;
    private final Arena arena;
    private final MemorySegment offset;
    private long position;
    private long remaining;
    private boolean closed;
    /** Bytes queued after this range and before the next one; null until the first such byte. */
    Buffer after;

    private FileRegion(Object name, int fd, FileChannel channel, long position, long count) {
        this.name = name;
        this.fd = fd;
        this.channel = channel;
        this.position = position;
        this.remaining = count;
        this.arena = fd >= 0 ? Arena.ofConfined() : null;
        this.offset = fd >= 0 ? arena.allocate(ValueLayout.JAVA_LONG) : null;
    }

    /**
     * Opens {@code path} the way {@code socket}'s transport sends from: a descriptor for a
     * native socket, a channel for a JDK one or for a filtered connection, which reads the
     * file ({@link #read}) instead of handing it to the kernel.
     *
     * @param filtered the bytes pass through a {@link ConnectionFilter}
     * @throws IOException when the file cannot be opened (nothing is left open)
     */
    static FileRegion open(StreamSocket socket, boolean filtered, Path path, long position, long count) throws IOException {
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException("position and count must not be negative: " + position + ", " + count);
        }
        if (socket.fd() >= 0 && !filtered) return new FileRegion(path, Fds.openReadOnly(path.toString()), null, position, count);
        return new FileRegion(path, -1, FileChannel.open(path, StandardOpenOption.READ), position, count);
    }

    /**
     * A range of an already open descriptor, which the region now owns (it closes it). On a
     * JDK socket the file is reached again through /proc/self/fd, the same open file, so no
     * path is resolved a second time.
     *
     * @throws IOException when that reopening fails (the descriptor is closed then)
     */
    static FileRegion ofDescriptor(StreamSocket socket, boolean filtered, int fileFd, String name, long position, long count)
            throws IOException {
        if (position < 0 || count < 0) {
            Fds.close(fileFd);
            throw new IllegalArgumentException("position and count must not be negative: " + position + ", " + count);
        }
        if (socket.fd() >= 0 && !filtered) return new FileRegion(name, fileFd, null, position, count);
        try {
            return new FileRegion(name, -1, FileChannel.open(Path.of("/proc/self/fd/" + fileFd), StandardOpenOption.READ),
                    position, count);
        } finally {
            Fds.close(fileFd);
        }
    }

    long remaining() {
        return remaining;
    }

    /** Bytes queued behind this range. */
    int afterBytes() {
        return after == null ? 0 : after.readableBytes();
    }

    /**
     * Sends what the socket takes now.
     *
     * @return bytes sent; 0 when the socket's buffer is full
     * @throws EOFException when the file ends before the range does (it shrank after it was
     *     queued): the peer was promised bytes that do not exist, so the connection must close
     */
    long transferTo(StreamSocket socket) throws IOException {
        long want = Math.min(remaining, MAX_PER_CALL);
        long n;
        if (fd >= 0) {
            offset.set(ValueLayout.JAVA_LONG, 0, position);
            n = Net.sendfile(socket.fd(), fd, offset, want);
            if (n == Net.WOULD_BLOCK) return 0;
            if (n == 0) throw endedEarly(); // sendfile returns 0 only at the end of the file
        } else {
            n = channel.transferTo(position, want, (WritableByteChannel) socket.nioChannel());
            // transferTo returns 0 both for a full socket and past the end of the file.
            if (n == 0 && position >= channel.size()) throw endedEarly();
        }
        position += n;
        remaining -= n;
        return n;
    }

    /**
     * Reads the range's next bytes into {@code dst}, for a filtered connection (a region
     * opened with {@code filtered}).
     *
     * @return bytes read, at least 1
     * @throws EOFException when the file ends before the range does
     */
    int read(byte[] dst, int off, int len) throws IOException {
        int n = channel.read(ByteBuffer.wrap(dst, off, (int) Math.min(len, remaining)), position);
        if (n <= 0) throw endedEarly();
        position += n;
        remaining -= n;
        return n;
    }

    private EOFException endedEarly() {
        return new EOFException(name + " ended at byte " + position + " with " + remaining + " bytes of the range unsent");
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            if (fd >= 0) Fds.close(fd);
            else channel.close();
        } catch (IOException e) {
            // A read-only file has nothing to flush: a failed close loses nothing.
        } finally {
            if (arena != null) arena.close();
        }
    }

    @Override
    public String toString() {
        return "FileRegion[" + name + " @" + position + ", " + remaining + " left]";
    }
}
