package io.netloop.bench;

/**
 * CPU time a process has used, all its threads together.
 *
 * <p>On Linux {@link ProcessHandle.Info#totalCpuDuration()} is {@code utime + stime} from
 * {@code /proc/<pid>/stat}, converted with the kernel's real clock-tick rate. Those
 * process-level fields include every thread, the exited ones too, so a JVM's GC and JIT work
 * is counted along with its event loop. The resolution is one tick (10 ms at the usual
 * USER_HZ of 100): fine for windows of seconds, meaningless below a tenth of one.
 *
 * <p>Threading: stateless; any thread.
 */
final class CpuClock {
    private CpuClock() {}

    /** CPU nanoseconds used by {@code pid}, or -1 when it is gone or unreadable (or pid is -1). */
    static long nanos(long pid) {
        if (pid < 0) return -1;
        return ProcessHandle.of(pid)
                .flatMap(h -> h.info().totalCpuDuration())
                .map(d -> d.toNanos())
                .orElse(-1L);
    }

    static long selfNanos() {
        return nanos(ProcessHandle.current().pid());
    }
}
