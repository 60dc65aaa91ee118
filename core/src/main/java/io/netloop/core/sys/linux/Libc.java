package io.netloop.core.sys.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The downcall handles to the C library, one per system call, each capturing {@code errno}.
 *
 * <p>Handles marked critical are the ones that never block: on a non-blocking descriptor a
 * read or write returns at once, so they may pin a heap array for the call and save a copy
 * (critical with heap access). Calls that may sleep ({@code epoll_wait}, {@code connect} on a
 * blocking socket, {@code close} with {@code SO_LINGER}) are ordinary downcalls, so the JVM
 * can reach a safepoint while they wait. Blocking variants of read/write exist for the
 * blocking I/O models of the lab.
 *
 * <p>Threading: stateless; every handle may be called from any thread. The errno capture
 * segment is per thread ({@link #errnoSegment()}).
 */
final class Libc {
    private Libc() {}

    static final Linker LINKER = Linker.nativeLinker();
    static final SymbolLookup LOOKUP = LINKER.defaultLookup();
    static final AddressLayout C_POINTER = ADDRESS;
    static final ValueLayout.OfLong SIZE_T = JAVA_LONG;

    private static final MemoryLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final Linker.Option CRITICAL = Linker.Option.critical(true);

    /* Reused for every call a thread makes; GC'd with the thread (an auto arena), never shared. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * The native memory one thread's system calls use: where errno is captured, and a staging
     * area that small reads and sends go through, so that a call on a heap array needs no
     * memory segment made for it (the JIT does not always see such segments die young, and a
     * loop would then make garbage on every read and send). An auto arena: freed with the
     * thread; a loop thread holds one for its life.
     */
    static final class Scratch {
        /** Large enough for one read budget (64 KiB) at once; a larger send goes straight from the heap. */
        static final int STAGING_SIZE = 64 * 1024;
        /** PATH_MAX: a longer path is refused by the kernel anyway (ENAMETOOLONG). */
        static final int PATH_SIZE = 4096;

        final MemorySegment errno;
        final MemorySegment staging;
        final long stagingAddress;
        /** A socket address and its length, for accept4, getpeername, bind, connect. */
        final MemorySegment sockaddr;

        final MemorySegment socklen;
        /** An option's value (an int, or struct linger) and its length. */
        final MemorySegment optval;

        final MemorySegment optlen;
        /** sendfile's off_t. */
        final MemorySegment offset;
        /** openat2's struct open_how, statx's struct statx. */
        final MemorySegment openHow;

        final MemorySegment statx;
        /** A path, NUL-terminated. */
        final MemorySegment path;

        Scratch() {
            Arena arena = Arena.ofAuto();
            this.errno = arena.allocate(CAPTURE_LAYOUT);
            this.staging = arena.allocate(STAGING_SIZE, 64);
            this.stagingAddress = staging.address();
            this.sockaddr = arena.allocate(SockAddr.STORAGE_SIZE, 8);
            this.socklen = arena.allocate(JAVA_INT);
            this.optval = arena.allocate(16, 8);
            this.optlen = arena.allocate(JAVA_INT);
            this.offset = arena.allocate(JAVA_LONG);
            this.openHow = arena.allocate(24, 8);
            this.statx = arena.allocate(256, 8);
            this.path = arena.allocate(PATH_SIZE, 8);
        }

        /**
         * {@code s} as a NUL-terminated UTF-8 string in {@link #path}, or null when it does not
         * fit (the caller allocates then). ASCII, the common case, is written without a copy of
         * the string.
         */
        MemorySegment path(String s) {
            int n = s.length();
            if (n >= PATH_SIZE) return null;
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80 || c == 0) return utf8Path(s);
                path.set(ValueLayout.JAVA_BYTE, i, (byte) c);
            }
            path.set(ValueLayout.JAVA_BYTE, n, (byte) 0);
            return path;
        }

        private MemorySegment utf8Path(String s) {
            byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            if (b.length >= PATH_SIZE) return null;
            MemorySegment.copy(b, 0, path, ValueLayout.JAVA_BYTE, 0, b.length);
            path.set(ValueLayout.JAVA_BYTE, b.length, (byte) 0);
            return path;
        }
    }

    static Scratch scratch() {
        return SCRATCH.get();
    }

    static MemorySegment errnoSegment() {
        return SCRATCH.get().errno;
    }

    static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    // --- sockets -------------------------------------------------------------------------
    static final MethodHandle SOCKET =
            capturing("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), true);
    static final MethodHandle BIND =
            capturing("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, C_POINTER, JAVA_INT), true);
    static final MethodHandle LISTEN = capturing("listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), true);
    /* accept4 on a non-blocking listener never sleeps; the address goes to native scratch memory. */
    static final MethodHandle ACCEPT4 =
            capturing("accept4", FunctionDescriptor.of(JAVA_INT, JAVA_INT, C_POINTER, C_POINTER, JAVA_INT), true);
    static final MethodHandle ACCEPT4_BLOCKING =
            capturing("accept4", FunctionDescriptor.of(JAVA_INT, JAVA_INT, C_POINTER, C_POINTER, JAVA_INT), false);
    static final MethodHandle CONNECT =
            capturing("connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, C_POINTER, JAVA_INT), false);
    static final MethodHandle SHUTDOWN =
            capturing("shutdown", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), true);
    /* close may linger (SO_LINGER with a timeout), so it is not critical. */
    static final MethodHandle CLOSE = capturing("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), false);
    static final MethodHandle SETSOCKOPT = capturing(
            "setsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, C_POINTER, JAVA_INT), true);
    static final MethodHandle GETSOCKOPT = capturing(
            "getsockopt", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, C_POINTER, C_POINTER), true);
    static final MethodHandle GETSOCKNAME =
            capturing("getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, C_POINTER, C_POINTER), true);
    static final MethodHandle GETPEERNAME =
            capturing("getpeername", FunctionDescriptor.of(JAVA_INT, JAVA_INT, C_POINTER, C_POINTER), true);

    // --- data transfer -------------------------------------------------------------------
    private static final FunctionDescriptor RW = FunctionDescriptor.of(JAVA_LONG, JAVA_INT, C_POINTER, SIZE_T);
    private static final FunctionDescriptor SENDRECV =
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, C_POINTER, SIZE_T, JAVA_INT);
    private static final FunctionDescriptor IOV = FunctionDescriptor.of(JAVA_LONG, JAVA_INT, C_POINTER, JAVA_INT);
    static final MethodHandle READ = capturing("read", RW, true);
    static final MethodHandle WRITE = capturing("write", RW, true);
    static final MethodHandle READ_BLOCKING = capturing("read", RW, false);
    static final MethodHandle WRITE_BLOCKING = capturing("write", RW, false);
    static final MethodHandle RECV = capturing("recv", SENDRECV, true);
    static final MethodHandle SEND = capturing("send", SENDRECV, true);
    /* The same calls on the staging area, its address passed as the 64-bit integer it is (the
    C ABI passes a pointer and a long alike): no memory segment is made per call. */
    static final MethodHandle READ_STAGED_BLOCKING =
            capturing("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, SIZE_T), false);
    static final MethodHandle WRITE_STAGED_BLOCKING =
            capturing("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, SIZE_T), false);
    static final MethodHandle READ_STAGED =
            capturing("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, SIZE_T), true);
    static final MethodHandle SEND_STAGED =
            capturing("send", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, SIZE_T, JAVA_INT), true);
    /* iovecs hold addresses, so they describe native memory only: no heap access needed. */
    static final MethodHandle READV = capturing("readv", IOV, true);
    static final MethodHandle WRITEV = capturing("writev", IOV, true);
    /* Datagrams: on a non-blocking socket none of these sleeps. sendto may pin a heap array;
    the mmsghdr vectors point at native memory only. */
    static final MethodHandle SENDTO = capturing(
            "sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, C_POINTER, SIZE_T, JAVA_INT, C_POINTER, JAVA_INT),
            true);
    static final MethodHandle RECVMMSG = capturing(
            "recvmmsg", FunctionDescriptor.of(JAVA_INT, JAVA_INT, C_POINTER, JAVA_INT, JAVA_INT, C_POINTER), true);
    static final MethodHandle SENDMMSG =
            capturing("sendmmsg", FunctionDescriptor.of(JAVA_INT, JAVA_INT, C_POINTER, JAVA_INT, JAVA_INT), true);
    static final MethodHandle SENDFILE =
            capturing("sendfile", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_INT, C_POINTER, SIZE_T), false);

    // --- epoll, eventfd ------------------------------------------------------------------
    static final MethodHandle EPOLL_CREATE1 =
            capturing("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT), true);
    static final MethodHandle EPOLL_CTL =
            capturing("epoll_ctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, C_POINTER), true);
    /* Sleeps: must let the JVM reach safepoints. */
    static final MethodHandle EPOLL_WAIT =
            capturing("epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, C_POINTER, JAVA_INT, JAVA_INT), false);
    static final MethodHandle EVENTFD = capturing("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), true);

    // --- poll(2), select(2): the lab's older multiplexers --------------------------------
    static final MethodHandle POLL =
            capturing("poll", FunctionDescriptor.of(JAVA_INT, C_POINTER, JAVA_LONG, JAVA_INT), false);
    static final MethodHandle SELECT = capturing(
            "select", FunctionDescriptor.of(JAVA_INT, JAVA_INT, C_POINTER, C_POINTER, C_POINTER, C_POINTER), false);

    // --- process -------------------------------------------------------------------------
    static final MethodHandle GETRLIMIT =
            capturing("getrlimit", FunctionDescriptor.of(JAVA_INT, JAVA_INT, C_POINTER), true);
    static final MethodHandle SETRLIMIT =
            capturing("setrlimit", FunctionDescriptor.of(JAVA_INT, JAVA_INT, C_POINTER), true);
    static final MethodHandle OPEN = capturing("open", FunctionDescriptor.of(JAVA_INT, C_POINTER, JAVA_INT), false);
    static final MethodHandle PIPE2 = capturing("pipe2", FunctionDescriptor.of(JAVA_INT, C_POINTER, JAVA_INT), true);
    /* openat2 has no glibc wrapper before 2.40: syscall(SYS_openat2, dirfd, path, &how, sizeof how). */
    static final MethodHandle SYSCALL_OPENAT2 = LINKER.downcallHandle(
            LOOKUP.find("syscall").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, C_POINTER, C_POINTER, JAVA_LONG),
            Linker.Option.firstVariadicArg(1),
            CAPTURE_ERRNO);
    static final MethodHandle STATX = capturing(
            "statx", FunctionDescriptor.of(JAVA_INT, JAVA_INT, C_POINTER, JAVA_INT, JAVA_INT, C_POINTER), false);

    // --- io_uring: no glibc wrappers, so syscall(2) with the number first --------------------
    private static final MemorySegment SYSCALL = LOOKUP.find("syscall").orElseThrow();
    /* Every argument as a 64-bit integer: a variadic int would leave the register's upper half
    undefined, and addresses are passed as the integers they are (no segment per call). */
    private static final FunctionDescriptor SYSCALL_3 =
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final FunctionDescriptor SYSCALL_6 = FunctionDescriptor.of(
            JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    static final MethodHandle SYSCALL_IO_URING_SETUP =
            LINKER.downcallHandle(SYSCALL, SYSCALL_3, Linker.Option.firstVariadicArg(1), CAPTURE_ERRNO);
    static final MethodHandle SYSCALL_IO_URING_REGISTER = LINKER.downcallHandle(
            SYSCALL,
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1),
            CAPTURE_ERRNO);
    /* io_uring_enter that waits for completions sleeps: an ordinary downcall, so the JVM can
    reach a safepoint meanwhile. */
    static final MethodHandle SYSCALL_IO_URING_ENTER =
            LINKER.downcallHandle(SYSCALL, SYSCALL_6, Linker.Option.firstVariadicArg(1), CAPTURE_ERRNO);
    /* One that only submits and collects what is there (min_complete 0) never sleeps: critical. */
    static final MethodHandle SYSCALL_IO_URING_ENTER_NOWAIT =
            LINKER.downcallHandle(SYSCALL, SYSCALL_6, Linker.Option.firstVariadicArg(1), CAPTURE_ERRNO, CRITICAL);

    static final MethodHandle MMAP = capturing(
            "mmap",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, SIZE_T, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG),
            false);
    static final MethodHandle MUNMAP = capturing("munmap", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, SIZE_T), false);

    // --- signal-driven I/O (the lab) -------------------------------------------------------
    static final MethodHandle FCNTL_INT = LINKER.downcallHandle(
            LOOKUP.find("fcntl").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG),
            Linker.Option.firstVariadicArg(2),
            CAPTURE_ERRNO,
            CRITICAL);
    static final MethodHandle GETTID = capturing("gettid", FunctionDescriptor.of(JAVA_INT), true);
    static final MethodHandle PTHREAD_SIGMASK = LINKER.downcallHandle(
            LOOKUP.find("pthread_sigmask").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, C_POINTER, C_POINTER),
            CRITICAL);
    static final MethodHandle SIGNALFD =
            capturing("signalfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, C_POINTER, JAVA_INT), true);
    static final MethodHandle SIGRTMIN = LINKER.downcallHandle(
            LOOKUP.find("__libc_current_sigrtmin").orElseThrow(), FunctionDescriptor.of(JAVA_INT), CRITICAL);

    private static MethodHandle capturing(String name, FunctionDescriptor fd, boolean critical) {
        MemorySegment symbol =
                LOOKUP.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
        return critical
                ? LINKER.downcallHandle(symbol, fd, CAPTURE_ERRNO, CRITICAL)
                : LINKER.downcallHandle(symbol, fd, CAPTURE_ERRNO);
    }
}
