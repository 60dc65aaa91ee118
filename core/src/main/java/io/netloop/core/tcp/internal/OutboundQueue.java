package io.netloop.core.tcp.internal;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.buffer.BufferPool;
import io.netloop.core.file.OpenFile;
import io.netloop.core.loop.LoopStats;
import io.netloop.core.transport.StreamSocket;
import java.io.IOException;
import java.util.ArrayDeque;

/**
 * What a connection has sent and the socket has not taken yet, in order: a buffer of bytes,
 * then file ranges, each followed by the bytes sent after it ({@link FileRegion#after}).
 *
 * <pre>
 * [ buffer ][ file 1 ][ after 1 ][ file 2 ][ after 2 ] ...   written left to right by flush()
 * </pre>
 *
 * <ul>
 *   <li>{@link #send} writes at once when nothing is queued (the common case: one system call,
 *       no copy); what the socket does not take is queued.</li>
 *   <li>{@link #cork} holds sends in the buffer until {@link #uncork}, so that several small
 *       messages leave in one system call.</li>
 *   <li>Under an {@link Encoder} (TLS) the buffer holds the wire's bytes, and plaintext sent
 *       behind a file waits as plaintext until the file's own bytes are encoded before it:
 *       encoding order is wire order. A file is then read a chunk at a time and encoded only
 *       once the socket took everything before it, so at most one chunk waits encoded.</li>
 *   <li>{@link #flush} writes until the socket is full or a budget of file bytes is spent
 *       ({@link Flush#YIELDED}: call again after the loop served the others), so that one fast
 *       reader of a large file cannot starve the loop.</li>
 *   <li>High and low water marks: {@link #crossedHighWater} and {@link #crossedLowWater} say
 *       when the queue crosses them, once per crossing.</li>
 * </ul>
 *
 * <p>Write failures are thrown; the connection closes on them. Owns its file regions (closed
 * by {@link #discard}). Threading: the connection's loop thread only.
 */
public final class OutboundQueue {
    /** Reads smaller than this from a file waste a system call: one TLS record's worth per chunk. */
    private static final int FILE_CHUNK = 16 * 1024;

    /** Turns plaintext into the wire's bytes (a TLS filter's outbound direction). */
    @FunctionalInterface
    public interface Encoder {
        void encode(byte[] src, int off, int len, Buffer wire) throws IOException;
    }

    /** How a {@link #flush} ended. */
    public enum Flush {
        /** Everything queued was written. */
        DRAINED,
        /** The socket is full: wait until it is writable. */
        BLOCKED,
        /** The socket has room but the budget is spent: flush again once the loop served the others. */
        YIELDED
    }

    private final StreamSocket socket;
    private final Encoder encoder;
    private final LoopStats stats;
    private final int highWaterMark;
    private final int lowWaterMark;
    private final long flushBudget;
    /** Bytes for the socket: a slab of the loop's pool while any wait, none once drained. */
    private final Buffer buffer;
    /** File ranges behind {@link #buffer}, in order; null until the first. */
    private ArrayDeque<FileRegion> files;
    /** Bytes of {@link #files}: unsent file bytes plus the bytes queued behind each range. */
    private long filesQueued;
    /** Under an encoder: a file's next plaintext chunk; dropped once no file is queued. */
    private byte[] fileChunk;

    private boolean corked;
    /** Nothing was queued when the cork began, so uncork must write (no EPOLLOUT is armed). */
    private boolean corkedOnEmpty;

    /**
     * The connection's last output, its FIN to follow at once: writes say MSG_MORE and a file
     * holds the socket (TCP_CORK) first, so that the answer and the FIN share a packet.
     */
    private boolean lastOutput;
    /** {@link #lastOutput} has the socket holding (TCP_CORK). */
    private boolean socketHeld;

    private boolean aboveHighWater;
    private long bytesWritten;

    /**
     * @param encoder null for plaintext
     * @param stats where write system calls and bytes are counted
     * @param pool where the buffer's storage comes from while bytes wait
     * @param flushBudget file bytes one {@link #flush} may send before it yields
     */
    public OutboundQueue(
            StreamSocket socket,
            Encoder encoder,
            LoopStats stats,
            BufferPool pool,
            int highWaterMark,
            int lowWaterMark,
            long flushBudget) {
        this.socket = socket;
        this.encoder = encoder;
        this.stats = stats;
        this.buffer = new Buffer(pool);
        this.highWaterMark = highWaterMark;
        this.lowWaterMark = lowWaterMark;
        this.flushBudget = flushBudget;
    }

    /** Nothing is waiting: no bytes, no file. */
    public boolean isEmpty() {
        return buffer.isEmpty() && !hasFiles();
    }

