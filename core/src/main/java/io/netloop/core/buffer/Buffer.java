package io.netloop.core.buffer;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A growable byte buffer on a heap array, with separate read and write positions.
 *
 * <pre>
 * +-------------------+------------------+------------------+
 * |  consumed (free)  |  readable bytes  |  writable bytes  |
 * +-------------------+------------------+------------------+
 * 0         &lt;=    readerIndex   &lt;=   writerIndex    &lt;=    capacity
 * </pre>
 *
 * Sockets read into the writable part and write from the readable part. When room runs
 * short, the readable bytes first move to the front; only then does the array grow.
 *
 * <p>Its storage may come from a {@link BufferPool} and go back to it once the buffer is
 * empty ({@link #release}), and it may be lent: a loop reads a connection's input straight
 * into the loop's own read array ({@link #lend}), and only bytes left over after the handler
 * ran are copied into storage of the connection's own ({@link #keep}). So an idle connection
 * holds no array at all. Only the readable bytes mean anything: the rest of the array may hold
 * bytes of an earlier user of the same storage.
 *
 * <p>Threading: not thread-safe; a connection's buffers belong to its loop thread.
 */
public final class Buffer {
    private static final byte[] EMPTY = new byte[0];
    private static final int MAX_CAPACITY = Integer.MAX_VALUE - 16;

    private byte[] array;
    private int readerIndex;
    private int writerIndex;
    /** Where the storage comes from and goes back to; null: the heap, left to the collector. */
    private final BufferPool pool;
    /** The storage is someone else's (a loop's read array): never given to the pool, never kept past {@link #keep}. */
    private boolean lent;

    public Buffer() {
        this(0);
    }

    public Buffer(int initialCapacity) {
        array = initialCapacity == 0 ? EMPTY : new byte[initialCapacity];
        pool = null;
    }

    /** An empty buffer whose storage comes from {@code pool} and goes back to it when released. */
    public Buffer(BufferPool pool) {
        this.array = EMPTY;
        this.pool = pool;
    }

    /** A buffer whose readable bytes are a copy of {@code bytes}. */
    public static Buffer of(byte[] bytes) {
        Buffer b = new Buffer(bytes.length);
        b.append(bytes, 0, bytes.length);
        return b;
    }

    public byte[] array() {
        return array;
    }

    public int readerIndex() {
        return readerIndex;
    }

    public int writerIndex() {
        return writerIndex;
    }

    public int capacity() {
        return array.length;
    }

    public int readableBytes() {
        return writerIndex - readerIndex;
    }

    public int writableBytes() {
        return array.length - writerIndex;
    }

    public boolean isEmpty() {
        return writerIndex == readerIndex;
    }

    /** Consumes {@code n} readable bytes. */
    public void skip(int n) {
        if (n < 0 || n > readableBytes()) throw new IndexOutOfBoundsException("skip " + n + " of " + readableBytes());
        readerIndex += n;
        if (readerIndex == writerIndex) clear();
    }

    /** Consumes everything. */
    public void clear() {
        readerIndex = 0;
        writerIndex = 0;
    }

    /** Marks {@code n} bytes after the writer index as written (after a socket read into the array). */
    public void hasWritten(int n) {
        if (n < 0 || n > writableBytes())
            throw new IndexOutOfBoundsException("hasWritten " + n + " of " + writableBytes());
        writerIndex += n;
    }

    /** Makes room for at least {@code n} more bytes: compacts first, grows only when that is not enough. */
    public void ensureWritable(int n) {
        if (n <= writableBytes()) return;
        int readable = readableBytes();
        if (readerIndex > 0 && n <= array.length - readable) {
            System.arraycopy(array, readerIndex, array, 0, readable);
        } else {
            long wanted = (long) readable + n;
            if (wanted > MAX_CAPACITY) throw new IllegalStateException("buffer cannot hold " + wanted + " bytes");
            int capacity = (int) Math.min(MAX_CAPACITY, Math.max(wanted, Math.max(64, (long) array.length * 2)));
            byte[] bigger = pool != null ? pool.take(capacity) : new byte[capacity];
            System.arraycopy(array, readerIndex, bigger, 0, readable);
            giveBack();
            array = bigger;
        }
        readerIndex = 0;
        writerIndex = readable;
    }

    /** Gives back memory above {@code capacity} when the buffer holds less than that. */
    public void shrink(int capacity) {
        int readable = readableBytes();
        if (lent || array.length <= capacity || readable > capacity) return;
        if (readable == 0 && capacity == 0) {
            release();
            return;
        }
        byte[] smaller = Arrays.copyOfRange(array, readerIndex, readerIndex + Math.max(capacity, readable));
        giveBack();
        array = smaller;
        readerIndex = 0;
        writerIndex = readable;
    }

    /**
     * Uses {@code storage}, which someone else owns (a loop's read array), until {@link #release}
     * or {@link #keep}; reading into it then needs no storage of this buffer's own.
     *
     * @throws IllegalStateException when the buffer holds bytes
     */
    public void lend(byte[] storage) {
        if (!isEmpty()) throw new IllegalStateException("lend to a buffer holding " + readableBytes() + " bytes");
        giveBack();
        array = storage;
        lent = true;
        readerIndex = 0;
        writerIndex = 0;
    }

    /** Whether the storage is lent ({@link #lend}) rather than this buffer's own. */
    public boolean isLent() {
        return lent;
    }

    /**
     * Keeps the readable bytes in storage of this buffer's own, copying them out of lent
     * storage (from the pool, when there is one); the lent storage is free again afterwards.
     */
    public void keep() {
        if (!lent) return;
        int readable = readableBytes();
        byte[] own = readable == 0 ? EMPTY : pool != null ? pool.take(readable) : new byte[readable];
        System.arraycopy(array, readerIndex, own, 0, readable);
        array = own;
        lent = false;
        readerIndex = 0;
        writerIndex = readable;
    }

    /**
     * Gives the storage back (to the pool it came from, or to its owner when lent) and holds
     * none. Only an empty buffer releases: bytes still to be read are never dropped.
     */
    public void release() {
        if (!isEmpty() || array == EMPTY) return;
        giveBack();
        array = EMPTY;
        readerIndex = 0;
        writerIndex = 0;
    }

    private void giveBack() {
        if (lent) {
            lent = false;
        } else if (pool != null && array != EMPTY) {
            pool.give(array);
        }
    }

    public Buffer append(byte[] src, int off, int len) {
        ensureWritable(len);
        System.arraycopy(src, off, array, writerIndex, len);
        writerIndex += len;
        return this;
    }

    public Buffer append(byte[] src) {
        return append(src, 0, src.length);
    }

    /** Moves all of {@code src}'s readable bytes here. */
    public Buffer append(Buffer src) {
        append(src.array, src.readerIndex, src.readableBytes());
        src.clear();
        return this;
    }

    public Buffer append(String s) {
        return append(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The byte at {@code readerIndex + offset}. */
    public byte peek(int offset) {
        if (offset < 0 || offset >= readableBytes()) throw new IndexOutOfBoundsException(offset);
        return array[readerIndex + offset];
    }

    /** The offset from the reader index of the first {@code b}, or -1. */
    public int indexOf(byte b) {
        for (int i = readerIndex; i < writerIndex; i++) {
            if (array[i] == b) return i - readerIndex;
        }
        return -1;
    }

    /** Copies and consumes {@code len} bytes. */
    public byte[] read(int len) {
        if (len > readableBytes()) throw new IndexOutOfBoundsException("read " + len + " of " + readableBytes());
        byte[] out = Arrays.copyOfRange(array, readerIndex, readerIndex + len);
        skip(len);
        return out;
    }

    /** Copies and consumes everything readable. */
    public byte[] readAll() {
        return read(readableBytes());
    }

    public String readString(int len, Charset charset) {
        String s = new String(array, readerIndex, len, charset);
        skip(len);
        return s;
    }

    public String readAllAsString() {
        return readString(readableBytes(), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "Buffer[readable=" + readableBytes() + ", capacity=" + array.length + "]";
    }
}
