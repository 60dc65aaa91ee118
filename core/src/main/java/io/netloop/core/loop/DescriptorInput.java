package io.netloop.core.loop;

import io.netloop.core.sys.Errno;
import io.netloop.core.sys.ErrnoException;
import io.netloop.core.sys.linux.Net;
import io.netloop.core.sys.linux.Poll;
import io.netloop.core.transport.Selectable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;

/**
 * Input from a descriptor the loop does not own (standard input, a pipe, a terminal, a
 * socket someone else made) as bytes delivered on an {@link EventLoop}, so that one loop
 * serves the keyboard and the sockets alike: a {@link Channel} over any descriptor.
 *
 * <p>Two ways, chosen at {@link #open}:
 * <ul>
 *   <li>{@link Mode#POLLER}: the descriptor is registered with the loop's poller, which works
 *       for a terminal, a pipe or a socket. The descriptor stays blocking (it is shared with
 *       the shell, which would inherit O_NONBLOCK), so it is read only when the poller, and
 *       then poll(2) with no wait, say it is readable; each read is bounded.</li>
 *   <li>{@link Mode#THREAD}: where the poller refuses the descriptor (epoll says EPERM for
 *       regular files and /dev/null; NIO cannot select a non-socket at all) or there is no
 *       descriptor (an in-memory stream), a daemon thread reads the stream and hands each
 *       chunk to the loop with {@link EventLoop#execute}, one chunk in flight at a time.</li>
 * </ul>
 * {@link #pause} and {@link #resume} stop and restart delivery in both, so the reader can
 * hold back input while a command is in progress.
 *
 * <p>Does not own the descriptor or the stream: closing stops reading, never closes them
 * (standard input belongs to the process). Threading: created, used and closed on the
 * loop thread; the {@link Sink} is called there.
 */
public final class DescriptorInput implements AutoCloseable {
    /** Receives the input on the loop thread. */
    public interface Sink {
        void bytes(byte[] b, int off, int len);

        /** End of input: {@code failure} is null at end of stream. Called once, and never after {@link #close}. */
        void end(IOException failure);
    }

    /** How the input is read: see the class comment. */
    public enum Mode {
        POLLER,
        THREAD
    }

    private static final int CHUNK = 4096;
    /** Bytes read per wake-up before the loop serves others; more waits for the next pass. */
    private static final int BUDGET = 64 * 1024;

    private final EventLoop loop;
    private final Sink sink;
    private final Mode mode;
    private final byte[] chunk = new byte[CHUNK];
    private boolean paused;
    private boolean done;

    // POLLER
    private final int fd;
    private Channel channel;
    private Arena arena;
    private MemorySegment pollFd;

    // THREAD
    private Thread reader;
    private final Semaphore inFlight = new Semaphore(0);
    private boolean permitHeld;

    private DescriptorInput(EventLoop loop, int fd, Sink sink, Mode mode) {
        this.loop = loop;
        this.fd = fd;
        this.sink = sink;
        this.mode = mode;
    }

    /**
     * Starts delivering input to {@code sink}. Loop thread.
     *
     * @param fd the descriptor to watch, or -1 to read {@code stream} on a thread
     * @param stream read on a thread when the poller cannot watch {@code fd}
     */
    public static DescriptorInput open(EventLoop loop, int fd, InputStream stream, Sink sink) {
        loop.assertInLoop();
        if (fd >= 0) {
            DescriptorInput polled = new DescriptorInput(loop, fd, sink, Mode.POLLER);
            if (polled.register()) return polled;
        }
        DescriptorInput threaded = new DescriptorInput(loop, -1, sink, Mode.THREAD);
        threaded.startReader(stream);
        return threaded;
    }

    public Mode mode() {
        return mode;
    }

