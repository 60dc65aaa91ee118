package io.netloop.core.sys.linux;

import static io.netloop.core.sys.linux.Libc.errno;

import io.netloop.core.sys.Errno;
import io.netloop.core.sys.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * io_uring(7) through FFM: its three system calls, entered through libc's {@code syscall(2)}
 * (glibc has no wrappers, and netloop ships no liburing), the mappings of its rings, and the
 * kernel's structs and constants from {@code <linux/io_uring.h>}.
 *
 * <pre>
 * struct io_uring_params (120): sq_entries u32 @0 | cq_entries @4 | flags @8 | sq_thread_cpu @12
 *     | sq_thread_idle @16 | features @20 | wq_fd @24 | resv[3] @28 | sq_off (40) @40 | cq_off (40) @80
 * struct io_sqring_offsets (40): head tail ring_mask ring_entries flags dropped array resv1 (u32 each) | user_addr u64
 * struct io_cqring_offsets (40): head tail ring_mask ring_entries overflow cqes flags resv1 (u32 each) | user_addr u64
 * struct io_uring_sqe (64): opcode u8 @0 | flags u8 @1 | ioprio u16 @2 | fd s32 @4 | off u64 @8 | addr u64 @16
 *     | len u32 @24 | op_flags u32 @28 | user_data u64 @32 | buf_group u16 @40 | personality u16 @42
 *     | file_index u32 @44 | addr3 u64 @48 | pad u64 @56
 * struct io_uring_cqe (16): user_data u64 @0 | res s32 @8 | flags u32 @12
 * struct io_uring_buf (16): addr u64 @0 | len u32 @8 | bid u16 @12 | resv u16 @14 (the ring's tail overlays entry 0's resv)
 * struct io_uring_buf_reg (40): ring_addr u64 | ring_entries u32 | bgid u16 | flags u16 | resv u64[3]
 * struct io_uring_rsrc_update (16): offset u32 | resv u32 | data u64
 * struct io_uring_getevents_arg (24): sigmask u64 | sigmask_sz u32 | min_wait_usec u32 | ts u64
 * struct io_uring_recvmsg_out (16): namelen u32 | controllen u32 | payloadlen u32 | flags u32
 * </pre>
 * The UAPI fixes these layouts with explicit widths, so x86_64 and aarch64 share them;
 * {@link #layoutsFor} is where another architecture would differ. The system call numbers
 * (425, 426, 427) are the same on both: io_uring came after the tables were unified.
 *
 * <p>Threading: stateless; any thread. A ring itself ({@link IoUringRing}) belongs to one thread.
 */
public final class IoUring {
    private IoUring() {}

    private static final long SYS_IO_URING_SETUP = 425;
    private static final long SYS_IO_URING_ENTER = 426;
    private static final long SYS_IO_URING_REGISTER = 427;

    // --- io_uring_setup flags --------------------------------------------------------------
    public static final int SETUP_CQSIZE = 1 << 3;
    public static final int SETUP_CLAMP = 1 << 4;
    public static final int SETUP_R_DISABLED = 1 << 6;
    public static final int SETUP_SUBMIT_ALL = 1 << 7;
    public static final int SETUP_COOP_TASKRUN = 1 << 8;
    public static final int SETUP_TASKRUN_FLAG = 1 << 9;
    public static final int SETUP_SINGLE_ISSUER = 1 << 12;
    public static final int SETUP_DEFER_TASKRUN = 1 << 13;

    // --- io_uring_params.features ------------------------------------------------------------
    public static final int FEAT_SINGLE_MMAP = 1;
    public static final int FEAT_NODROP = 1 << 1;
    public static final int FEAT_SUBMIT_STABLE = 1 << 2;
    public static final int FEAT_FAST_POLL = 1 << 5;
    public static final int FEAT_EXT_ARG = 1 << 8;
    public static final int FEAT_CQE_SKIP = 1 << 11;
    /** Since 6.3: the kernel also has multishot receive, provided buffer rings, deferred task running. */
    public static final int FEAT_REG_REG_RING = 1 << 13;

    // --- opcodes -----------------------------------------------------------------------------
    public static final int OP_NOP = 0;
    public static final int OP_POLL_ADD = 6;
    public static final int OP_SENDMSG = 9;
    public static final int OP_RECVMSG = 10;
    public static final int OP_ACCEPT = 13;
    public static final int OP_ASYNC_CANCEL = 14;
    public static final int OP_CLOSE = 19;
    public static final int OP_READ = 22;
    public static final int OP_SEND = 26;
    public static final int OP_RECV = 27;
    public static final int OP_SHUTDOWN = 34;
    public static final int OP_SEND_ZC = 47;

    // --- sqe.flags -----------------------------------------------------------------------------
    public static final int SQE_IO_LINK = 1 << 2;
    public static final int SQE_IO_HARDLINK = 1 << 3;
    public static final int SQE_BUFFER_SELECT = 1 << 5;
    public static final int SQE_CQE_SKIP_SUCCESS = 1 << 6;

    // --- sqe.ioprio for send/recv and accept; sqe.len for poll; sqe.op_flags for cancel --------
    public static final int RECV_MULTISHOT = 1 << 1;
    public static final int ACCEPT_MULTISHOT = 1;
    public static final int POLL_ADD_MULTI = 1;
    public static final int CANCEL_ALL = 1;
    public static final int CANCEL_FD = 1 << 1;
    public static final int CANCEL_ANY = 1 << 2;

    // --- cqe.flags ----------------------------------------------------------------------------
    public static final int CQE_F_BUFFER = 1;
    public static final int CQE_F_MORE = 1 << 1;
    public static final int CQE_F_NOTIF = 1 << 3;
    public static final int CQE_BUFFER_SHIFT = 16;

    // --- the SQ ring's flags, io_uring_enter flags ------------------------------------------------
    public static final int SQ_CQ_OVERFLOW = 1 << 1;
    public static final int ENTER_GETEVENTS = 1;
    public static final int ENTER_EXT_ARG = 1 << 3;
    public static final int ENTER_REGISTERED_RING = 1 << 4;

    // --- io_uring_register opcodes ------------------------------------------------------------
    public static final int REGISTER_PROBE = 8;
    public static final int REGISTER_ENABLE_RINGS = 12;
    public static final int REGISTER_RING_FDS = 20;
    public static final int UNREGISTER_RING_FDS = 21;
    public static final int REGISTER_PBUF_RING = 22;
    public static final int UNREGISTER_PBUF_RING = 23;

    // --- mmap offsets ---------------------------------------------------------------------------
    static final long OFF_SQ_RING = 0L;
    static final long OFF_CQ_RING = 0x8000000L;
    static final long OFF_SQES = 0x10000000L;

    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_SHARED = 0x01;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final int MAP_POPULATE = 0x8000;

    // --- layouts ------------------------------------------------------------------------------
    public static final StructLayout PARAMS;
    public static final StructLayout SQE;
    public static final StructLayout CQE;
    public static final StructLayout BUF;
    public static final StructLayout BUF_REG;
    public static final StructLayout RSRC_UPDATE;
    public static final StructLayout GETEVENTS_ARG;
    public static final StructLayout RECVMSG_OUT;

    static {
        StructLayout[] l = layoutsFor(Native.ARCH);
        PARAMS = l[0];
        SQE = l[1];
        CQE = l[2];
        BUF = l[3];
        BUF_REG = l[4];
        RSRC_UPDATE = l[5];
        GETEVENTS_ARG = l[6];
        RECVMSG_OUT = l[7];
    }

    static StructLayout[] layoutsFor(Native.Arch arch) {
        if (arch == Native.Arch.OTHER)
            throw new UnsupportedOperationException("no io_uring layouts for " + System.getProperty("os.arch"));
        ValueLayout u8 = ValueLayout.JAVA_BYTE;
        ValueLayout u16 = ValueLayout.JAVA_SHORT;
        ValueLayout u32 = ValueLayout.JAVA_INT;
        ValueLayout u64 = ValueLayout.JAVA_LONG;
        StructLayout sqOff = MemoryLayout.structLayout(
                u32.withName("head"),
                u32.withName("tail"),
                u32.withName("ring_mask"),
                u32.withName("ring_entries"),
                u32.withName("flags"),
                u32.withName("dropped"),
                u32.withName("array"),
                u32.withName("resv1"),
                u64.withName("user_addr"));
        StructLayout cqOff = MemoryLayout.structLayout(
                u32.withName("head"),
                u32.withName("tail"),
                u32.withName("ring_mask"),
                u32.withName("ring_entries"),
                u32.withName("overflow"),
                u32.withName("cqes"),
                u32.withName("flags"),
                u32.withName("resv1"),
                u64.withName("user_addr"));
        StructLayout params = MemoryLayout.structLayout(
                        u32.withName("sq_entries"),
                        u32.withName("cq_entries"),
                        u32.withName("flags"),
                        u32.withName("sq_thread_cpu"),
                        u32.withName("sq_thread_idle"),
                        u32.withName("features"),
                        u32.withName("wq_fd"),
                        MemoryLayout.sequenceLayout(3, u32).withName("resv"),
                        sqOff.withName("sq_off"),
                        cqOff.withName("cq_off"))
                .withName("io_uring_params");
        StructLayout sqe = MemoryLayout.structLayout(
                        u8.withName("opcode"),
                        u8.withName("flags"),
                        u16.withName("ioprio"),
                        u32.withName("fd"),
                        u64.withName("off"),
                        u64.withName("addr"),
                        u32.withName("len"),
                        u32.withName("op_flags"),
                        u64.withName("user_data"),
                        u16.withName("buf_group"),
                        u16.withName("personality"),
                        u32.withName("file_index"),
                        u64.withName("addr3"),
                        u64.withName("pad"))
                .withName("io_uring_sqe");
        StructLayout cqe = MemoryLayout.structLayout(
                        u64.withName("user_data"), u32.withName("res"), u32.withName("flags"))
                .withName("io_uring_cqe");
        StructLayout buf = MemoryLayout.structLayout(
                        u64.withName("addr"), u32.withName("len"), u16.withName("bid"), u16.withName("resv"))
                .withName("io_uring_buf");
        StructLayout bufReg = MemoryLayout.structLayout(
                        u64.withName("ring_addr"),
                        u32.withName("ring_entries"),
                        u16.withName("bgid"),
                        u16.withName("flags"),
                        MemoryLayout.sequenceLayout(3, u64).withName("resv"))
                .withName("io_uring_buf_reg");
        StructLayout rsrcUpdate = MemoryLayout.structLayout(
                        u32.withName("offset"), u32.withName("resv"), u64.withName("data"))
                .withName("io_uring_rsrc_update");
        StructLayout geteventsArg = MemoryLayout.structLayout(
                        u64.withName("sigmask"),
                        u32.withName("sigmask_sz"),
                        u32.withName("min_wait_usec"),
                        u64.withName("ts"))
                .withName("io_uring_getevents_arg");
        StructLayout recvmsgOut = MemoryLayout.structLayout(
                        u32.withName("namelen"),
                        u32.withName("controllen"),
                        u32.withName("payloadlen"),
                        u32.withName("flags"))
                .withName("io_uring_recvmsg_out");
        return new StructLayout[] {params, sqe, cqe, buf, bufReg, rsrcUpdate, geteventsArg, recvmsgOut};
    }

    // --- the system calls -------------------------------------------------------------------

    /**
     * io_uring_setup(2): a new ring of {@code entries} submission entries, described by
     * {@code params} (in: flags, cq_entries; out: the sizes, features and ring offsets).
     *
     * @return the ring's descriptor
     * @throws ErrnoException ENOSYS (no io_uring in this kernel), EPERM (disabled by
     *     {@code kernel.io_uring_disabled} or a seccomp filter), EINVAL (a flag this kernel lacks),
     *     ENOMEM
     */
    public static int setup(int entries, MemorySegment params) throws ErrnoException {
        MemorySegment err = Libc.errnoSegment();
        try {
            long r = (long)
                    Libc.SYSCALL_IO_URING_SETUP.invokeExact(err, SYS_IO_URING_SETUP, (long) entries, params.address());
            if (r < 0) throw new ErrnoException("io_uring_setup", errno(err));
            return (int) r;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /**
     * io_uring_register(2).
     *
     * @return the call's non-negative result
     * @throws ErrnoException naming the operation
     */
    public static int register(int ringFd, int op, MemorySegment arg, int nrArgs) throws ErrnoException {
        MemorySegment err = Libc.errnoSegment();
        try {
            for (; ; ) {
                long r = (long) Libc.SYSCALL_IO_URING_REGISTER.invokeExact(
                        err, SYS_IO_URING_REGISTER, (long) ringFd, (long) op, arg.address(), (long) nrArgs);
                if (r >= 0) return (int) r;
                int e = errno(err);
                if (e == Errno.EINTR) continue;
                throw new ErrnoException("io_uring_register", e, registerName(op));
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /**
     * io_uring_enter(2) as {@link HotCalls#ioUringEnter} enters it: submits {@code toSubmit}
     * entries and, with {@link #ENTER_GETEVENTS}, waits for {@code minComplete} completions.
     *
     * @param arg the address of a {@code struct io_uring_getevents_arg} (with
     *     {@link #ENTER_EXT_ARG}), or 0
     * @return entries submitted (&ge; 0), or minus EINTR, ETIME (the timeout passed), EAGAIN or
     *     EBUSY (the completion ring is full: reap, then enter again); nothing else is a result
     * @throws ErrnoException for any other failure
     */
    static int enter(int ringFd, int toSubmit, int minComplete, int flags, long arg, long argSize)
            throws ErrnoException {
        MemorySegment err = Libc.errnoSegment();
        try {
            long r = minComplete == 0
                    ? (long) Libc.SYSCALL_IO_URING_ENTER_NOWAIT.invokeExact(
                            err, SYS_IO_URING_ENTER, (long) ringFd, (long) toSubmit, 0L, (long) flags, arg, argSize)
                    : (long) Libc.SYSCALL_IO_URING_ENTER.invokeExact(
                            err,
                            SYS_IO_URING_ENTER,
                            (long) ringFd,
                            (long) toSubmit,
                            (long) minComplete,
                            (long) flags,
                            arg,
                            argSize);
            if (r >= 0) return (int) r;
            int e = errno(err);
            if (e == Errno.EINTR || e == Errno.ETIME || e == Errno.EAGAIN || e == Errno.EBUSY) return -e;
            throw new ErrnoException("io_uring_enter", e);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /**
     * Maps {@code size} bytes of a ring's shared memory at {@code offset} ({@code IORING_OFF_*}),
     * unmapped when {@code arena} closes.
     */
    static MemorySegment mapRing(int ringFd, long offset, long size, Arena arena) throws ErrnoException {
        return map(size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ringFd, offset, arena);
    }

    /**
     * {@code size} bytes of private anonymous memory, page-aligned and zero, unmapped when
     * {@code arena} closes. Pages cost memory only once touched: a buffer area is charged for
     * the buffers the kernel has used, not for its size.
     */
    public static MemorySegment mapAnonymous(long size, Arena arena) throws ErrnoException {
        return map(size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0, arena);
    }

    private static MemorySegment map(long size, int prot, int flags, int fd, long offset, Arena arena)
            throws ErrnoException {
        MemorySegment err = Libc.errnoSegment();
        long address;
        try {
            address = (long) Libc.MMAP.invokeExact(err, 0L, size, prot, flags, fd, offset);
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
        if (address == -1L) throw new ErrnoException("mmap", errno(err), size + " bytes");
        return MemorySegment.ofAddress(address).reinterpret(size, arena, IoUring::unmap);
    }

    private static void unmap(MemorySegment mapping) {
        try {
            int r = (int) Libc.MUNMAP.invokeExact(Libc.errnoSegment(), mapping.address(), mapping.byteSize());
            if (r < 0) {
                System.getLogger(IoUring.class.getName())
                        .log(System.Logger.Level.WARNING, "munmap of " + mapping.byteSize() + " bytes failed");
            }
        } catch (Throwable t) {
            throw Net.rethrow(t);
        }
    }

    /**
     * Which opcodes of {@code wanted} the ring's kernel does not support (IORING_REGISTER_PROBE).
     *
     * @return their numbers, empty when all are there
     */
    public static int[] unsupported(int ringFd, int... wanted) throws ErrnoException {
        int ops = 256;
        try (Arena arena = Arena.ofConfined()) {
            // struct io_uring_probe: last_op u8, ops_len u8, resv u16, resv2 u32[3], then ops[] of
            // struct io_uring_probe_op { u8 op; u8 resv; u16 flags; u32 resv2; }.
            MemorySegment probe = arena.allocate(16 + 8L * ops, 8);
            register(ringFd, REGISTER_PROBE, probe, ops);
            int last = Byte.toUnsignedInt(probe.get(ValueLayout.JAVA_BYTE, 0));
            return java.util.Arrays.stream(wanted)
                    .filter(op -> op > last
                            || (probe.get(ValueLayout.JAVA_SHORT, 16 + 8L * op + 2) & 1) == 0) // IO_URING_OP_SUPPORTED
                    .toArray();
        }
    }

    /** An opcode's name for messages, as {@code IORING_OP_RECV}. */
    public static String opName(int op) {
        return switch (op) {
            case OP_NOP -> "IORING_OP_NOP";
            case OP_POLL_ADD -> "IORING_OP_POLL_ADD";
            case OP_SENDMSG -> "IORING_OP_SENDMSG";
            case OP_RECVMSG -> "IORING_OP_RECVMSG";
            case OP_ACCEPT -> "IORING_OP_ACCEPT";
            case OP_ASYNC_CANCEL -> "IORING_OP_ASYNC_CANCEL";
            case OP_CLOSE -> "IORING_OP_CLOSE";
            case OP_READ -> "IORING_OP_READ";
            case OP_SEND -> "IORING_OP_SEND";
            case OP_RECV -> "IORING_OP_RECV";
            case OP_SHUTDOWN -> "IORING_OP_SHUTDOWN";
            case OP_SEND_ZC -> "IORING_OP_SEND_ZC";
            default -> "opcode " + op;
        };
    }

    private static String registerName(int op) {
        return switch (op) {
            case REGISTER_PROBE -> "(IORING_REGISTER_PROBE)";
            case REGISTER_ENABLE_RINGS -> "(IORING_REGISTER_ENABLE_RINGS)";
            case REGISTER_RING_FDS -> "(IORING_REGISTER_RING_FDS)";
            case UNREGISTER_RING_FDS -> "(IORING_UNREGISTER_RING_FDS)";
            case REGISTER_PBUF_RING -> "(IORING_REGISTER_PBUF_RING)";
            case UNREGISTER_PBUF_RING -> "(IORING_UNREGISTER_PBUF_RING)";
            default -> "(opcode " + op + ")";
        };
    }
}
