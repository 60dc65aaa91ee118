package io.netloop.core.transport.linux;

import io.netloop.core.sys.linux.Poll;
import io.netloop.core.transport.Interest;
import io.netloop.core.transport.Poller;
import io.netloop.core.transport.Selectable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * {@link Poller} on poll(2), for the lab: level-triggered, one {@code struct pollfd} per
 * source, the whole array handed to the kernel on every wait, so each wait costs O(all
 * channels), not O(ready ones) as with epoll. One-shot is emulated by clearing the events.
 *
 * <p>Owns its pollfd array (an arena replaced when the array grows), and an eventfd for
 * wake-ups in slot 0. Threading: the owning loop's thread, but {@link #wakeup} from any.
 */
final class PollPoller implements Poller {
    private final Wakeup wakeup;
    private boolean closed;
    private Arena arena = Arena.ofShared();
    private MemorySegment fds;
    /** Per pollfd slot: the registration's token and flags; slot 0 is the wake-up. */
    private long[] tokens = new long[64];

    private int[] flags = new int[64];
    /** Per descriptor: its pollfd slot, 0 when not registered. */
    private int[] slotOfFd = new int[64];

    private int count = 1;
    // Reports of one wait, collected before any is made: a report may change the array.
    private long[] readyTokens = new long[16];
    private int[] readyOps = new int[16];

    PollPoller() throws IOException {
        wakeup = new Wakeup();
        fds = Poll.allocatePollFds(arena, tokens.length);
        Poll.setPollFd(fds, 0, wakeup.fd(), Poll.POLLIN);
    }

    @Override
    public void register(Selectable source, long token, int interest, int flags) {
        int fd = source.fd();
        if (count == tokens.length) grow();
        if (fd >= slotOfFd.length) slotOfFd = Arrays.copyOf(slotOfFd, Math.max(fd + 1, slotOfFd.length * 2));
        int slot = count++;
        slotOfFd[fd] = slot;
        set(slot, fd, token, interest, flags);
    }

    @Override
    public void update(Selectable source, long token, int interest, int flags) {
        int fd = source.fd();
        set(slotOfFd[fd], fd, token, interest, flags);
    }

    private void set(int slot, int fd, long token, int interest, int flags) {
        tokens[slot] = token;
        this.flags[slot] = flags;
        Poll.setPollFd(fds, slot, fd, events(interest));
    }

    @Override
    public void deregister(Selectable source, boolean closing) {
        int fd = source.fd();
        int slot = fd >= 0 && fd < slotOfFd.length ? slotOfFd[fd] : 0;
        if (slot <= 0) return;
        slotOfFd[fd] = 0;
        int last = --count;
        if (slot != last) {
            // The last pollfd fills the hole, so the array the kernel scans stays dense.
            int movedFd = Poll.pollFd(fds, last);
            Poll.setPollFd(fds, slot, movedFd, Poll.events(fds, last));
            tokens[slot] = tokens[last];
            flags[slot] = flags[last];
            slotOfFd[movedFd] = slot;
        }
    }

    private void grow() {
        Arena bigger = Arena.ofShared();
        MemorySegment copy = Poll.allocatePollFds(bigger, tokens.length * 2);
        MemorySegment.copy(fds, 0, copy, 0, (long) count * Poll.POLLFD_SIZE);
        arena.close();
        arena = bigger;
        fds = copy;
        tokens = Arrays.copyOf(tokens, tokens.length * 2);
        flags = Arrays.copyOf(flags, flags.length * 2);
    }

    @Override
    public int poll(int timeoutMillis, Sink sink) throws IOException {
        int n = Poll.poll(fds, count, timeoutMillis);
        if (n == 0) return 0;
        int found = 0;
        for (int i = 0; i < count && found < n; i++) {
            short rev = Poll.revents(fds, i);
            if (rev == 0) continue;
            if (i == 0) {
                wakeup.drain();
                n--;
                continue;
            }
            if ((flags[i] & ONE_SHOT) != 0) Poll.setPollFd(fds, i, Poll.pollFd(fds, i), (short) 0);
            if (found == readyTokens.length) {
                readyTokens = Arrays.copyOf(readyTokens, found * 2);
                readyOps = Arrays.copyOf(readyOps, found * 2);
            }
            readyTokens[found] = tokens[i];
            readyOps[found++] = ops(rev);
        }
        for (int i = 0; i < found; i++) sink.ready(readyTokens[i], readyOps[i]);
        return found;
    }

    @Override
    public void wakeup() {
        wakeup.signal();
    }

    @Override
    public String name() {
        return "poll";
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        wakeup.close();
        arena.close();
    }

    private static short events(int interest) {
        int ev = 0;
        if ((interest & Interest.READ) != 0) ev |= Poll.POLLIN | Poll.POLLRDHUP;
        if ((interest & Interest.WRITE) != 0) ev |= Poll.POLLOUT;
        return (short) ev;
    }

    private static int ops(short rev) {
        int ops = 0;
        if ((rev & Poll.POLLIN) != 0) ops |= Interest.READ;
        if ((rev & Poll.POLLOUT) != 0) ops |= Interest.WRITE;
        if ((rev & Poll.POLLRDHUP) != 0) ops |= Interest.PEER_SHUTDOWN;
        if ((rev & Poll.POLLHUP) != 0) ops |= Interest.HANGUP;
        if ((rev & (Poll.POLLERR | Poll.POLLNVAL)) != 0) ops |= Interest.ERROR;
        return ops;
    }
}
