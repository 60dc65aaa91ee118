package io.netloop.testing;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Optional;

/**
 * Bytes a loop thread allocates, from the JVM's per-thread counter
 * ({@code com.sun.management.ThreadMXBean.getThreadAllocatedBytes}): what a test drives
 * through a server in process, divided by the requests, is the garbage each one costs.
 * Counts every allocation of that thread, sampled or not, with no agent.
 *
 * <p>Threading: any thread; the loop keeps running while it is read.
 */
public final class LoopAllocations {
    private final Thread thread;

    private LoopAllocations(Thread thread) {
        this.thread = thread;
    }

    /** The live thread whose name starts with {@code prefix} (a loop's: {@code netloop-loop-}); fails when not exactly one. */
    public static LoopAllocations ofThread(String prefix) {
        Thread[] all = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix))
                .toArray(Thread[]::new);
        if (all.length != 1) {
            throw new IllegalStateException("expected one thread named " + prefix + "*, found " + Arrays.toString(all));
        }
        return new LoopAllocations(all[0]);
    }

    /** Bytes allocated by the thread since it started. */
    public long bytes() {
        long b = mx().getThreadAllocatedBytes(thread.threadId());
        if (b < 0) throw new IllegalStateException("this JVM does not count allocated bytes per thread");
        return b;
    }

    public Thread thread() {
        return thread;
    }

    private static com.sun.management.ThreadMXBean mx() {
        return Optional.of(ManagementFactory.getThreadMXBean())
                .map(com.sun.management.ThreadMXBean.class::cast)
                .orElseThrow();
    }
}
