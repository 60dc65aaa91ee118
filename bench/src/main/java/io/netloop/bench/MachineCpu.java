package io.netloop.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How busy the whole machine was, from the {@code cpu} lines of {@code /proc/stat}: what the
 * server and the client did not use of it was used by someone else, which says how much to
 * trust a run on a shared box.
 *
 * <p>The counters are in clock ticks, whose rate Java cannot ask for; a ratio of two deltas
 * does not need it: busy / (busy + idle) of all CPUs, times CPUs, times the wall-clock window.
 * The CPUs are counted from the {@code cpuN} lines, since {@code availableProcessors()} only
 * sees the cores this process is pinned to.
 *
 * <p>Threading: stateless; any thread.
 */
final class MachineCpu {
    private MachineCpu() {}

    /** Cumulative ticks, or all -1 where /proc/stat cannot be read. */
    record Sample(long busyTicks, long allTicks, int cpus) {
        static final Sample UNKNOWN = new Sample(-1, -1, 0);

        /** CPU seconds used on the whole machine between {@code before} and this sample. */
        double busySecondsSince(Sample before, double wallSeconds) {
            long all = allTicks - before.allTicks;
            if (before.cpus == 0 || cpus == 0 || all <= 0) return Double.NaN;
            return (double) (busyTicks - before.busyTicks) / all * cpus * wallSeconds;
        }
    }

    static Sample sample() {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/proc/stat"));
        } catch (IOException | SecurityException e) {
            return Sample.UNKNOWN;
        }
        long busy = -1, all = -1;
        int cpus = 0;
        for (String line : lines) {
            if (line.startsWith("cpu ")) {
                // user nice system idle iowait irq softirq steal (guest time is inside user already)
                String[] f = line.trim().split("\\s+");
                if (f.length < 9) return Sample.UNKNOWN;
                long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
                busy = 0;
                for (int i : new int[] {1, 2, 3, 6, 7, 8}) busy += Long.parseLong(f[i]);
                all = busy + idle;
            } else if (line.startsWith("cpu")) {
                cpus++;
            }
        }
        return busy < 0 ? Sample.UNKNOWN : new Sample(busy, all, cpus);
    }
}
