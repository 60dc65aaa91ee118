package io.netloop.core.transport.uring;

import io.netloop.core.sys.ErrnoException;
import io.netloop.core.sys.linux.IoUring;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Where a loop's outgoing bytes wait for the kernel: the native memory a send operation
 * points at must stay put until its completion, so {@code write} copies into a chunk here and
 * the chunk goes back once the send that took it completed.
 *
 * <pre>
 * slab 0: [ chunk 0 | chunk 1 | ... | chunk 63 ]   1 MiB anonymous mapping, 16 KiB chunks
 * slab 1: [ chunk 64 | ... ]                       mapped when the first 64 are in use
 * next[id], fill[id]: a socket's chunks as a list, and the bytes written into each
 * </pre>
 * Chunks are lent, never owned: an idle connection holds none. The pool grows a slab at a
 * time up to its bound and never shrinks (a slab's pages cost memory once written); beyond the
 * bound {@link #take} says no and the writer waits, as it would for a full socket.
 *
 * <p>Threading: the owning loop's thread only; memory in the poller's arena.
 */
final class SendChunks {
    static final int CHUNK = 16 * 1024;
    private static final int PER_SLAB = 64;

    private final Arena arena;
    private final int max;
    private MemorySegment[] slabs = new MemorySegment[4];
    private long[] slabAddresses = new long[4];
    /** Per chunk: the next in its socket's list (or in the free list), -1 at the end. */
    int[] next = new int[0];
    /** Per chunk: bytes written into it. */
    int[] fill = new int[0];

    private int free = -1;
    private int made;
    private int inUse;

    SendChunks(Arena arena, int maxChunks) {
        this.arena = arena;
        this.max = maxChunks;
    }

    /** A free chunk, empty, or -1 when the bound is reached (or the kernel gave no memory). */
    int take() {
        int id = free;
        if (id >= 0) {
            free = next[id];
        } else {
            if (made == max || !grow()) return -1;
            id = made++;
        }
        next[id] = -1;
        fill[id] = 0;
        inUse++;
        return id;
    }

    void give(int id) {
        next[id] = free;
        free = id;
        inUse--;
    }

    MemorySegment slab(int id) {
        return slabs[id / PER_SLAB];
    }

    long offset(int id) {
        return (long) (id % PER_SLAB) * CHUNK;
    }

    long address(int id) {
        return slabAddresses[id / PER_SLAB] + offset(id);
    }

    int inUse() {
        return inUse;
    }

    /** Bytes mapped for chunks so far. */
    long mappedBytes() {
        return (long) ((made + PER_SLAB - 1) / PER_SLAB) * PER_SLAB * CHUNK;
    }

    private boolean grow() {
        if (made % PER_SLAB != 0) return true; // room left in the last slab
        int s = made / PER_SLAB;
        try {
            MemorySegment slab = IoUring.mapAnonymous((long) PER_SLAB * CHUNK, arena);
            if (s == slabs.length) {
                slabs = Arrays.copyOf(slabs, s * 2);
                slabAddresses = Arrays.copyOf(slabAddresses, s * 2);
            }
            slabs[s] = slab;
            slabAddresses[s] = slab.address();
        } catch (ErrnoException e) {
            System.getLogger(SendChunks.class.getName())
                    .log(System.Logger.Level.WARNING, "no memory for more send staging: " + e.getMessage());
            return false;
        }
        next = Arrays.copyOf(next, (s + 1) * PER_SLAB);
        fill = Arrays.copyOf(fill, (s + 1) * PER_SLAB);
        return true;
    }
}
