package io.netloop.core;

/**
 * Counters of one {@link EventLoop}: wake-ups, events, tasks, timers, bytes.
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

    /** A copy of the counters. */
    public Snapshot snapshot() {
        return new Snapshot(wakeups, events, tasks, timersFired, bytesIn, bytesOut);
    }

    /**
     * @param wakeups returns from the poller's wait
     * @param events channels dispatched
     * @param tasks tasks run (from other threads and deferred ones)
     * @param timersFired timers and wheel timeouts that ran
     * @param bytesIn bytes read by connections on this loop
     * @param bytesOut bytes written by connections on this loop
     */
    public record Snapshot(long wakeups, long events, long tasks, long timersFired, long bytesIn, long bytesOut) {
        /** Events per wake-up: how much work each wait bought. */
        public double eventsPerWakeup() {
            return wakeups == 0 ? 0 : (double) events / wakeups;
        }

        public Snapshot plus(Snapshot o) {
            return new Snapshot(wakeups + o.wakeups, events + o.events, tasks + o.tasks, timersFired + o.timersFired,
                    bytesIn + o.bytesIn, bytesOut + o.bytesOut);
        }
    }
}