    private boolean register() {
        Selectable source = () -> fd;
        Channel ch = loop.newChannel(source, ops -> drain(true));
        try {
            ch.enableReading();
        } catch (UncheckedIOException | IllegalArgumentException refused) {
            // EPERM (a regular file), or a poller without descriptors (NIO): read on a thread instead.
            return false;
        }
        channel = ch;
        arena = Arena.ofShared();
        pollFd = Poll.allocatePollFds(arena, 1);
        Poll.setPollFd(pollFd, 0, fd, Poll.POLLIN);
        return true;
    }

    /** Reads while the descriptor has input, up to a budget; {@code reported}: the poller just said so. */
    private void drain(boolean reported) {
        int budget = BUDGET;
        boolean readable = reported;
        while (!done && !paused && budget > 0 && (readable || readableNow())) {
            readable = false;
            int n;
            try {
                // An ordinary (not critical) downcall: the descriptor is blocking, and another
                // reader of the same terminal may take the input between poll and read.
                n = Net.readBlocking(fd, chunk, 0, chunk.length);
            } catch (ErrnoException e) {
                if (e.errno() == Errno.EAGAIN) return; // someone set O_NONBLOCK on it: nothing now
                finish(e);
                return;
            }
            if (n == 0) {
                finish(null);
                return;
            }
            budget -= n;
            sink.bytes(chunk, 0, n);
        }
        // Edge-triggered pollers report only new input: come back for what the budget left.
        if (!done && !paused && budget <= 0) loop.runLater(() -> drain(false));
    }

    private boolean readableNow() {
        try {
            return Poll.poll(pollFd, 1, 0) > 0
                    && (Poll.revents(pollFd, 0) & (Poll.POLLIN | Poll.POLLHUP | Poll.POLLERR)) != 0;
        } catch (ErrnoException e) {
            finish(e);
            return false;
        }
    }

    private void startReader(InputStream stream) {
        reader = Thread.ofPlatform().daemon().name("netloop-console-input").start(() -> readStream(stream));
    }

    /** On the reader thread: one chunk at a time, each handed to the loop. */
    private void readStream(InputStream stream) {
        byte[] buf = new byte[CHUNK];
        IOException failure = null;
        try {
            for (; ; ) {
                int n = stream.read(buf);
                if (n < 0) break;
                if (n == 0) continue;
                byte[] copy = Arrays.copyOf(buf, n);
                loop.execute(() -> deliver(copy));
                inFlight.acquire(); // released once the loop has taken the chunk (and is not paused)
            }
        } catch (IOException e) {
            failure = e;
        } catch (InterruptedException | RejectedExecutionException closing) {
            return;
        }
        IOException cause = failure;
        try {
            loop.execute(() -> finish(cause));
        } catch (RejectedExecutionException closing) {
            // the loop is gone: nobody is left to tell
        }
    }

    private void deliver(byte[] bytes) {
        if (done) return;
        sink.bytes(bytes, 0, bytes.length);
        if (paused) {
            permitHeld = true;
        } else {
            inFlight.release();
        }
    }

    /** Stops delivering until {@link #resume}. Loop thread. */
    public void pause() {
        if (paused || done) return;
        paused = true;
        // Removed, not just without READ: a pipe whose writer is gone reports EPOLLHUP whatever
        // the interest, which would spin a level-triggered loop until resume.
        if (channel != null) channel.remove();
    }

    public void resume() {
        if (!paused || done) return;
        paused = false;
        if (channel != null) {
            channel.enableReading(); // registers it again
            loop.runLater(() -> drain(false));
        } else if (permitHeld) {
            permitHeld = false;
            inFlight.release();
        }
    }

    private void finish(IOException failure) {
        if (done) return;
        stop();
        sink.end(failure);
    }

    /** Stops reading; the descriptor and the stream stay open. Loop thread; idempotent. */
    @Override
    public void close() {
        stop();
    }

    private void stop() {
        if (done) return;
        done = true;
        if (channel != null) {
            channel.remove();
            arena.close();
        }
        if (reader != null) reader.interrupt(); // ends it unless it is blocked reading the stream
    }
}
