package io.netloop.core.loop;

/**
 * Counters of one {@link EventLoop}: wake-ups, events, tasks, timers, bytes, and the time
 * spent working rather than waiting in the poller (its load).
 *
 * <p>Threading: written only by the loop's thread, through plain fields so that counting
 * costs nothing on the hot path; read from any thread through {@link #snapshot}, which may
 * be slightly stale (a monitoring read, not a synchronisation point).
 */
public final class LoopStats {
    long wakeups;
    long events;
    long tasks;
    long timersFired;
    long bytesIn;
    long bytesOut;
    long writes;
    long busyNanos;

    /** Bytes read and written by a connection on this loop. Loop thread. */
    public void countBytes(long in, long out) {
        bytesIn += in;
        bytesOut += out;
    }

    /** One write system call (write, writev, sendfile) made for a connection on this loop. Loop thread. */
    public void countWrite() {
        writes++;
    }

    /** A copy of the counters. */
    public Snapshot snapshot() {
        return new Snapshot(wakeups, events, tasks, timersFired, bytesIn, bytesOut, busyNanos, writes);
    }

    /**
     * @param wakeups returns from the poller's wait
     * @param events channels dispatched
     * @param tasks tasks run (from other threads and deferred ones)
     * @param timersFired timers and wheel timeouts that ran
     * @param bytesIn bytes read by connections on this loop
     * @param bytesOut bytes written by connections on this loop
     * @param busyNanos time spent between wake-ups and the next wait: dispatching, timers,
     *     tasks (its rate is the loop's load, 1.0 for a loop that never waits)
     * @param writes write system calls made for connections (write, writev, sendfile, including
     *     those the full socket refused): over the requests answered, how well output is batched
     */
    public record Snapshot(
            long wakeups,
            long events,
            long tasks,
            long timersFired,
            long bytesIn,
            long bytesOut,
            long busyNanos,
            long writes) {
        /** Counters without the busy time and the writes. */
        public Snapshot(long wakeups, long events, long tasks, long timersFired, long bytesIn, long bytesOut) {
            this(wakeups, events, tasks, timersFired, bytesIn, bytesOut, 0, 0);
        }

        /** Events per wake-up: how much work each wait bought. */
        public double eventsPerWakeup() {
            return wakeups == 0 ? 0 : (double) events / wakeups;
        }

        public Snapshot plus(Snapshot o) {
            return new Snapshot(
                    wakeups + o.wakeups,
                    events + o.events,
                    tasks + o.tasks,
                    timersFired + o.timersFired,
                    bytesIn + o.bytesIn,
                    bytesOut + o.bytesOut,
                    busyNanos + o.busyNanos,
                    writes + o.writes);
        }
    }
}
