package io.netloop.core.transport.uring;

import io.netloop.core.sys.Errno;
import io.netloop.core.sys.ErrnoException;
import io.netloop.core.sys.linux.IoUring;
import io.netloop.core.sys.linux.IoUringRing;
import io.netloop.core.sys.linux.Native;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether io_uring can serve here, decided once per process by setting up a small ring and
 * asking it (IORING_REGISTER_PROBE) for the operations the transport uses, and reading the
 * features it reports. A kernel without io_uring says ENOSYS; one where it is disabled
 * ({@code kernel.io_uring_disabled}) or a seccomp filter forbids it says EPERM; an older kernel
 * lacks an operation or a feature. Each gives a sentence naming what is missing.
 *
 * <p>{@value #REFUSE_PROPERTY}{@code =ENOSYS} (or {@code EPERM}) makes the probe behave as if
 * io_uring_setup had failed so, without asking the kernel: the refusal, its message and the
 * fallback it names can be seen (and tested) on a machine that has io_uring.
 *
 * <p>Threading: immutable after class initialisation.
 */
final class UringSupport {
    private UringSupport() {}

    /** The operations the transport puts in the ring. */
    private static final int[] OPS = {
        IoUring.OP_ACCEPT,
        IoUring.OP_RECV,
        IoUring.OP_SEND,
        IoUring.OP_RECVMSG,
        IoUring.OP_POLL_ADD,
        IoUring.OP_ASYNC_CANCEL,
        IoUring.OP_CLOSE,
        IoUring.OP_READ
    };

    /** The system property that simulates a refused io_uring_setup: {@code ENOSYS} or {@code EPERM}. */
    static final String REFUSE_PROPERTY = "netloop.uring.refuse";

    static final String REASON = probe();

    private static String probe() {
        if (!Native.isAvailable()) return Native.unavailableReason();
        String refuse = System.getProperty(REFUSE_PROPERTY, "").strip();
        if (!refuse.isEmpty()) {
            int errno = simulated(refuse);
            if (errno == 0)
                return REFUSE_PROPERTY + " must be ENOSYS or EPERM, as io_uring_setup refuses: '" + refuse + "'";
            return setupRefused(new ErrnoException("io_uring_setup", errno));
        }
        try (Arena arena = Arena.ofConfined()) {
            IoUringRing ring;
            try {
                ring = IoUringRing.open(4, 8, 0, arena);
            } catch (ErrnoException e) {
                return setupRefused(e);
            }
            try {
                List<String> missing = new ArrayList<>();
                int features = ring.features();
                if ((features & IoUring.FEAT_NODROP) == 0) missing.add("IORING_FEAT_NODROP (5.5)");
                if ((features & IoUring.FEAT_SUBMIT_STABLE) == 0) missing.add("IORING_FEAT_SUBMIT_STABLE (5.5)");
                if ((features & IoUring.FEAT_FAST_POLL) == 0) missing.add("IORING_FEAT_FAST_POLL (5.7)");
                if ((features & IoUring.FEAT_EXT_ARG) == 0) missing.add("IORING_FEAT_EXT_ARG (5.11)");
                if ((features & IoUring.FEAT_CQE_SKIP) == 0) missing.add("IORING_FEAT_CQE_SKIP (5.17)");
                if ((features & IoUring.FEAT_REG_REG_RING) == 0) {
                    missing.add("IORING_FEAT_REG_REG_RING (6.3: with it, multishot receive into provided buffer"
                            + " rings and deferred task running)");
                }
                for (int op : IoUring.unsupported(ring.fd(), OPS)) missing.add(IoUring.opName(op));
                if (missing.isEmpty()) return null;
                return "this kernel's io_uring lacks " + String.join(", ", missing) + " (Linux 6.3 or newer has them)";
            } finally {
                ring.close();
            }
        } catch (ErrnoException e) {
            return "io_uring cannot be probed here: " + e.getMessage();
        }
    }

    private static int simulated(String errno) {
        return switch (errno) {
            case "ENOSYS" -> Errno.ENOSYS;
            case "EPERM" -> Errno.EPERM;
            default -> 0;
        };
    }

    /** What io_uring_setup's refusal means, in a sentence. */
    static String setupRefused(ErrnoException e) {
        return switch (e.errno()) {
            case Errno.ENOSYS -> "this kernel has no io_uring (" + e.getMessage() + ")";
            case Errno.EPERM ->
                "io_uring is not permitted here (" + e.getMessage() + "): kernel.io_uring_disabled is "
                        + disabledSetting() + ", or a seccomp filter (a container's) forbids it";
            default -> "io_uring cannot be set up here: " + e.getMessage();
        };
    }

    private static String disabledSetting() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/io_uring_disabled"))
                    .strip();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
