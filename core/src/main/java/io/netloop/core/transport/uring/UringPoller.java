package io.netloop.core.transport.uring;

import io.netloop.core.sys.Errno;
import io.netloop.core.sys.ErrnoException;
import io.netloop.core.sys.linux.BufferRing;
import io.netloop.core.sys.linux.EventFd;
import io.netloop.core.sys.linux.IoUring;
import io.netloop.core.sys.linux.IoUringRing;
import io.netloop.core.transport.Poller;
import io.netloop.core.transport.Selectable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@link Poller} on io_uring: readiness emulated over completions, so that the loop, the
 * connections and everything above them work unchanged. A socket's operations live in the
 * ring (a multishot receive into the loop's provided buffers, its sends, a multishot accept);
 * their completions change the socket's state, and the poller reports what that state makes
 * ready: READ while completed input waits to be read, WRITE while the socket's outbound budget
 * has room, ERROR once an operation failed. Reports are level-triggered: a source that still has
 * something to report after its handler ran is reported again on the next turn.
 *
 * <p>One {@link #poll} is one turn of the loop and one io_uring_enter: the operations the
 * handlers asked for since the last turn (sends staged by {@code write}, receives to arm,
 * cancellations, closes) are put in the ring, submitted, and the same call waits for
 * completions, up to the loop's timeout (the enter's own timeout: the timing wheel's next tick
 * needs no timer operation in the ring). Other threads wake the loop through an eventfd whose
 * read is always armed in the ring.
 *
 * <p>The ring is set up, in this order of preference: single issuer with deferred task running
 * (completions are produced only inside the loop's own io_uring_enter, no interrupts, 6.1),
 * cooperative task running (5.19), or plain; the choice is logged once per process. With single
 * issuer the ring starts disabled and is enabled by the loop thread on its first turn, since
 * the ring is created on the thread that makes the loop.
 *
 * <p>Owns the ring, its descriptor, the eventfd, and one arena with every native byte of the
 * loop's I/O (the ring's mappings, the provided buffers, the send staging); {@link #close}
 * waits for what is still in the kernel, then releases all of it. Threading: the owning loop's
 * thread, but {@link #wakeup} from any.
 */
public final class UringPoller implements Poller {
    private static final System.Logger LOG = System.getLogger(UringPoller.class.getName());
    private static final AtomicBoolean SETUP_LOGGED = new AtomicBoolean();

    /** The wake-up read's user data; never a source's (their slot field is below 2^24 - 1). */
    private static final long WAKE = -1L;
    /** Operations whose completion needs nothing (a cancellation at close). */
    private static final long IGNORE = -2L;

    private static final long CLOSE_GRACE_NANOS = 1_000_000_000L;
    private static final long CLOSE_DEADLINE_NANOS = 3_000_000_000L;

    /** The setups tried in order, and how the log names each. */
    private static final int[] SETUPS = {
        IoUring.SETUP_SINGLE_ISSUER | IoUring.SETUP_DEFER_TASKRUN | IoUring.SETUP_R_DISABLED | IoUring.SETUP_SUBMIT_ALL,
        IoUring.SETUP_COOP_TASKRUN | IoUring.SETUP_TASKRUN_FLAG | IoUring.SETUP_SUBMIT_ALL,
        0
    };

    private static final String[] SETUP_NAMES = {
        "single issuer with deferred task running (IORING_SETUP_SINGLE_ISSUER | DEFER_TASKRUN)",
        "cooperative task running (IORING_SETUP_COOP_TASKRUN)",
        "plain setup (no task-running flags)"
    };

    final Arena arena = Arena.ofShared();
    final IoUringRing ring;
    final UringSettings settings;
    /** The loop's provided buffers for stream receives: buffer group 0. */
    final BufferRing recvBuffers;

    final MemorySegment recvMemory;
    /** Per buffer id: the next buffer of the same socket's input, and its length; see {@link UringStreamSocket}. */
    final int[] bufferNext;

    final int[] bufferLength;
    final SendChunks chunks;
    private final EventFd wakeFd;
    private final MemorySegment wakeCell;
    private final String setupName;
    private boolean wakeArmed;
    private boolean wakeClosed; // guarded by this

    private UringSource[] sources = new UringSource[64];
    private int[] freeSlots = new int[64];
    private int freeCount;
    private int nextSlot;
    private int generations;
    private int bound;

    private UringSource[] ready = new UringSource[64];
    private int readyCount;
    private UringSource[] reporting = new UringSource[64];
    private UringSource[] dirty = new UringSource[64];
    private int dirtyCount;
    private UringSource[] preparing = new UringSource[64];

    private final IdentityHashMap<Selectable, UringPollSource> foreign = new IdentityHashMap<>();
    /** Sockets that wait for a send chunk (the pool is at its bound). */
    private final List<UringStreamSocket> chunkWaiters = new ArrayList<>();
    /** Sockets closed with output still in flight, until it is sent or their linger time passes. */
    private final List<UringStreamSocket> lingering = new ArrayList<>();

    private int nextGroup = 1;
    /**
     * Whether this kernel ends a multishot receive after a byte limit (sqe.optlen, 6.15): then a
     * socket can never take more than its share of the loop's buffers between two turns.
     */
    boolean receiveLimit = true;

    private boolean started;
    private boolean closed;

    // Counters, written by the loop thread (read elsewhere, a little stale).
    private long enters;
    private long completions;
    private long bufferShortages;
    /** Provided buffers holding completed input that no read has taken yet. */
    int buffersHeld;

    UringPoller(UringSettings settings) throws IOException {
        this.settings = settings;
        IoUringRing r = null;
        EventFd w = null;
        try {
            int first = settings.firstSetup();
            int chosen = -1;
            ErrnoException refused = null;
            for (int i = first; i < SETUPS.length && r == null; i++) {
                try {
                    r = IoUringRing.open(settings.entries(), settings.entries() * 4, SETUPS[i], arena);
                    chosen = i;
                } catch (ErrnoException e) {
                    if (e.errno() != Errno.EINVAL) throw e;
                    refused = e; // a flag this kernel does not know: try the next setup
                }
            }
            if (r == null) throw refused;
            this.setupName = SETUP_NAMES[chosen];
            if (SETUP_LOGGED.compareAndSet(false, true)) {
                LOG.log(System.Logger.Level.INFO, "io_uring: " + setupName);
            }
            this.recvBuffers = new BufferRing(arena, settings.buffers(), settings.bufferSize(), 0);
            r.registerBufferRing(recvBuffers.ring(), recvBuffers.entries(), 0);
            this.recvMemory = recvBuffers.buffers();
            this.bufferNext = new int[settings.buffers()];
            this.bufferLength = new int[settings.buffers()];
            this.chunks = new SendChunks(arena, settings.sendChunks());
            w = new EventFd(false);
            this.wakeCell = arena.allocate(8, 8);
        } catch (IOException | RuntimeException e) {
            if (w != null) w.close();
            if (r != null) r.close();
            arena.close();
            throw e;
        }
        this.ring = r;
        this.wakeFd = w;
    }

    /** On the loop thread, before its first submission: the ring becomes this thread's. */
    private void start() throws ErrnoException {
        started = true;
        if ((ring.setupFlags() & IoUring.SETUP_R_DISABLED) != 0) ring.enable();
        ring.registerRingFd();
    }

    // --- registration -----------------------------------------------------------------------

    @Override
    public void register(Selectable source, long token, int interest, int flags) throws IOException {
        if (!started) start();
        UringSource s = source instanceof UringSource u ? u : foreign(source);
        if (s.poller != null && s.poller != this) {
            throw new IllegalStateException(s + " belongs to another loop's io_uring");
        }
        s.token = token;
        s.interest = interest;
        s.pollerFlags = flags;
        s.registered = true;
        s.disarmed = false;
        if (s.poller == null) bind(s);
        s.registrationChanged();
        markReady(s);
    }

    private UringPollSource foreign(Selectable source) throws IOException {
        UringPollSource p = foreign.get(source);
        if (p == null) {
            p = UringPollSource.watch(source.fd());
            foreign.put(source, p);
        }
        return p;
    }

    @Override
    public void update(Selectable source, long token, int interest, int flags) throws IOException {
        UringSource s = source instanceof UringSource u ? u : foreign.get(source);
        if (s == null || s.poller != this) {
            register(source, token, interest, flags);
            return;
        }
        s.token = token;
        s.interest = interest;
        s.pollerFlags = flags;
        s.registered = true;
        s.disarmed = false;
        s.registrationChanged();
        markReady(s);
    }

    @Override
    public void deregister(Selectable source, boolean closing) {
        UringSource s = source instanceof UringSource u ? u : foreign.remove(source);
        if (s == null || s.poller != this) return;
        s.registered = false;
        s.registrationChanged();
    }

    private void bind(UringSource s) {
        int slot = freeCount > 0 ? freeSlots[--freeCount] : nextSlot++;
        if (slot >= sources.length) sources = Arrays.copyOf(sources, sources.length * 2);
        sources[slot] = s;
        s.slot = slot;
        s.generation = ++generations;
        s.poller = this;
        bound++;
        s.bound();
    }

    private void unbind(UringSource s) {
        sources[s.slot] = null;
        if (freeCount == freeSlots.length) freeSlots = Arrays.copyOf(freeSlots, freeSlots.length * 2);
        freeSlots[freeCount++] = s.slot;
        s.slot = -1;
        bound--;
        s.unbound();
        s.poller = null;
    }

    void markReady(UringSource s) {
        if (s.inReadyList) return;
        s.inReadyList = true;
        if (readyCount == ready.length) ready = Arrays.copyOf(ready, readyCount * 2);
        ready[readyCount++] = s;
    }

    void markDirty(UringSource s) {
        if (s.inDirtyList) return;
        s.inDirtyList = true;
        if (dirtyCount == dirty.length) dirty = Arrays.copyOf(dirty, dirtyCount * 2);
        dirty[dirtyCount++] = s;
    }

    /** A buffer group id for a datagram socket's own provided buffers. */
    int newGroup() {
        if (nextGroup > 0xFFFF) throw new IllegalStateException("no buffer group ids left");
        return nextGroup++;
    }

    void waitForChunk(UringStreamSocket s) {
        chunkWaiters.add(s);
    }

    /** Chunks went back to the pool: whoever waited for one may write again. */
    void chunksFreed() {
        if (chunkWaiters.isEmpty()) return;
        for (UringStreamSocket s : chunkWaiters) s.chunkAvailable();
        chunkWaiters.clear();
    }

    void linger(UringStreamSocket s) {
        lingering.add(s);
    }

    void bufferShortage() {
        bufferShortages++;
    }

    // --- the turn -------------------------------------------------------------------------

    @Override
    public int poll(int timeoutMillis, Sink sink) throws IOException {
        if (!started) start();
        prepareDirty();
        if (!lingering.isEmpty()) checkLingering(false);
        if (!wakeArmed && !closed) armWakeup();
        // Something still to report (level-triggered): collect what is done, but do not sleep.
        long timeout = hasReportable() ? 0 : timeoutMillis < 0 ? -1 : timeoutMillis * 1_000_000L;
        enter(timeout);
        reap();
        return report(sink);
    }

    private void enter(long timeoutNanos) throws ErrnoException {
        enters++;
        int r = ring.submitAndWait(timeoutNanos);
        if (r == -Errno.EBUSY || r == -Errno.EAGAIN) {
            // The completion ring is full (overflow pending): make room, then submit again.
            reap();
            ring.submitAndWait(0);
        }
    }

    private boolean hasReportable() {
        for (int i = 0; i < readyCount; i++) {
            if (ready[i].reportable() != 0) return true;
        }
        return false;
    }

    private void prepareDirty() throws ErrnoException {
        // A snapshot: what marks itself again while preparing waits for the next turn.
        UringSource[] batch = dirty;
        int n = dirtyCount;
        dirty = preparing;
        preparing = batch;
        dirtyCount = 0;
        for (int i = 0; i < n; i++) {
            UringSource s = batch[i];
            batch[i] = null;
            s.inDirtyList = false;
            if (s.poller != this) continue;
            s.prepare();
            if (s.finished()) unbind(s);
        }
    }

    private void armWakeup() throws ErrnoException {
        // off -1: the descriptor's own position, as read(2); an eventfd has none to speak of.
        ring.prepare(IoUring.OP_READ, 0, 0, wakeFd.fd(), -1L, wakeCell.address(), 8, 0, WAKE, 0);
        wakeArmed = true;
    }

    private void reap() throws ErrnoException {
        for (; ; ) {
            int n = ring.completions();
            if (n == 0) {
                if (!ring.overflowed()) return;
                ring.submitAndWait(0); // moves the completions that waited in the kernel into the ring
                if (ring.completions() == 0) return;
                continue;
            }
            for (int i = 0; i < n; i++) {
                dispatch(ring.completionUserData(i), ring.completionResult(i), ring.completionFlags(i));
            }
            ring.consume(n);
            completions += n;
        }
    }

    private void dispatch(long userData, int res, int flags) {
        if (userData == WAKE) {
            wakeArmed = false;
            return;
        }
        if (userData == IGNORE) return;
        int op = (int) (userData & 0xFF);
        int slot = (int) ((userData >>> 8) & 0xFFFFFF);
        int generation = (int) (userData >>> 32);
        UringSource s = slot < sources.length ? sources[slot] : null;
        if (s == null || s.generation != generation) {
            stale(op, res, flags);
            return;
        }
        s.complete(op, res, flags);
        if (s.finished()) unbind(s);
    }

    /** A completion for a source that is gone: nothing to tell, but a buffer to give back. */
    private void stale(int op, int res, int flags) {
        if (op == UringSource.OP_RECV && (flags & IoUring.CQE_F_BUFFER) != 0) {
            recvBuffers.recycle(flags >>> IoUring.CQE_BUFFER_SHIFT);
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "io_uring: a late completion (op " + op + ", res " + res + ")");
    }

    private int report(Sink sink) {
        UringSource[] batch = ready;
        int n = readyCount;
        ready = reporting;
        reporting = batch;
        readyCount = 0;
        int reported = 0;
        for (int i = 0; i < n; i++) {
            UringSource s = batch[i];
            batch[i] = null;
            s.inReadyList = false;
            int ops = s.reportable();
            if (ops == 0) continue;
            if (s.oneShot()) s.disarmed = true;
            sink.ready(s.token, ops);
            reported++;
            s.reported();
            // Level-triggered: what is still ready after its handler is reported on the next turn.
            if (s.reportable() != 0) markReady(s);
        }
        return reported;
    }

    private void checkLingering(boolean now) {
        long t = System.nanoTime();
        for (int i = lingering.size() - 1; i >= 0; i--) {
            UringStreamSocket s = lingering.get(i);
            if (!s.isLingering()) {
                lingering.remove(i);
            } else if (now || s.lingerExpired(t)) {
                lingering.remove(i);
                s.abandonOutput();
            }
        }
    }

    // --- wake-up and close --------------------------------------------------------------------

    @Override
    public void wakeup() {
        synchronized (this) {
            if (wakeClosed) return;
            try {
                wakeFd.signal();
            } catch (ErrnoException e) {
                throw new IllegalStateException("cannot wake the loop: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public String name() {
        return "io_uring";
    }

    /**
     * Ends what is still in the kernel, then frees everything: output still in flight gets a
     * second to leave, then every operation is cancelled and its completion awaited, so that no
     * memory the kernel may still write into is freed.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        boolean settled = true;
        try {
            if (started) settled = drain();
        } catch (IOException | RuntimeException e) {
            settled = false;
            LOG.log(System.Logger.Level.WARNING, "io_uring: closing " + ring, e);
        } finally {
            synchronized (this) {
                wakeClosed = true;
            }
            try {
                wakeFd.close();
                ring.close();
            } catch (ErrnoException e) {
                LOG.log(System.Logger.Level.WARNING, "closing " + ring, e);
            }
            if (settled) {
                arena.close();
            } else {
                // The kernel may still hold operations on this memory: better kept than freed under it.
                List<String> left = new ArrayList<>();
                for (UringSource s : sources) if (s != null) left.add(s.describe());
                LOG.log(
                        System.Logger.Level.WARNING,
                        "io_uring: " + bound + " source(s) still had operations in the kernel at close " + left
                                + "; their native memory is left allocated");
            }
        }
    }

    private boolean drain() throws IOException {
        long start = System.nanoTime();
        boolean forced = false;
        while (bound > 0 || wakeArmed) {
            long elapsed = System.nanoTime() - start;
            if (!forced && (elapsed > CLOSE_GRACE_NANOS || lingering.isEmpty())) {
                forced = true;
                checkLingering(true);
                for (UringSource s : sources) {
                    if (s != null) s.closeAtShutdown();
                }
                if (wakeArmed) {
                    // Cancel by user data (sqe.addr holds the one to match).
                    ring.prepare(IoUring.OP_ASYNC_CANCEL, 0, 0, -1, 0, WAKE, 0, 0, IGNORE, 0);
                }
            }
            if (elapsed > CLOSE_DEADLINE_NANOS) return false;
            prepareDirty();
            ring.submitAndWait(50_000_000L);
            reap();
        }
        return true;
    }

    // --- for tests and the lab ---------------------------------------------------------------

    /** The setup the kernel accepted, as the log said it. */
    public String setup() {
        return setupName;
    }

    /** io_uring_enter calls made by {@link #poll} so far. */
    public long enters() {
        return enters;
    }

    /** Completions read so far. */
    public long completions() {
        return completions;
    }

    /** Receives that stopped because every provided buffer was in use (then armed again). */
    public long bufferShortages() {
        return bufferShortages;
    }

    /** Provided buffers holding input not yet read, over every socket: 0 once every socket is read or idle. */
    public int buffersHeld() {
        return buffersHeld;
    }

    /** Send chunks lent out now. */
    public int chunksInUse() {
        return chunks.inUse();
    }

    /** Sources bound now: sockets with a slot, closed ones whose last completions are due included. */
    public int boundSources() {
        return bound;
    }

    /** Whether every native byte is released (after {@link #close}). */
    public boolean released() {
        return !arena.scope().isAlive();
    }

    @Override
    public String toString() {
        return "UringPoller[" + ring + ", " + setupName + ", " + bound + " sources]";
    }
}
