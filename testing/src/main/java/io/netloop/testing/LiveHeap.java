package io.netloop.testing;

import java.lang.management.ManagementFactory;

/**
 * The live heap: what is used right after full collections, for tests that bound the memory
 * each connection keeps. The least of three readings, 100 ms apart, so that a collection that
 * left something for the next one does not count.
 *
 * <p>Threading: any thread; it blocks for the collections.
 */
public final class LiveHeap {
    private LiveHeap() {}

    /** Bytes of heap in use after a full collection, the least of three. */
    public static long bytes() throws InterruptedException {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            least = Math.min(
                    least,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }
}
