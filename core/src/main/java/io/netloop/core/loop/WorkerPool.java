package io.netloop.core.loop;

import java.util.ArrayDeque;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded pool of platform threads for handlers off the loop ({@code HandlerMode.WORKERS}): a fixed number of
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
    /** Tasks that did not fit the queue, oldest first. Guarded by itself. */
    private final ArrayDeque<Runnable> overflow = new ArrayDeque<>();
    /** The overflow's size, readable without the lock: a finishing worker looks only when above 0. */
    private final AtomicInteger overflowSize = new AtomicInteger();

    public WorkerPool(int threads, int queueCapacity) {
        this(newPool(threads, queueCapacity));
    }

    /** Over a given pool: tests use one that stalls where a busy scheduler could. */
    WorkerPool(ThreadPoolExecutor pool) {
        this.pool = pool;
    }

    private static ThreadPoolExecutor newPool(int threads, int queueCapacity) {
        if (threads <= 0) throw new IllegalArgumentException("threads must be positive: " + threads);
        AtomicInteger ids = new AtomicInteger();
        return new ThreadPoolExecutor(
                threads,
                threads,
                0,
                TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(Math.max(1, queueCapacity)),
                r -> Thread.ofPlatform()
                        .name("netloop-worker-" + ids.incrementAndGet())
                        .unstarted(r));
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
            return;
        } catch (RejectedExecutionException full) {
            if (pool.isShutdown()) throw full;
        }
        synchronized (overflow) {
            overflow.addLast(wrapped);
            overflowSize.incrementAndGet();
        }
        drainOverflow(); // a worker may have made room since
    }

    /**
     * Hands the overflow to the pool while the queue takes it. A rejection here means the queue
     * is full, so a queued task has yet to run, and its own drain will come after this one and
     * find the task counted: under the lock, no worker can look at the overflow while a task is
     * out of it and being tried, see nothing, and go idle for good (which stranded a task, and
     * the connection waiting for it, before this lock).
     */
    private void drainOverflow() {
        if (overflowSize.get() == 0) return; // the common case takes no lock
        synchronized (overflow) {
            Runnable next;
            while ((next = overflow.peekFirst()) != null) {
                try {
                    pool.execute(next);
                } catch (RejectedExecutionException stillFull) {
                    return; // the next finishing worker retries; at shutdown nothing will
                }
                overflow.pollFirst();
                overflowSize.decrementAndGet();
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
