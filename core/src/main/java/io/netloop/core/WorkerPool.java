package io.netloop.core;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded pool of platform threads for {@link HandlerMode#WORKERS}: a fixed number of
 * threads and a bounded queue.
 *
 * <p>When the queue is full, a task waits in an overflow list that the workers drain as they
 * finish, instead of being rejected: a connection whose task waits stays disarmed, so
 * reading from it pauses, and nothing is dropped. Each connection has at most one task
 * outstanding (it is disarmed until its task is done), so the overflow is bounded by the
 * number of connections, never by the peers' sending rate.
 *
 * <p>Threading: {@link #execute} from any thread.
 */
public final class WorkerPool implements Executor, AutoCloseable {
    private final ThreadPoolExecutor pool;
    private final ConcurrentLinkedDeque<Runnable> overflow = new ConcurrentLinkedDeque<>();
    private final AtomicInteger overflowSize = new AtomicInteger();

    public WorkerPool(int threads, int queueCapacity) {
        if (threads <= 0) throw new IllegalArgumentException("threads must be positive: " + threads);
        AtomicInteger ids = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(Math.max(1, queueCapacity)),
                r -> Thread.ofPlatform().name("netloop-worker-" + ids.incrementAndGet()).unstarted(r));
    }

    @Override
    public void execute(Runnable task) {
        Runnable wrapped = () -> {
            try {
                task.run();
            } finally {
                drainOverflow();
            }
        };
        try {
            pool.execute(wrapped);
        } catch (RejectedExecutionException full) {
            if (pool.isShutdown()) throw full;
            overflow.addLast(wrapped);
            overflowSize.incrementAndGet();
            drainOverflow(); // a worker may have finished between the two lines above
        }
    }

    private void drainOverflow() {
        Runnable next;
        while ((next = overflow.pollFirst()) != null) {
            try {
                pool.execute(next);
                overflowSize.decrementAndGet();
            } catch (RejectedExecutionException stillFull) {
                overflow.offerFirst(next); // the next finishing worker retries
                return;
            }
        }
    }

    /** Tasks waiting for a worker: the queue plus the overflow. */
    public int queueDepth() {
        return pool.getQueue().size() + overflowSize.get();
    }

    public int activeCount() {
        return pool.getActiveCount();
    }

    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) pool.shutdownNow();
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
