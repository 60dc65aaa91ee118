package io.netloop.core.tcp.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One descriptor held in reserve (on /dev/null) so that an acceptor out of descriptors can
 * still take a pending connection off the queue and close it, instead of leaving it there
 * to be reported ready again and again (muduo's idle-fd trick).
 *
 * <p>Threading: the acceptor's loop thread only.
 */
final class SpareDescriptor implements AutoCloseable {
    private static final Path DEV_NULL = Path.of("/dev/null");
    private FileChannel held;

    SpareDescriptor() {
        reacquire();
    }

    /** Gives the descriptor back to the process; false when none was held. */
    boolean release() {
        if (held == null) return false;
        try {
            held.close();
        } catch (IOException ignored) {
            // Closing /dev/null cannot fail in a way that leaves the descriptor open.
        }
        held = null;
        return true;
    }

    /** Takes a descriptor again; false when there was none to take. */
    boolean reacquire() {
        if (held != null) return true;
        try {
            held = FileChannel.open(DEV_NULL, StandardOpenOption.READ);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        release();
    }
}
