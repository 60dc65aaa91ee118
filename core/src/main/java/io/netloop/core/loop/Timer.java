package io.netloop.core.loop;

/**
 * A task scheduled on an {@link EventLoop}: once after a delay, or at a fixed rate.
 *
 * <p>Threading: {@link #cancel} from any thread; a timer cancelled before it fires never
 * runs, and a periodic one runs no more once {@code cancel} has returned on the loop thread
 * (from another thread, at most the run already under way completes).
 */
public final class Timer implements Comparable<Timer> {
    /** Dropped on cancel: a cancelled timer waits in the loop's queue until its deadline, and must not keep its task's objects alive that long. */
    private volatile Runnable task;

    final long periodNanos;
    long sequence;
    long deadlineNanos;
    private volatile boolean cancelled;

    Timer(Runnable task, long deadlineNanos, long periodNanos) {
        this.task = task;
        this.deadlineNanos = deadlineNanos;
        this.periodNanos = periodNanos;
    }

    public void cancel() {
        cancelled = true;
        task = null;
    }

    /** The task, or null once cancelled. */
    Runnable task() {
        return task;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    public boolean isPeriodic() {
        return periodNanos > 0;
    }

    @Override
    public int compareTo(Timer o) {
        int c = Long.compare(deadlineNanos - o.deadlineNanos, 0);
        return c != 0 ? c : Long.compare(sequence, o.sequence); // FIFO among equal deadlines
    }
}
