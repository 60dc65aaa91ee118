package io.netloop.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of a server's event-loop threads, one figure per thread name, so that a run with
 * several loops shows how evenly they shared the work (the process-wide total of
 * {@link CpuClock} cannot).
 *
 * <p>Reads {@code utime + stime} from {@code /proc/<pid>/task/<tid>/stat} for each thread
 * whose name starts with one of {@link #PREFIXES}. Those fields count clock ticks of USER_HZ, which
 * is fixed at 100 in the kernel's ABI on x86 and arm64 whatever the kernel's HZ, so one tick
 * is 10 ms here. Threads with the same name are summed. A thread that exits between two
 * samples drops out; the loops live as long as the server.
 *
 * <p>Threading: stateless; any thread.
 */
final class ThreadCpu {
    /** netloop names its loop threads {@code netloop-<loop name>}, the Netty peers theirs {@code netty-<peer>-...}. */
    static final List<String> PREFIXES = List.of("netloop-", "netty-");

    private static final long NANOS_PER_TICK = 10_000_000L;

    private ThreadCpu() {}

    /** CPU nanoseconds by thread name; empty when pid is -1, gone or unreadable. */
    static Map<String, Long> loopNanos(long pid) {
        Map<String, Long> byName = new TreeMap<>();
        if (pid < 0) return byName;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (NoSuchFileException exited) {
                    continue;
                }
                // "tid (comm) state ppid ...": comm may hold spaces and parentheses, so cut at the last ')'.
                int open = stat.indexOf('('), close = stat.lastIndexOf(')');
                String name = stat.substring(open + 1, close);
                if (PREFIXES.stream().noneMatch(name::startsWith)) continue;
                String[] f = stat.substring(close + 2).split(" ");
                // After the comm: f[0] is field 3 (state), so utime (field 14) is f[11], stime f[12].
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                byName.merge(name, ticks * NANOS_PER_TICK, Long::sum);
            }
        } catch (IOException | RuntimeException e) {
            byName.clear();
        }
        return byName;
    }

    /** {"name":seconds,...} of each thread's CPU between the two samples; "{}" when unknown. */
    static String json(Map<String, Long> before, Map<String, Long> after) {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Long> e : after.entrySet()) {
            Long b = before.get(e.getKey());
            if (b == null) continue;
            if (sb.length() > 1) sb.append(',');
            sb.append('"')
                    .append(e.getKey())
                    .append("\":")
                    .append(String.format(java.util.Locale.ROOT, "%.2f", (e.getValue() - b) / 1e9));
        }
        return sb.append('}').toString();
    }
}
