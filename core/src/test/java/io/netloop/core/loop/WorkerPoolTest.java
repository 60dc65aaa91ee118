package io.netloop.core.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.testing.Clients;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WorkerPoolTest {

    /**
     * A task refused by the full queue waits in the overflow; none may be left there with every
     * worker idle. The race that once did it, made certain: the thread handing an overflowed task to a full queue is
     * held, right after the refusal, until the busy worker has finished and the queue emptied
     * (as a busy scheduler may hold it). The task must still run.
     */
    @Test
    void aTaskRefusedWhileTheLastWorkerFinishesIsNotStranded() throws Exception {
        CountDownLatch blocker = new CountDownLatch(1);
        CountDownLatch third = new CountDownLatch(1);
        StallingPool executor = new StallingPool();
        try (WorkerPool pool = new WorkerPool(executor)) {
            CountDownLatch running = new CountDownLatch(1);
            pool.execute(() -> {
                running.countDown();
                try {
                    blocker.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            running.await();
            pool.execute(() -> {}); // fills the queue of one
            // The third is refused on its first try and again when handed over from the overflow:
            // there the worker is let go, as if the scheduler had taken the handing thread's core.
            executor.stallOnRefusal(executor.refusals() + 2, blocker::countDown);
            pool.execute(third::countDown);
            assertThat(third.await(10, TimeUnit.SECONDS))
                    .as("the third task ran")
                    .isTrue();
        }
    }

    /** One worker, a queue of one; its refusal number N can stall until the pool is idle. */
    private static final class StallingPool extends ThreadPoolExecutor {
        private final AtomicInteger refusals = new AtomicInteger();
        private volatile int stallAt = -1;
        private volatile Runnable onStall;

        StallingPool() {
            super(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1));
        }

        void stallOnRefusal(int n, Runnable action) {
            onStall = action;
            stallAt = n;
        }

        int refusals() {
            return refusals.get();
        }

        @Override
        public void execute(Runnable command) {
            try {
                super.execute(command);
            } catch (RejectedExecutionException refused) {
                if (refusals.incrementAndGet() == stallAt) {
                    onStall.run();
                    // Until the worker is idle and the queue empty, or a second (a worker that
                    // waits for this thread cannot get idle).
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                    while ((getActiveCount() > 0 || !getQueue().isEmpty()) && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                }
                throw refused;
            }
        }
    }

    @Test
    void aFullQueueMakesTasksWaitInOrderOfArrivalRatherThanBeRejected() throws Exception {
        List<Integer> order = new CopyOnWriteArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        try (WorkerPool pool = new WorkerPool(1, 1)) {
            pool.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (int i = 0; i < 10; i++) {
                int n = i;
                pool.execute(() -> order.add(n));
            }
            assertThat(pool.queueDepth()).isEqualTo(10); // one in the queue, nine in the overflow
            release.countDown();
            Clients.await(Duration.ofSeconds(10), "ten tasks run", () -> order.size() == 10);
            assertThat(order).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        }
    }
}
