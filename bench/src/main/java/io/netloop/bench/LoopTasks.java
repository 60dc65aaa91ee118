package io.netloop.bench;

import io.netloop.core.loop.EventLoop;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * How the load generators' main threads talk to their client loop: run a task there and
 * wait for its result, and stop the loop at the end.
 *
 * <p>Threading: called from a thread other than the loop's (a task waiting for itself on
 * the loop thread would dead-lock until the timeout).
 */
final class LoopTasks {
    private LoopTasks() {}

    /** Runs {@code task} on the loop thread and waits up to 30 s for its result. */
    static <T> T call(EventLoop loop, Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }

    /**
     * Stops the loop from its own thread, a little later. Why not {@code loop.close()}: with
     * the core of 2026-11-23 (ccddde2), the wake-up that {@code shutdown()} sends from another
     * thread raced with the loop freeing the eventfd's arena, and the loop then never reported
     * termination. The core now serialises the two (EpollPoller's wakeupLock); this way stays
     * because it is correct on either core. A timer set on the loop thread sends no wake-up,
     * and the delay lets this thread finish the wake-up of the task that set it.
     */
    static void stop(EventLoop loop, String who) throws InterruptedException {
        loop.execute(() -> loop.schedule(loop::shutdown, 100, TimeUnit.MILLISECONDS));
        if (!loop.awaitTermination(Duration.ofSeconds(5))) {
            System.err.println(who + ": warning: the client loop did not stop within 5 s");
        }
    }
}