    /** Bytes waiting, file ranges and the bytes behind them included. */
    public long queuedBytes() {
        return buffer.readableBytes() + filesQueued;
    }

    /** Bytes in the buffer, ready for the socket (the wire's bytes, under an encoder). */
    public int bufferedBytes() {
        return buffer.readableBytes();
    }

    /** Bytes the socket has taken so far. */
    public long bytesWritten() {
        return bytesWritten;
    }

    public boolean isCorked() {
        return corked;
    }

    /**
     * The buffer of the wire's bytes, for what a filter writes itself (handshake answers, an
     * alert, close_notify); {@link #flush} sends it.
     */
    public Buffer wire() {
        return buffer;
    }

    private boolean hasFiles() {
        return files != null && !files.isEmpty();
    }

    /**
     * Sends {@code src[off, off+len)}: written now when nothing is queued and the queue is not
     * corked, the rest queued (behind the last file range, if any).
     *
     * @return true when bytes are left waiting that were not before: the caller watches for room
     */
    public boolean send(byte[] src, int off, int len) throws IOException {
        boolean wasEmpty = isEmpty();
        if (hasFiles()) {
            queueBehindFiles(src, off, len);
        } else if (encoder != null) {
            encoder.encode(src, off, len, buffer);
            if (wasEmpty && !corked) flush();
        } else {
            int written = 0;
            if (wasEmpty && !corked) {
                written = lastOutput ? countWrite(socket.writeMore(src, off, len)) : write(src, off, len);
            }
            if (written < len) buffer.append(src, off + written, len - written);
        }
        return wasEmpty && !corked && !isEmpty();
    }

    /**
     * Sends {@code head} and then {@code count} bytes of {@code file} from {@code position}:
     * when nothing is queued, at once, and a {@link FileRegion} is made only for what the
     * socket does not take (a static file answered on a kept connection makes nothing);
     * otherwise queued behind what waits. {@code head} is consumed.
     *
     * @return as {@link #send}
     */
    public boolean sendFile(Buffer head, OpenFile file, long position, long count) throws IOException {
        if (!isEmpty() || corked || encoder != null) return sendFile(head, new FileRegion(file, position, count));
        if (lastOutput && !socketHeld) {
            // sendfile(2) takes no MSG_MORE: without the hold its last bytes leave at once,
            // and the FIN after them in a packet of its own.
            socket.holdOutput(true);
            socketHeld = true;
        }
        int headBytes = head == null ? 0 : head.readableBytes();
        if (headBytes > 0) {
            // MSG_MORE: the file's first bytes share the head's packet.
            int n = countWrite(socket.writeMore(head.array(), head.readerIndex(), headBytes));
            head.skip(n);
            if (n < headBytes) return sendFile(head, new FileRegion(file, position, count));
        }
        long sent = 0;
        while (count > 0 && sent < flushBudget) {
            long n = socket.transferFrom(file, position, Math.min(count, FileRegion.MAX_PER_CALL));
            countWrite(n);
            if (n == 0) break;
            position += n;
            count -= n;
            sent += n;
        }
        if (count == 0) return false;
        // The socket is full, or this connection had its share of the turn: the rest waits, and
        // the caller watches for room.
        if (files == null) files = new ArrayDeque<>(4);
        FileRegion region = new FileRegion(file, position, count);
        files.addLast(region);
        filesQueued += count;
        return true;
    }

    /**
     * Queues a file range behind what is queued, and, when nothing was, sends what the socket
     * takes now. {@code head} (a response header) goes right before it, sharing its first
     * packet where the transport allows (MSG_MORE); consumed. The region is the queue's now.
     *
     * @return as {@link #send}
     */
    public boolean sendFile(Buffer head, FileRegion region) throws IOException {
        boolean wasEmpty = isEmpty();
        if (head != null && head.readableBytes() > 0) {
            if (encoder != null) {
                send(head.array(), head.readerIndex(), head.readableBytes());
                head.clear();
            } else if (hasFiles()) {
                queueBehindFiles(head.array(), head.readerIndex(), head.readableBytes());
                head.clear();
            } else {
                buffer.append(head);
            }
        }
        if (files == null) files = new ArrayDeque<>(4);
        files.addLast(region);
        filesQueued += region.remaining();
        if (wasEmpty && !corked) flush();
        return wasEmpty && !corked && !isEmpty();
    }

    private void queueBehindFiles(byte[] src, int off, int len) {
        FileRegion last = files.peekLast();
        if (last.after == null) last.after = new Buffer();
        last.after.append(src, off, len);
        filesQueued += len;
    }

