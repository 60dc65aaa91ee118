package io.netloop.core.sys.linux;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import io.netloop.core.sys.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * One io_uring instance: its descriptor, and its submission and completion rings mapped into
 * this process and read and written as memory segments.
 *
 * <pre>
 * submission: [ SQE 0 | SQE 1 | ... ]   we fill entries at our tail, publish the tail (release);
 *             head ---------&gt; tail      the kernel consumes from the head (we read it: acquire)
 * completion: [ CQE 0 | CQE 1 | ... ]   the kernel fills at its tail (we read it: acquire);
 *             head ---------&gt; tail      we consume from the head and publish it (release)
 * </pre>
 * The ordering is the one the kernel documents (io_uring(7)): the stores of an entry's fields
 * happen before the store of the tail that shows it, and the loads of a completion after the
 * load of the tail that showed it; the VarHandles' acquire and release modes say exactly that.
 * The SQ index array (the indirection older kernels need) is filled once with 0..n-1, since
 * entries are used in ring order.
 *
 * <p>Owns the ring's descriptor, closed by {@link #close}; the mappings belong to the arena
 * given to {@link #open}, which must outlive the ring (its owner closes it after
 * {@link #close}). Threading: confined to one thread once started (with
 * {@link IoUring#SETUP_SINGLE_ISSUER}, the thread that called {@link #enable}); the ring may be
 * created on another thread and handed over before that.
 */
public final class IoUringRing implements AutoCloseable {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private static final long SQE_SIZE = IoUring.SQE.byteSize();
    private static final long CQE_SIZE = IoUring.CQE.byteSize();
    private static final long SQE_OPCODE = IoUring.SQE.byteOffset(groupElement("opcode"));
    private static final long SQE_FLAGS = IoUring.SQE.byteOffset(groupElement("flags"));
    private static final long SQE_IOPRIO = IoUring.SQE.byteOffset(groupElement("ioprio"));
    private static final long SQE_FD = IoUring.SQE.byteOffset(groupElement("fd"));
    private static final long SQE_OFF = IoUring.SQE.byteOffset(groupElement("off"));
    private static final long SQE_ADDR = IoUring.SQE.byteOffset(groupElement("addr"));
    private static final long SQE_LEN = IoUring.SQE.byteOffset(groupElement("len"));
    private static final long SQE_OP_FLAGS = IoUring.SQE.byteOffset(groupElement("op_flags"));
    private static final long SQE_USER_DATA = IoUring.SQE.byteOffset(groupElement("user_data"));
    private static final long SQE_BUF_GROUP = IoUring.SQE.byteOffset(groupElement("buf_group"));
    private static final long SQE_PERSONALITY = IoUring.SQE.byteOffset(groupElement("personality"));
    private static final long SQE_FILE_INDEX = IoUring.SQE.byteOffset(groupElement("file_index"));
    private static final long SQE_ADDR3 = IoUring.SQE.byteOffset(groupElement("addr3"));
    private static final long SQE_PAD = IoUring.SQE.byteOffset(groupElement("pad"));
    private static final long CQE_USER_DATA = IoUring.CQE.byteOffset(groupElement("user_data"));
    private static final long CQE_RES = IoUring.CQE.byteOffset(groupElement("res"));
    private static final long CQE_FLAGS = IoUring.CQE.byteOffset(groupElement("flags"));

    private final int fd;
    private final int setupFlags;
    private final int features;
    private final MemorySegment sq;
    private final MemorySegment cq;
    private final MemorySegment sqes;
    private final long sqHead;
    private final long sqTail;
    private final long sqFlags;
    private final long cqHead;
    private final long cqTail;
    private final long cqes;
    private final int sqMask;
    private final int sqEntries;
    private final int cqMask;
    private final int cqEntries;
    /** struct io_uring_getevents_arg, then the struct __kernel_timespec it points at. */
    private final MemorySegment waitArg;

    private final long waitArgAddress;
    /** Small structs for io_uring_register (buf_reg, rsrc_update). */
    private final MemorySegment scratch;

    private int localSqTail;
    private int localCqHead;
    /** What io_uring_enter is given: the descriptor, or the registered ring's index. */
    private int enterFd;

    private int enterFlags;
    private boolean closed;

    private IoUringRing(int fd, MemorySegment params, Arena arena) throws ErrnoException {
        this.fd = fd;
        this.setupFlags = params.get(ValueLayout.JAVA_INT, IoUring.PARAMS.byteOffset(groupElement("flags")));
        this.features = params.get(ValueLayout.JAVA_INT, IoUring.PARAMS.byteOffset(groupElement("features")));
        this.sqEntries = params.get(ValueLayout.JAVA_INT, IoUring.PARAMS.byteOffset(groupElement("sq_entries")));
        this.cqEntries = params.get(ValueLayout.JAVA_INT, IoUring.PARAMS.byteOffset(groupElement("cq_entries")));
        long sqArray = sqOffset(params, "array");
        long sqSize = sqArray + 4L * sqEntries;
        long cqesOffset = cqOffset(params, "cqes");
        long cqSize = cqesOffset + CQE_SIZE * cqEntries;
        if ((features & IoUring.FEAT_SINGLE_MMAP) != 0) {
            // One mapping serves both rings (5.4 on).
            MemorySegment both = IoUring.mapRing(fd, IoUring.OFF_SQ_RING, Math.max(sqSize, cqSize), arena);
            this.sq = both;
            this.cq = both;
        } else {
            this.sq = IoUring.mapRing(fd, IoUring.OFF_SQ_RING, sqSize, arena);
            this.cq = IoUring.mapRing(fd, IoUring.OFF_CQ_RING, cqSize, arena);
        }
        this.sqes = IoUring.mapRing(fd, IoUring.OFF_SQES, SQE_SIZE * sqEntries, arena);
        this.sqHead = sqOffset(params, "head");
        this.sqTail = sqOffset(params, "tail");
        this.sqFlags = sqOffset(params, "flags");
        this.sqMask = sq.get(ValueLayout.JAVA_INT, sqOffset(params, "ring_mask"));
        this.cqHead = cqOffset(params, "head");
        this.cqTail = cqOffset(params, "tail");
        this.cqes = cqesOffset;
        this.cqMask = cq.get(ValueLayout.JAVA_INT, cqOffset(params, "ring_mask"));
        for (int i = 0; i < sqEntries; i++) sq.set(ValueLayout.JAVA_INT, sqArray + 4L * i, i);
        this.localSqTail = (int) INT.getAcquire(sq, sqTail);
        this.localCqHead = (int) INT.getAcquire(cq, cqHead);
        this.waitArg = arena.allocate(IoUring.GETEVENTS_ARG.byteSize() + 16, 8);
        this.waitArgAddress = waitArg.address();
        // ts points at the timespec right behind the argument; no signal mask.
        waitArg.set(
                ValueLayout.JAVA_LONG,
                IoUring.GETEVENTS_ARG.byteOffset(groupElement("ts")),
                waitArgAddress + IoUring.GETEVENTS_ARG.byteSize());
        this.scratch = arena.allocate(64, 8);
        this.enterFd = fd;
    }

    private static long sqOffset(MemorySegment params, String field) {
        return ringOffset(params, "sq_off", field);
    }

    private static long cqOffset(MemorySegment params, String field) {
        return ringOffset(params, "cq_off", field);
    }

    /** A field of io_sqring_offsets or io_cqring_offsets: where the kernel put that part of the ring. */
    private static long ringOffset(MemorySegment params, String ring, String field) {
        long at = IoUring.PARAMS.byteOffset(groupElement(ring), groupElement(field));
        return Integer.toUnsignedLong(params.get(ValueLayout.JAVA_INT, at));
    }

    /**
     * Sets up a ring with {@code entries} submission entries and {@code cqEntries} completion
     * entries (both clamped to the kernel's limits) and maps it.
     *
     * @param flags {@code IoUring.SETUP_*}
     * @throws ErrnoException from io_uring_setup (EINVAL: a flag this kernel does not know) or mmap
     */
    public static IoUringRing open(int entries, int cqEntries, int flags, Arena arena) throws ErrnoException {
        MemorySegment params = arena.allocate(IoUring.PARAMS);
        params.set(
                ValueLayout.JAVA_INT,
                IoUring.PARAMS.byteOffset(groupElement("flags")),
                flags | IoUring.SETUP_CQSIZE | IoUring.SETUP_CLAMP);
        params.set(ValueLayout.JAVA_INT, IoUring.PARAMS.byteOffset(groupElement("cq_entries")), cqEntries);
        int fd = IoUring.setup(entries, params);
        try {
            return new IoUringRing(fd, params, arena);
        } catch (ErrnoException | RuntimeException e) {
            Net.close(fd);
            throw e;
        }
    }

    public int fd() {
        return fd;
    }

    /** The {@code IORING_FEAT_*} bits the kernel reported. */
    public int features() {
        return features;
    }

    /** The {@code IORING_SETUP_*} flags the ring was made with. */
    public int setupFlags() {
        return setupFlags;
    }

    public int submissionEntries() {
        return sqEntries;
    }

    public int completionEntries() {
        return cqEntries;
    }

    /**
     * Enables a ring made with {@link IoUring#SETUP_R_DISABLED}: with single issuer, the calling
     * thread becomes the only one that may submit.
     */
    public void enable() throws ErrnoException {
        IoUring.register(fd, IoUring.REGISTER_ENABLE_RINGS, MemorySegment.NULL, 0);
    }

    /**
     * Registers the ring's descriptor with the calling thread (IORING_REGISTER_RING_FDS), so
     * that each io_uring_enter skips looking the descriptor up (fdget/fdput).
     *
     * @return false when the kernel refused (the plain descriptor goes on working)
     */
    public boolean registerRingFd() {
        scratch.set(ValueLayout.JAVA_INT, 0, -1); // offset: any free slot
        scratch.set(ValueLayout.JAVA_INT, 4, 0);
        scratch.set(ValueLayout.JAVA_LONG, 8, fd);
        try {
            if (IoUring.register(fd, IoUring.REGISTER_RING_FDS, scratch, 1) != 1) return false;
        } catch (ErrnoException e) {
            return false;
        }
        enterFd = scratch.get(ValueLayout.JAVA_INT, 0);
        enterFlags = IoUring.ENTER_REGISTERED_RING;
        return true;
    }

    /** Whether {@link #registerRingFd} took. */
    public boolean ringFdRegistered() {
        return enterFlags != 0;
    }

    /**
     * Registers a provided-buffer ring of {@code entries} (a power of two) at {@code ring}
     * (page-aligned) as buffer group {@code group} (IORING_REGISTER_PBUF_RING).
     */
    public void registerBufferRing(MemorySegment ring, int entries, int group) throws ErrnoException {
        scratch.fill((byte) 0);
        scratch.set(ValueLayout.JAVA_LONG, 0, ring.address());
        scratch.set(ValueLayout.JAVA_INT, 8, entries);
        scratch.set(ValueLayout.JAVA_SHORT, 12, (short) group);
        IoUring.register(fd, IoUring.REGISTER_PBUF_RING, scratch, 1);
    }

    /** Unregisters buffer group {@code group}; the kernel uses its memory no more. */
    public void unregisterBufferRing(int group) throws ErrnoException {
        scratch.fill((byte) 0);
        scratch.set(ValueLayout.JAVA_SHORT, 12, (short) group);
        IoUring.register(fd, IoUring.UNREGISTER_PBUF_RING, scratch, 1);
    }

    // --- submission ------------------------------------------------------------------------

    /** Entries prepared and not yet taken by the kernel. */
    public int pending() {
        return localSqTail - (int) INT.getAcquire(sq, sqHead);
    }

    /** Entries that can be prepared before the ring is full. */
    public int room() {
        return sqEntries - pending();
    }

    /**
     * Fills the next submission entry, every field written (an entry is reused, so none may
     * keep an earlier value). When the ring is full, what is prepared is submitted first.
     *
     * @param op {@code IoUring.OP_*}
     * @param sqeFlags {@code IoUring.SQE_*}
     * @param ioprio the op's modifier (multishot receive and accept say so here)
     * @param off the offset, or addr2
     * @param addr the buffer's address
     * @param opFlags msg_flags, accept_flags, poll32_events, cancel_flags...
     * @param userData handed back in the completion
     * @param bufGroup the buffer group to select from ({@link IoUring#SQE_BUFFER_SELECT})
     * @throws ErrnoException when the ring is full and submitting failed
     */
    public void prepare(
            int op,
            int sqeFlags,
            int ioprio,
            int fd,
            long off,
            long addr,
            int len,
            int opFlags,
            long userData,
            int bufGroup)
            throws ErrnoException {
        prepare(op, sqeFlags, ioprio, fd, off, addr, len, opFlags, userData, bufGroup, 0);
    }

    /**
     * As {@link #prepare(int, int, int, int, long, long, int, int, long, int)}, with the field
     * at offset 44 set: a file index, or for a multishot receive {@code optlen}, the bytes after
     * which it ends (6.15; older kernels refuse it with EINVAL).
     */
    public void prepare(
            int op,
            int sqeFlags,
            int ioprio,
            int fd,
            long off,
            long addr,
            int len,
            int opFlags,
            long userData,
            int bufGroup,
            int fileIndex)
            throws ErrnoException {
        if (pending() == sqEntries) {
            submit();
            if (pending() == sqEntries) throw new IllegalStateException("the submission ring stays full");
        }
        long e = (long) (localSqTail & sqMask) * SQE_SIZE;
        sqes.set(ValueLayout.JAVA_BYTE, e + SQE_OPCODE, (byte) op);
        sqes.set(ValueLayout.JAVA_BYTE, e + SQE_FLAGS, (byte) sqeFlags);
        sqes.set(ValueLayout.JAVA_SHORT, e + SQE_IOPRIO, (short) ioprio);
        sqes.set(ValueLayout.JAVA_INT, e + SQE_FD, fd);
        sqes.set(ValueLayout.JAVA_LONG, e + SQE_OFF, off);
        sqes.set(ValueLayout.JAVA_LONG, e + SQE_ADDR, addr);
        sqes.set(ValueLayout.JAVA_INT, e + SQE_LEN, len);
        sqes.set(ValueLayout.JAVA_INT, e + SQE_OP_FLAGS, opFlags);
        sqes.set(ValueLayout.JAVA_LONG, e + SQE_USER_DATA, userData);
        sqes.set(ValueLayout.JAVA_SHORT, e + SQE_BUF_GROUP, (short) bufGroup);
        sqes.set(ValueLayout.JAVA_SHORT, e + SQE_PERSONALITY, (short) 0);
        sqes.set(ValueLayout.JAVA_INT, e + SQE_FILE_INDEX, fileIndex);
        sqes.set(ValueLayout.JAVA_LONG, e + SQE_ADDR3, 0L);
        sqes.set(ValueLayout.JAVA_LONG, e + SQE_PAD, 0L);
        localSqTail++;
    }

    /** Submits what is prepared without waiting for anything. @return entries submitted */
    public int submit() throws ErrnoException {
        return enter(0L, false);
    }

    /**
     * Submits what is prepared and waits: up to {@code timeoutNanos} for at least one
     * completion (-1: until one comes), or, with 0, not at all, only collecting what is done
     * (with deferred task running, completions appear only in such a call).
     *
     * @return entries submitted, or a negative errno that is a result here (ETIME, EINTR,
     *     EBUSY: see {@link IoUring#enter})
     */
    public int submitAndWait(long timeoutNanos) throws ErrnoException {
        return enter(timeoutNanos, true);
    }

    private int enter(long timeoutNanos, boolean getEvents) throws ErrnoException {
        // Publishes the prepared entries: every field store above happens before this one.
        INT.setRelease(sq, sqTail, localSqTail);
        int toSubmit = pending();
        if (!getEvents) {
            return toSubmit == 0 ? 0 : HotCalls.ioUringEnter(enterFd, toSubmit, 0, enterFlags, 0L, 0L);
        }
        int flags = enterFlags | IoUring.ENTER_GETEVENTS;
        if (timeoutNanos == 0) return HotCalls.ioUringEnter(enterFd, toSubmit, 0, flags, 0L, 0L);
        if (timeoutNanos < 0) return HotCalls.ioUringEnter(enterFd, toSubmit, 1, flags, 0L, 0L);
        long ts = IoUring.GETEVENTS_ARG.byteSize();
        waitArg.set(ValueLayout.JAVA_LONG, ts, timeoutNanos / 1_000_000_000L);
        waitArg.set(ValueLayout.JAVA_LONG, ts + 8, timeoutNanos % 1_000_000_000L);
        return HotCalls.ioUringEnter(
                enterFd, toSubmit, 1, flags | IoUring.ENTER_EXT_ARG, waitArgAddress, IoUring.GETEVENTS_ARG.byteSize());
    }

    // --- completion ------------------------------------------------------------------------

    /** Completions ready to be read, from {@link #completionUserData}(0) on. */
    public int completions() {
        return (int) INT.getAcquire(cq, cqTail) - localCqHead;
    }

    private long cqe(int i) {
        return cqes + (long) ((localCqHead + i) & cqMask) * CQE_SIZE;
    }

    public long completionUserData(int i) {
        return cq.get(ValueLayout.JAVA_LONG, cqe(i) + CQE_USER_DATA);
    }

    public int completionResult(int i) {
        return cq.get(ValueLayout.JAVA_INT, cqe(i) + CQE_RES);
    }

    public int completionFlags(int i) {
        return cq.get(ValueLayout.JAVA_INT, cqe(i) + CQE_FLAGS);
    }

    /** Hands {@code n} read completions back to the kernel: their slots may be filled again. */
    public void consume(int n) {
        localCqHead += n;
        INT.setRelease(cq, cqHead, localCqHead);
    }

    /**
     * Whether completions waited in the kernel for want of room in the ring (with
     * {@link IoUring#FEAT_NODROP} none is lost; an io_uring_enter with GETEVENTS moves them in).
     */
    public boolean overflowed() {
        return ((int) INT.getAcquire(sq, sqFlags) & IoUring.SQ_CQ_OVERFLOW) != 0;
    }

    /** Closes the ring's descriptor: the kernel cancels what is still in flight. Idempotent. */
    @Override
    public void close() throws ErrnoException {
        if (closed) return;
        closed = true;
        Net.close(fd);
    }

    @Override
    public String toString() {
        return "io_uring fd " + fd + " (" + sqEntries + " SQ / " + cqEntries + " CQ entries)";
    }
}
