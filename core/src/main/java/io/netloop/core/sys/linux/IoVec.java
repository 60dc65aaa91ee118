package io.netloop.core.sys.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A native array of {@code struct iovec { void *iov_base; size_t iov_len; }} (16 bytes each
 * on 64-bit Linux) for {@link Net#readv} and {@link Net#writev}. The segments it points at
 * must be native and outlive the call.
 *
 * <p>Threading: confined to the thread that uses it; memory owned by the given arena.
 */
public final class IoVec {
    public static final int SIZE = 16;
    private final MemorySegment array;
    private final int capacity;
    private int count;

    public IoVec(Arena arena, int capacity) {
        this.array = arena.allocate((long) SIZE * capacity, 8);
        this.capacity = capacity;
    }

    public IoVec clear() {
        count = 0;
        return this;
    }

    public IoVec add(MemorySegment segment) {
        if (count == capacity) throw new IllegalStateException("iovec full (" + capacity + ")");
        if (!segment.isNative()) throw new IllegalArgumentException("an iovec can only point at native memory");
        array.set(ValueLayout.ADDRESS, (long) count * SIZE, segment);
        array.set(ValueLayout.JAVA_LONG, (long) count * SIZE + 8, segment.byteSize());
        count++;
        return this;
    }

    public MemorySegment array() {
        return array;
    }

    public int count() {
        return count;
    }
}