    /**
     * Holds the sends that follow in the buffer until {@link #uncork}. Water marks still apply.
     */
    public void cork() {
        if (corked) return;
        corked = true;
        corkedOnEmpty = isEmpty();
    }

    /**
     * What is sent from now on is the connection's last output, and its FIN (a close or a
     * shutdown) follows before the loop moves on. Plain sockets only: under an encoder the
     * protocol's own end goes between.
     */
    public void lastOutput() {
        if (encoder == null) lastOutput = true;
    }

    public boolean isLastOutput() {
        return lastOutput;
    }

    /** No FIN came after the last output after all: what the kernel holds leaves now. */
    public void releaseLastOutput() throws IOException {
        if (!lastOutput) return;
        lastOutput = false;
        socketHeld = false;
        socket.holdOutput(false);
    }

    /**
     * Ends the cork.
     *
     * @return true when the caller must flush now: bytes were corked onto an empty queue, so
     *     no readiness for writing is being watched for them
     */
    public boolean uncork() {
        if (!corked) return false;
        corked = false;
        return corkedOnEmpty && !isEmpty();
    }

    /**
     * Writes what the socket takes: the buffer, then each file range and the bytes behind it.
     */
    public Flush flush() throws IOException {
        long budget = flushBudget;
        for (; ; ) {
            if (!buffer.isEmpty()) {
                // A file follows: MSG_MORE lets its first bytes share a packet with these.
                int n = hasFiles()
                        ? countWrite(socket.writeMore(buffer.array(), buffer.readerIndex(), buffer.readableBytes()))
                        : write(buffer.array(), buffer.readerIndex(), buffer.readableBytes());
                buffer.skip(n);
                if (!buffer.isEmpty()) return Flush.BLOCKED;
            }
            if (!hasFiles()) return Flush.DRAINED;
            FileRegion region = files.peekFirst();
            if (encoder != null && region.remaining() > 0) {
                if (budget <= 0) return Flush.YIELDED;
                budget -= encodeFileChunk(region);
                continue;
            }
            while (region.remaining() > 0) {
                long n = region.transferTo(socket);
                countWrite(n);
                filesQueued -= n;
                budget -= n;
                if (n == 0) return Flush.BLOCKED;
                if (budget <= 0 && region.remaining() > 0) return Flush.YIELDED;
            }
            files.pollFirst();
            region.close();
            if (files.isEmpty()) fileChunk = null; // kept only while files are queued
            if (region.after != null) {
                filesQueued -= region.after.readableBytes();
                if (encoder == null) {
                    buffer.append(region.after);
                } else {
                    encoder.encode(
                            region.after.array(), region.after.readerIndex(), region.after.readableBytes(), buffer);
                    region.after.clear();
                }
            }
        }
    }

    /** Reads a file's next chunk and appends it, encoded, to the buffer. @return plaintext bytes */
    private int encodeFileChunk(FileRegion region) throws IOException {
        if (fileChunk == null) fileChunk = new byte[FILE_CHUNK];
        int n = region.read(fileChunk, 0, FILE_CHUNK);
        encoder.encode(fileChunk, 0, n, buffer);
        filesQueued -= n;
        return n;
    }

    private int write(byte[] src, int off, int len) throws IOException {
        return countWrite(socket.write(src, off, len));
    }

    private int countWrite(int n) {
        countWrite((long) n);
        return n;
    }

    private void countWrite(long n) {
        stats.countWrite();
        if (n > 0) {
            bytesWritten += n;
            stats.countBytes(0, n);
        }
    }

    /**
     * Whether the queue just rose to the high-water mark: true once per crossing, until it
     * falls back to the low-water mark.
     */
    public boolean crossedHighWater() {
        if (aboveHighWater || queuedBytes() < highWaterMark) return false;
        aboveHighWater = true;
        return true;
    }

    /** Whether the queue just fell back to the low-water mark after a high-water crossing. */
    public boolean crossedLowWater() {
        if (!aboveHighWater || queuedBytes() > lowWaterMark) return false;
        aboveHighWater = false;
        return true;
    }

    /** Gives the buffer's storage back to the pool while nothing is queued: an idle connection holds none. */
    public void release() {
        if (isEmpty()) buffer.release();
    }

    /** Drops everything queued and closes the file ranges (the connection is closing). */
    public void discard() {
        if (files != null) {
            for (FileRegion region : files) region.close();
            files.clear();
        }
        filesQueued = 0;
        fileChunk = null;
        buffer.clear();
        buffer.release();
        corked = false;
    }

    @Override
    public String toString() {
        return "OutboundQueue[" + buffer.readableBytes() + " buffered, " + (files == null ? 0 : files.size())
                + " file(s), " + filesQueued + " bytes behind]";
    }
}
