package io.netloop.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the whole machine was: what the server and the client did not use of it was used
 * by someone else, which says how far to trust a run on a shared box.
 *
 * <p>Busy time is all CPUs times the wall-clock window, minus the idle and I/O-wait time of
 * all CPUs ({@code /proc/stat}). Not the busy counters: those are sampled at timer ticks, and
 * a ping-pong load that works in bursts of microseconds between idle stretches (when ticks
 * stop) is under-counted by a third or more, while idle and I/O-wait time are accounted
 * exactly. I/O wait counts as idle: a loop waiting in io_uring_enter with operations in flight
 * is accounted there, and it is nobody's CPU. The CPUs are counted in {@code /proc/stat},
 * since {@code availableProcessors()} only sees the cores this process is pinned to.
 *
 * <p>Threading: stateless; any thread.
 */
final class MachineCpu {
    private MachineCpu() {}

    /** Idle (and I/O-wait) seconds of all CPUs since boot; {@code cpus} is 0 where /proc cannot be read. */
    record Sample(double idleSeconds, int cpus) {
        static final Sample UNKNOWN = new Sample(Double.NaN, 0);

        /** CPU seconds used on the whole machine between {@code before} and this sample. */
        double busySecondsSince(Sample before, double wallSeconds) {
            if (before.cpus == 0 || cpus == 0) return Double.NaN;
            return cpus * wallSeconds - (idleSeconds - before.idleSeconds);
        }
    }

    private static final int CPUS = countCpus();

    static Sample sample() {
        if (CPUS == 0) return Sample.UNKNOWN;
        try {
            // "cpu  user nice system idle iowait ...", in clock ticks of 1/100 s (USER_HZ).
            String line =
                    Files.readString(Path.of("/proc/stat")).lines().findFirst().orElseThrow();
            String[] f = line.trim().split("\\s+");
            return new Sample((Long.parseLong(f[4]) + Long.parseLong(f[5])) / 100.0, CPUS);
        } catch (IOException | RuntimeException e) {
            return Sample.UNKNOWN;
        }
    }

    private static int countCpus() {
        try (var lines = Files.lines(Path.of("/proc/stat"))) {
            return (int) lines.filter(l -> l.startsWith("cpu") && !l.startsWith("cpu "))
                    .count();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
