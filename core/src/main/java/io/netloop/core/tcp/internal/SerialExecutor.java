package io.netloop.core.tcp.internal;

import io.netloop.core.loop.FailureRule;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one connection's handler calls on another executor one at a time, in order: never
 * two at once, whichever threads they land on.
 *
 * <p>Threading: {@link #execute} from any thread.
 */
public final class SerialExecutor implements Executor {
    private final Executor executor;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final Runnable drain = this::drain;

    public SerialExecutor(Executor executor) {
        this.executor = executor;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (running.compareAndSet(false, true)) {
            try {
                executor.execute(drain);
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                // The pool is shutting down: run here rather than lose the calls (onClose above all).
                drain();
            }
        }
    }

    private void drain() {
        for (; ; ) {
            Runnable r;
            while ((r = tasks.poll()) != null) {
                try {
                    r.run();
                } catch (Throwable t) {
                    // The tasks handle their own failures; this keeps one escaping from wedging the queue.
                    FailureRule.survive(t, "a handler task");
                    FailureRule.report("a handler task", t);
                }
            }
            running.set(false);
            // A task added after the poll above but before the flag cleared must not be stranded.
            if (tasks.isEmpty() || !running.compareAndSet(false, true)) return;
        }
    }
}
