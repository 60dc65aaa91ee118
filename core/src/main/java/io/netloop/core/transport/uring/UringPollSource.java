package io.netloop.core.transport.uring;

import io.netloop.core.sys.Errno;
import io.netloop.core.sys.ErrnoException;
import io.netloop.core.sys.linux.Fds;
import io.netloop.core.sys.linux.IoUring;
import io.netloop.core.sys.linux.Poll;
import io.netloop.core.transport.Interest;

/**
 * A descriptor the loop watches but does not own (standard input, a pipe, an eventfd): a
 * one-shot IORING_OP_POLL_ADD for what it is interested in, armed again after each report.
 * poll arms against the descriptor's current state, so a descriptor that is still readable
 * completes again at once: level-triggered, as the loop expects.
 *
 * <p>A regular file or a directory is refused with EPERM, as epoll refuses it (it is always
 * "ready"): callers then read it on a thread of their own.
 *
 * <p>Does not own the descriptor. Threading: the owning loop's thread only.
 */
final class UringPollSource extends UringSource {
    private final int fd;
    private boolean armed;
    private boolean cancelling;
    private int revents;

    private UringPollSource(int fd) {
        this.fd = fd;
    }

    static UringPollSource watch(int fd) throws ErrnoException {
        Fds.FileStat stat = Fds.stat(fd);
        if (stat.regularFile() || stat.directory()) {
            throw new ErrnoException("io_uring poll", Errno.EPERM, "(fd " + fd + " is a file: always ready)");
        }
        return new UringPollSource(fd);
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    int readyOps() {
        int ops = 0;
        if ((revents & Poll.POLLIN) != 0) ops |= Interest.READ;
        if ((revents & Poll.POLLOUT) != 0) ops |= Interest.WRITE;
        if ((revents & Poll.POLLRDHUP) != 0) ops |= Interest.PEER_SHUTDOWN;
        if ((revents & Poll.POLLHUP) != 0) ops |= Interest.HANGUP;
        if ((revents & (Poll.POLLERR | Poll.POLLNVAL)) != 0) ops |= Interest.ERROR;
        return ops;
    }

    @Override
    void bound() {
        dirty();
    }

    @Override
    void registrationChanged() {
        dirty();
    }

    @Override
    void reported() {
        revents = 0;
        dirty();
    }

    @Override
    void prepare() throws ErrnoException {
        if (!registered) {
            if (armed && !cancelling) {
                poller.ring.prepare(
                        IoUring.OP_ASYNC_CANCEL, 0, 0, -1, 0, userData(OP_POLL), 0, 0, userData(OP_CANCEL), 0);
                cancelling = true;
                inFlight++;
            }
            return;
        }
        if (armed || revents != 0 || interest == 0) return;
        int events = 0;
        if ((interest & Interest.READ) != 0) events |= Poll.POLLIN | Poll.POLLRDHUP;
        if ((interest & Interest.WRITE) != 0) events |= Poll.POLLOUT;
        poller.ring.prepare(IoUring.OP_POLL_ADD, 0, 0, fd, 0, 0, 0, events, userData(OP_POLL), 0);
        armed = true;
        inFlight++;
    }

    @Override
    void complete(int op, int res, int flags) {
        inFlight--;
        if (op == OP_CANCEL) return;
        armed = false;
        cancelling = false;
        if (res > 0 && registered) {
            revents = res;
            ready();
        } else if (res < 0 && res != -Errno.ECANCELED && registered) {
            revents = Poll.POLLERR;
            ready();
        }
    }

    @Override
    boolean finished() {
        return !registered && inFlight == 0;
    }

    @Override
    void closeAtShutdown() {
        registered = false;
        dirty();
    }

    @Override
    public String toString() {
        return "io_uring poll on fd " + fd;
    }
}
