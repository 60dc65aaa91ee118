package io.netloop.core.buffer;

/**
 * Arrays of one size ("slabs") kept by one event loop for the buffers of its connections:
 * input that is not yet a whole message, output the socket has not taken yet. A connection
 * takes storage only while it has such bytes and gives it back once they are gone, so an
 * idle connection holds no buffer (nginx frees an idle keep-alive connection's buffer in the
 * same way), and a busy loop recycles its slabs instead of making garbage.
 *
 * <p>Bounded: at most {@code maxPooled} slabs wait here; more given back are left to the
 * collector, and a request larger than a slab gets an array of its own. A slab's bytes are
 * not cleared between users: only a buffer's readable bytes mean anything.
 *
 * <p>Threading: one loop thread only, like the buffers it serves.
 */
public final class BufferPool {
    private final int slabSize;
    private final byte[][] free;
    private int count;
    private long taken;
    private long made;

    /**
     * @param slabSize bytes per slab
     * @param maxPooled slabs kept at most
     */
    public BufferPool(int slabSize, int maxPooled) {
        if (slabSize <= 0 || maxPooled < 0)
            throw new IllegalArgumentException("slabSize " + slabSize + ", maxPooled " + maxPooled);
        this.slabSize = slabSize;
        this.free = new byte[maxPooled][];
    }

    public int slabSize() {
        return slabSize;
    }

    /** An array of at least {@code size} bytes: a pooled slab when one fits, else a new array. */
    public byte[] take(int size) {
        taken++;
        if (size > slabSize) {
            made++;
            return new byte[size];
        }
        if (count > 0) {
            byte[] slab = free[--count];
            free[count] = null;
            return slab;
        }
        made++;
        return new byte[slabSize];
    }

    /** Takes {@code array} back: kept if it is a slab and there is room, else left to the collector. */
    public void give(byte[] array) {
        if (array.length == slabSize && count < free.length) free[count++] = array;
    }

    /** Slabs waiting here now. */
    public int pooled() {
        return count;
    }

    /** Arrays handed out since the start, and how many of them were made rather than reused: for tests and statistics. */
    public long taken() {
        return taken;
    }

    public long made() {
        return made;
    }

    @Override
    public String toString() {
        return "BufferPool[" + slabSize + " B slabs, " + count + " pooled]";
    }
}
