package io.netloop.core.loop;

/**
 * A hashed timing wheel (Varghese and Lauck): timeouts in O(1) to add and to cancel, and
 * O(1) amortised per tick to expire, for the many short timeouts of connections (idle,
 * header read) that a heap would make O(log n) each.
 *
 * <pre>
 *  slot:  0    1    2   ...  n-1        a timeout lands in slot (deadlineTick mod n) with
 *        [ ]->[t]->[ ] ...  [t,t]       the number of whole turns still to wait; each tick
 *              ^ cursor                  visits one slot and fires what has no turns left
 * </pre>
 *
 * A timeout fires on the first tick at or after its deadline: never early, and at most one
 * tick late (plus however long the loop was busy).
 *
 * <p>Threading: confined to its loop's thread; not thread-safe.
 */
public final class TimingWheel {
    private final long tickNanos;
    private final Timeout[] slots; // each the head of a doubly-linked list
    private final int mask;
    private long currentTick; // the tick whose slot is processed next
    private final long startNanos;
    private int size;
    /** Timeouts due in the slot being advanced: unlinked first, run after, so callbacks may cancel anything. */
    private Timeout[] due = new Timeout[16];

    /**
     * @param tickNanos resolution
     * @param slotCount rounded up to a power of two; more slots, fewer turns per timeout
     */
    public TimingWheel(long tickNanos, int slotCount, long nowNanos) {
        if (tickNanos <= 0) throw new IllegalArgumentException("tick must be positive");
        int n = Integer.highestOneBit(Math.max(1, slotCount - 1)) << 1;
        this.tickNanos = tickNanos;
        this.slots = new Timeout[n];
        this.mask = n - 1;
        this.startNanos = nowNanos;
    }

    public long tickNanos() {
        return tickNanos;
    }

    public int size() {
        return size;
    }

    /** Schedules {@code task} to run {@code delayNanos} from {@code nowNanos}. */
    public Timeout schedule(Runnable task, long delayNanos, long nowNanos) {
        Timeout t = new Timeout(this, task);
        insert(t, nowNanos + Math.max(0, delayNanos));
        return t;
    }

    /** Moves an existing timeout (cancelled or fired or pending) to a new deadline, reusing it. */
    public void reschedule(Timeout t, long delayNanos, long nowNanos) {
        if (t.wheel != this) throw new IllegalArgumentException("timeout of another wheel");
        if (t.isPending()) unlink(t);
        t.cancelled = false;
        insert(t, nowNanos + Math.max(0, delayNanos));
    }

    private void insert(Timeout t, long deadlineNanos) {
        // Ceiling: the first tick boundary at or after the deadline, so nothing fires early.
        long deadlineTick = Math.ceilDiv(deadlineNanos - startNanos, tickNanos);
        if (deadlineTick < currentTick) deadlineTick = currentTick;
        t.deadlineNanos = deadlineNanos;
        t.remainingTurns = (deadlineTick - currentTick) / slots.length;
        int slot = (int) (deadlineTick & mask);
        t.slot = slot;
        t.next = slots[slot];
        t.prev = null;
        if (t.next != null) t.next.prev = t;
        slots[slot] = t;
        size++;
    }

    private void unlink(Timeout t) {
        if (t.prev != null) t.prev.next = t.next;
        else slots[t.slot] = t.next;
        if (t.next != null) t.next.prev = t.prev;
        t.prev = t.next = null;
        t.slot = -1;
        size--;
    }

    /**
     * Fires every timeout whose tick has passed by {@code nowNanos}.
     *
     * @return how many fired
     */
    public int advance(long nowNanos) {
        long lastTick = Math.floorDiv(nowNanos - startNanos, tickNanos);
        int fired = 0;
        while (currentTick <= lastTick) {
            if (size == 0) {
                currentTick = lastTick + 1; // nothing to visit: jump
                break;
            }
            int slot = (int) (currentTick & mask);
            int n = 0;
            for (Timeout t = slots[slot], next; t != null; t = next) {
                next = t.next;
                if (t.remainingTurns > 0) {
                    t.remainingTurns--;
                } else {
                    unlink(t);
                    if (n == due.length) due = java.util.Arrays.copyOf(due, n * 2);
                    due[n++] = t;
                }
            }
            currentTick++;
            for (int i = 0; i < n; i++) {
                Timeout t = due[i];
                due[i] = null;
                // An earlier callback of this batch may have cancelled or rescheduled it.
                if (t.cancelled || t.isPending()) continue;
                try {
                    t.task.run();
                } catch (Throwable e) {
                    // The one failure rule: a timeout's failure ends what it concerned, never the loop.
                    FailureRule.survive(e, "timeout " + t.task);
                    FailureRule.report("timeout " + t.task, e);
                }
                fired++;
            }
        }
        return fired;
    }

    /** Nanoseconds from {@code nowNanos} to the next tick worth waking for, or -1 when empty. */
    public long nanosToNextTick(long nowNanos) {
        if (size == 0) return -1;
        long next = startNanos + currentTick * tickNanos;
        return Math.max(0, next - nowNanos);
    }

    /**
     * One scheduled task of a {@link TimingWheel}. Threading: the wheel's loop thread only.
     */
    public static final class Timeout {
        private final TimingWheel wheel;
        private final Runnable task;
        Timeout prev;
        Timeout next;
        int slot = -1;
        long remainingTurns;
        long deadlineNanos;
        boolean cancelled;

        Timeout(TimingWheel wheel, Runnable task) {
            this.wheel = wheel;
            this.task = task;
        }

        /** Removes it from the wheel in O(1): it will not fire. */
        public void cancel() {
            cancelled = true;
            if (isPending()) wheel.unlink(this);
        }

        public boolean isPending() {
            return slot >= 0;
        }

        public boolean isCancelled() {
            return cancelled;
        }

        public long deadlineNanos() {
            return deadlineNanos;
        }
    }
}
