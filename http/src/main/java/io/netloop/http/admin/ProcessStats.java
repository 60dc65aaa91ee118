package io.netloop.http.admin;

import io.netloop.core.file.DescriptorLimit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The process as a whole: descriptors open and allowed, and the Java heap.
 *
 * @param openFds descriptors open now, or -1 where /proc is missing
 * @param maxFds the soft limit on descriptors, or -1 where it cannot be read
 * @param heapUsed heap bytes in use (including garbage not yet collected)
 * @param heapCommitted heap bytes the JVM holds from the system
 * @param heapMax the most the heap may grow to
 *
 * <p>Threading: immutable; {@link #now} from any thread.
 */
record ProcessStats(long openFds, long maxFds, long heapUsed, long heapCommitted, long heapMax) {
    static ProcessStats now() {
        Runtime rt = Runtime.getRuntime();
        long total = rt.totalMemory();
        return new ProcessStats(countOpenFds(), readMaxFds(), total - rt.freeMemory(), total, rt.maxMemory());
    }

    private static long countOpenFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count() - 1; // the listing's own descriptor
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    private static long readMaxFds() {
        try {
            return DescriptorLimit.current().soft();
        } catch (Exception | LinkageError e) {
            return -1; // no native access (the NIO fallback): the limit is simply not reported
        }
    }
}
