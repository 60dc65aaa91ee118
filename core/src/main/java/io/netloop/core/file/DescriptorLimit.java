package io.netloop.core.file;

import io.netloop.core.sys.linux.Limits;
import io.netloop.core.sys.linux.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's limit on open descriptors (RLIMIT_NOFILE), which files and sockets share:
 * what {@code ulimit -n} shows and sets.
 *
 * <p>Threading: immutable; the static methods from any thread.
 *
 * @param soft the limit in force; {@code Long.MAX_VALUE} for unlimited
 * @param hard how far an unprivileged process may raise the soft limit
 */
public record DescriptorLimit(long soft, long hard) {
    /** The limits now: getrlimit(2), or /proc/self/limits where the kernel bindings are unavailable. */
    public static DescriptorLimit current() throws IOException {
        if (Native.isAvailable()) {
            Limits.FileLimit l = Limits.openFiles();
            return new DescriptorLimit(l.soft(), l.hard());
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (!line.startsWith("Max open files")) continue;
            String[] f = line.substring("Max open files".length()).trim().split("\\s+");
            return new DescriptorLimit(parse(f[0]), parse(f[1]));
        }
        throw new IOException("/proc/self/limits has no 'Max open files' line");
    }

    /**
     * Sets the soft limit (the hard one stays): lowering always works, raising above the hard
     * limit fails with EINVAL. Needs the kernel bindings (native access for io.netloop.core).
     */
    public static void setSoft(long soft) throws IOException {
        if (!Native.isAvailable())
            throw new IOException("cannot set the descriptor limit: " + Native.unavailableReason());
        Limits.setOpenFiles(soft);
    }

    private static long parse(String s) {
        return s.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(s);
    }
}
