package io.netloop.core.loop;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.buffer.BufferPool;
import io.netloop.core.transport.Interest;
import io.netloop.core.transport.Poller;
import io.netloop.core.transport.Selectable;
import io.netloop.core.transport.Transport;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * One thread that waits on a {@link Poller}, dispatches ready channels, runs due
 * {@link Timer}s and runs tasks handed to it by other threads: the reactor.
 *
 * <p>One loop per thread, and everything registered with a loop is touched only by that
 * thread: {@link #assertInLoop} says so in code. Other threads go through {@link #execute},
 * which queues the task and wakes the poller (an eventfd on epoll) only when the loop may be
 * asleep, so wake-ups are neither lost nor wasted. The wait's timeout is the nearest timer's
 * deadline, so an idle loop sleeps and a busy one never spins.
 *
 * <p>{@link #shutdown} (any thread) stops the loop; before its thread ends, the loop closes
 * everything it owns (connections, listeners) and then its poller, releasing every
 * descriptor and all native memory.
 *
 * <p>Threading: {@link #execute}, {@link #schedule}, {@link #scheduleAtFixedRate},
 * {@link #shutdown}, {@link #awaitTermination} and the getters from any thread; the rest on
 * the loop thread.
 */
public final class EventLoop implements Executor, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());
    private static final AtomicInteger IDS = new AtomicInteger();

    private static final int RUNNING = 0, STOPPING = 1, TERMINATED = 2;

    private final String name;
    private final Transport transport;
    private final Poller poller;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Runnable> later = new ArrayDeque<>();
    private final Queue<Timer> incomingTimers = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final Set<AutoCloseable> owned = Collections.newSetFromMap(new IdentityHashMap<>());
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private final TimingWheel wheel;
    private final LoopStats stats = new LoopStats();
    /** Storage for the partial input and unsent output of this loop's connections, lent while they have such bytes. */
    private final BufferPool bufferPool = new BufferPool(SLAB_SIZE, MAX_POOLED_SLABS);
    /** Where connections read into when they hold no input: the bytes left over after the handler are copied out. */
    private final byte[] readArray = new byte[READ_ARRAY_SIZE];

    private final Poller.Sink dispatcher = this::dispatch;
    private final LongSupplier clock = this::nowNanos;
    // The channels registered with the poller, by slot; a token is (generation << 32 | slot), so
    // a report for a channel removed earlier in the same batch, whose slot a new channel may
    // already have, is recognised as stale and dropped.
    private Channel[] channels = new Channel[64];
    private int[] freeSlots = new int[64];
    private int freeCount;
    private int nextSlot;
    private int generation;
    private int channelCount;
    private long timerSequence;
    private long now = System.nanoTime();

    /** Slabs of {@link #bufferPool()}: a read chunk's worth. */
    public static final int SLAB_SIZE = 16 * 1024;

    /** Slabs a loop keeps for reuse: 1 MiB. */
    public static final int MAX_POOLED_SLABS = 64;

    /** The loop's read array: one default read budget. */
    public static final int READ_ARRAY_SIZE = 64 * 1024;

    /** Resolution of {@link #wheel()}: idle timeouts fire at most this late. */
    public static final long WHEEL_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Starts a loop on a new platform thread named {@code netloop-<name>}. */
    public EventLoop(String name, Transport transport) throws IOException {
        this.name = name;
        this.transport = transport;
        this.poller = transport.newPoller();
        this.wheel = new TimingWheel(WHEEL_TICK_NANOS, 512, now);
        this.thread = Thread.ofPlatform().name("netloop-" + name).unstarted(this::run);
        thread.start();
    }

    /** A loop on the transport {@code io} resolves to, with a generated name. */
    public static EventLoop open(IoMode io) throws IOException {
        return new EventLoop("loop-" + IDS.incrementAndGet(), io.transport());
    }

    public String name() {
        return name;
    }

    public Transport transport() {
        return transport;
    }

    Poller poller() {
        return poller;
    }

    /** Gives {@code ch} a slot and a token and registers it with the poller. Loop thread. */
    void register(Channel ch) throws IOException {
        int slot = freeCount > 0 ? freeSlots[--freeCount] : nextSlot++;
        if (slot >= channels.length) channels = Arrays.copyOf(channels, channels.length * 2);
        long token = ((long) ++generation << 32) | slot;
        try {
            poller.register(ch.source, token, ch.interest, ch.pollerFlags());
        } catch (IOException | RuntimeException e) {
            releaseSlot(slot);
            throw e;
        }
        channels[slot] = ch;
        ch.token = token;
        ch.registered = true;
        channelCount++;
    }

    void deregister(Channel ch, boolean closing) {
        int slot = (int) ch.token;
        if (channels[slot] == ch) {
            channels[slot] = null;
            releaseSlot(slot);
            channelCount--;
        }
        poller.deregister(ch.source, closing);
    }

    private void releaseSlot(int slot) {
        if (freeCount == freeSlots.length) freeSlots = Arrays.copyOf(freeSlots, freeSlots.length * 2);
        freeSlots[freeCount++] = slot;
    }

    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Fails fast when called from another thread: the threading rule as code. */
    public void assertInLoop() {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException(
                    "called on " + Thread.currentThread().getName() + " but owned by " + thread.getName()
                            + ": use loop.execute(...)");
        }
    }

    public boolean isShutdown() {
        return state.get() != RUNNING;
    }

    public boolean isTerminated() {
        return state.get() == TERMINATED;
    }

    // --- tasks ---------------------------------------------------------------------------

    /** Runs {@code task} on the loop thread, after what is already queued. Any thread. */
    @Override
    public void execute(Runnable task) {
        if (state.get() == TERMINATED) throw new RejectedExecutionException("event loop " + name + " has terminated");
        tasks.offer(task);
        if (state.get() == TERMINATED && tasks.remove(task)) {
            // Terminated between the check and the offer, after the last drain: say so rather than lose it.
            throw new RejectedExecutionException("event loop " + name + " has terminated");
        }
        if (Thread.currentThread() != thread && sleeping.getAndSet(false)) poller.wakeup();
    }

    /** Runs now when on the loop thread, otherwise as {@link #execute}. */
    public void runInLoop(Runnable task) {
        if (inLoop()) task.run();
        else execute(task);
    }

    /**
     * Runs {@code task} on this loop after the current batch of events, before the next wait
     * (which will not block). For work cut short to be fair to others, such as an
     * edge-triggered read that hit its byte budget. Loop thread only.
     */
    public void runLater(Runnable task) {
        assertInLoop();
        later.add(task);
    }

    // --- timers --------------------------------------------------------------------------

    public Timer schedule(Runnable task, long delay, TimeUnit unit) {
        return addTimer(task, unit.toNanos(Math.max(0, delay)), 0);
    }

    public Timer schedule(Runnable task, Duration delay) {
        return schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Runs at {@code initialDelay}, then every {@code period}; a late run does not pile up runs. */
    public Timer scheduleAtFixedRate(Runnable task, long initialDelay, long period, TimeUnit unit) {
        if (period <= 0) throw new IllegalArgumentException("period must be positive: " + period);
        return addTimer(task, unit.toNanos(Math.max(0, initialDelay)), unit.toNanos(period));
    }

    /** Same as {@link Timer#cancel()}. */
    public void cancel(Timer timer) {
        timer.cancel();
    }

    private Timer addTimer(Runnable task, long delayNanos, long periodNanos) {
        Timer t = new Timer(task, System.nanoTime() + delayNanos, periodNanos);
        if (inLoop()) {
            enqueueTimer(t);
        } else {
            incomingTimers.offer(t);
            execute(NOOP); // wakes the loop so that it recomputes its timeout
        }
        return t;
    }

    private void enqueueTimer(Timer t) {
        t.sequence = timerSequence++;
        timers.add(t);
    }

    private static final Runnable NOOP = () -> {};

    /**
     * The loop's timing wheel, for the many short timeouts of connections (idle, header
     * read): O(1) to add and cancel, at most one {@link #WHEEL_TICK_NANOS} late. Loop thread.
     */
    public TimingWheel wheel() {
        assertInLoop();
        return wheel;
    }

    /** Storage this loop's connections borrow while they hold partial input or unsent output. Loop thread. */
    public BufferPool bufferPool() {
        return bufferPool;
    }

    /**
     * The array a connection with no pending input reads into ({@link Buffer#lend}); what the
     * handler leaves of it is copied out before the next connection reads. Loop thread.
     */
    public byte[] readArray() {
        return readArray;
    }

    /** {@link #nowNanos} as a supplier, one per loop: for parts that take a clock (and, in tests, a fake one). */
    public LongSupplier clock() {
        return clock;
    }

    /** {@link System#nanoTime()} as of the last wake-up: free to read on the hot path. Loop thread. */
    public long nowNanos() {
        return now;
    }

    /** The loop's counters (written by the loop thread; a reader elsewhere may see them a little stale). */
    public LoopStats stats() {
        return stats;
    }

    // --- the loop ------------------------------------------------------------------------

    private void run() {
        try {
            while (state.get() == RUNNING) {
                int timeout = pollTimeout();
                if (timeout != 0) {
                    sleeping.set(true);
                    // A task queued after the check above saw sleeping == true and signals the poller.
                    if (!tasks.isEmpty()) timeout = 0;
                }
                int events = 0;
                // One clock read per wake-up: the time since the last one was work, the loop's load.
                stats.busyNanos += System.nanoTime() - now;
                try {
                    events = poller.poll(timeout, dispatcher);
                } catch (IOException e) {
                    reportFailure("polling with " + poller.name(), e);
                    pauseAfterPollFailure();
                }
                sleeping.set(false);
                stats.wakeups++;
                stats.events += events;
                now = System.nanoTime();
                stats.timersFired += wheel.advance(now);
                runTimers();
                runLaterTasks();
                runTasks();
            }
        } catch (Throwable t) {
            FailureRule.survive(t, "event loop " + name);
            LOG.log(System.Logger.Level.ERROR, "event loop " + name + " stopped by an unexpected error", t);
        } finally {
            closeEverything();
        }
    }

    /** Milliseconds to wait: 0 when work is ready, -1 with no timers, else up to the nearest deadline. */
    private int pollTimeout() {
        if (!later.isEmpty() || !tasks.isEmpty()) return 0;
        drainIncomingTimers();
        Timer next = nextLiveTimer();
        long current = System.nanoTime();
        long nanos = next == null ? -1 : next.deadlineNanos - current;
        long wheelNanos = wheel.nanosToNextTick(current);
        if (wheelNanos >= 0 && (nanos < 0 || wheelNanos < nanos)) nanos = wheelNanos;
        if (next == null && wheelNanos < 0) return -1;
        if (nanos <= 0) return 0;
        // Round up: waking a little late is fine, waking early would spin until the deadline.
        long millis = (nanos + 999_999) / 1_000_000;
        return (int) Math.min(millis, Integer.MAX_VALUE);
    }

    private Timer nextLiveTimer() {
        Timer t;
        while ((t = timers.peek()) != null && t.isCancelled()) timers.poll();
        return t;
    }

    private void drainIncomingTimers() {
        Timer t;
        while ((t = incomingTimers.poll()) != null) enqueueTimer(t);
    }

    private void runTimers() {
        drainIncomingTimers();
        long now = this.now; // read just before, at the wake-up
        Timer t;
        while ((t = timers.peek()) != null && t.deadlineNanos - now <= 0) {
            timers.poll();
            Runnable task = t.task();
            if (task == null) continue; // cancelled
            stats.timersFired++;
            safely(task, "timer");
            if (t.isPeriodic() && !t.isCancelled()) {
                // Next slot after now: a loop that fell behind skips runs instead of bursting them.
                long next = t.deadlineNanos + t.periodNanos;
                if (next - now <= 0) next = now + t.periodNanos - Math.floorMod(now - t.deadlineNanos, t.periodNanos);
                t.deadlineNanos = next;
                enqueueTimer(t);
            }
        }
    }

    private void runLaterTasks() {
        // Only those queued before this pass: a task that queues itself again waits for the next poll.
        for (int n = later.size(); n > 0; n--) {
            stats.tasks++;
            safely(later.poll(), "deferred task");
        }
    }

    private void runTasks() {
        Runnable r;
        // Bounded, so a flood of tasks from other threads cannot starve the sockets.
        for (int n = 0; n < 4096 && (r = tasks.poll()) != null; n++) {
            stats.tasks++;
            safely(r, "task");
        }
    }

    private void safely(Runnable r, String what) {
        try {
            r.run();
        } catch (Throwable t) {
            FailureRule.survive(t, what + " " + r + " on " + name);
            reportFailure(what + " " + r, t);
        }
    }

    /** Called by the poller for each report: a stale token is dropped, a failing handler never stops the loop. */
    private void dispatch(long token, int readyOps) {
        int slot = (int) token;
        Channel ch = slot < channels.length ? channels[slot] : null;
        if (ch == null || ch.token != token) return; // removed earlier in this batch
        try {
            ch.handler.onReady(readyOps);
        } catch (Throwable t) {
            FailureRule.survive(t, "handling " + Interest.toString(readyOps) + " on " + ch);
            reportFailure("handling " + Interest.toString(readyOps) + " on " + ch, t);
        }
    }

    /** Logs a failure that ended what it concerned, once, with its stack (see {@link FailureRule}). Any thread. */
    public void reportFailure(String what, Throwable t) {
        FailureRule.report("[" + name + "] " + what, t);
    }

    private void pauseAfterPollFailure() {
        // epoll_wait only fails for a broken descriptor or memory; back off instead of spinning.
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // --- ownership and shutdown ----------------------------------------------------------

    /** Registers something to close when the loop stops. Loop thread only. */
    public void own(AutoCloseable resource) {
        assertInLoop();
        owned.add(resource);
    }

    /** Forgets a resource closed by other means. Loop thread only. */
    public void disown(AutoCloseable resource) {
        assertInLoop();
        owned.remove(resource);
    }

    /** Channels registered with this loop's poller, for statistics. Loop thread only. */
    public int channelCount() {
        return channelCount;
    }

    public Channel newChannel(Selectable source, IoHandler handler) {
        return new Channel(this, source, handler, transport.edgeTriggered());
    }

    /** Asks the loop to stop; returns at once. Any thread; idempotent. */
    public void shutdown() {
        if (state.compareAndSet(RUNNING, STOPPING)) {
            if (!inLoop()) {
                sleeping.set(false);
                poller.wakeup();
            }
        }
    }

    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** {@link #shutdown}, then waits for the loop to finish (from its own thread: only shuts down). */
    @Override
    public void close() {
        shutdown();
        if (inLoop()) return;
        try {
            if (!awaitTermination(Duration.ofSeconds(30))) {
                LOG.log(System.Logger.Level.WARNING, "event loop " + name + " did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeEverything() {
        state.set(STOPPING);
        try {
            runTasks();
            for (int round = 0; round < 3 && !owned.isEmpty(); round++) {
                List<AutoCloseable> snapshot = new ArrayList<>(owned);
                owned.clear();
                for (AutoCloseable c : snapshot) {
                    try {
                        c.close();
                    } catch (Throwable t) {
                        reportFailure("closing " + c + " at shutdown", t);
                    }
                }
                runLaterTasks();
                runTasks();
            }
            timers.clear();
            incomingTimers.clear();
        } finally {
            try {
                poller.close();
            } catch (Throwable t) {
                reportFailure("closing " + poller.name(), t);
            } finally {
                state.set(TERMINATED);
                // Tasks queued after the last drain but before TERMINATED was visible: run them
                // (they find everything closed and fail or close what they hold) rather than drop them.
                Runnable r;
                while ((r = tasks.poll()) != null) safely(r, "task after stop");
                terminated.countDown();
            }
        }
    }

    @Override
    public String toString() {
        return "EventLoop[" + name + ", " + poller.name() + "]";
    }
}
