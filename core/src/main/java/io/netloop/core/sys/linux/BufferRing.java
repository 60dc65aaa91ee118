package io.netloop.core.sys.linux;

import io.netloop.core.sys.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A provided-buffer ring (io_uring's IORING_REGISTER_PBUF_RING, 5.19): {@code entries} buffers
 * of {@code bufferSize} bytes that the kernel picks from when a receive completes, naming the
 * one it filled by its id in the completion. The application hands a buffer back by writing it
 * at the ring's tail; the kernel takes from the head.
 *
 * <pre>
 * ring:    [ io_uring_buf 0 | 1 | ... ]  addr, len, bid; the 16-bit tail overlays entry 0's last field
 * buffers: [ bid 0 | bid 1 | ... ]       bufferSize bytes each, in one anonymous mapping
 * </pre>
 * The tail is published with a release store (the entry's fields before it), as the kernel
 * reads it with an acquire load.
 *
 * <p>Memory: both areas are anonymous mappings, so a buffer costs memory once the kernel first
 * wrote into it. Owns nothing beyond the arena it is given. Threading: the owning loop's thread.
 */
public final class BufferRing {
    private static final VarHandle SHORT = ValueLayout.JAVA_SHORT.varHandle();
    /** Where the tail is: the {@code resv} field of entry 0 (struct io_uring_buf_ring). */
    private static final long TAIL = 14;

    private static final long ENTRY = IoUring.BUF.byteSize();

    private final MemorySegment ring;
    private final MemorySegment buffers;
    private final long buffersAddress;
    private final int entries;
    private final int mask;
    private final int bufferSize;
    private final int group;
    private int tail;

    /**
     * Maps the ring and its buffers in {@code arena}, and provides every buffer.
     *
     * @param entries a power of two, at most 32768 (buffer ids are 16 bits)
     * @param group the buffer group id a receive names to pick from this ring
     */
    public BufferRing(Arena arena, int entries, int bufferSize, int group) throws ErrnoException {
        if (Integer.bitCount(entries) != 1 || entries > 32768)
            throw new IllegalArgumentException("entries must be a power of two up to 32768: " + entries);
        if (bufferSize <= 0) throw new IllegalArgumentException("bufferSize must be positive: " + bufferSize);
        this.entries = entries;
        this.mask = entries - 1;
        this.bufferSize = bufferSize;
        this.group = group;
        this.ring = IoUring.mapAnonymous(ENTRY * entries, arena);
        this.buffers = IoUring.mapAnonymous((long) bufferSize * entries, arena);
        this.buffersAddress = buffers.address();
        for (int bid = 0; bid < entries; bid++) put(bid);
        publish();
    }

    /** The ring itself, to register (page-aligned, as the kernel wants). */
    public MemorySegment ring() {
        return ring;
    }

    public int entries() {
        return entries;
    }

    public int group() {
        return group;
    }

    public int bufferSize() {
        return bufferSize;
    }

    /** The memory of every buffer: buffer {@code bid} starts at {@code bid * bufferSize()}. */
    public MemorySegment buffers() {
        return buffers;
    }

    /** Gives buffer {@code bid} back to the kernel, at once. */
    public void recycle(int bid) {
        put(bid);
        publish();
    }

    private void put(int bid) {
        long e = (tail & mask) * ENTRY;
        ring.set(ValueLayout.JAVA_LONG, e, buffersAddress + (long) bid * bufferSize);
        ring.set(ValueLayout.JAVA_INT, e + 8, bufferSize);
        ring.set(ValueLayout.JAVA_SHORT, e + 12, (short) bid);
        tail++;
    }

    private void publish() {
        SHORT.setRelease(ring, TAIL, (short) tail);
    }
}
