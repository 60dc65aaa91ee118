package io.netloop.core;

import io.netloop.sys.Poll;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * {@link Poller} on poll(2), for the lab: level-triggered, one {@code struct pollfd} per
 * channel, the whole array handed to the kernel on every wait, so each wait costs O(all
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
    private Channel[] channels;
    private int count = 1;
    // Ready channels of one wait, collected before dispatch because handlers change the array.
    private Channel[] ready = new Channel[16];
    private int[] readyOps = new int[16];

    PollPoller() throws IOException {
        wakeup = new Wakeup();
        fds = Poll.allocatePollFds(arena, 64);
        channels = new Channel[64];
        Poll.setPollFd(fds, 0, wakeup.fd(), Poll.POLLIN);
    }

    @Override
    public void register(Channel ch) {
        if (count == channels.length) grow();
        ch.slot = count++;
        channels[ch.slot] = ch;
        Poll.setPollFd(fds, ch.slot, ch.source.fd(), events(ch));
    }

    @Override
    public void update(Channel ch) {
        Poll.setPollFd(fds, ch.slot, ch.source.fd(), events(ch));
    }

    @Override
    public void deregister(Channel ch) {
        int slot = ch.slot;
        if (slot <= 0 || channels[slot] != ch) return;
        int last = --count;
        if (slot != last) {
            Channel moved = channels[last];
            channels[slot] = moved;
            moved.slot = slot;
            Poll.setPollFd(fds, slot, Poll.pollFd(fds, last), Poll.events(fds, last));
        }
        channels[last] = null;
        ch.slot = -1;
    }

    private void grow() {
        Arena bigger = Arena.ofShared();
        MemorySegment copy = Poll.allocatePollFds(bigger, channels.length * 2);
        MemorySegment.copy(fds, 0, copy, 0, (long) count * Poll.POLLFD_SIZE);
        arena.close();
        arena = bigger;
        fds = copy;
        channels = Arrays.copyOf(channels, channels.length * 2);
    }

    @Override
    public int poll(int timeoutMillis) throws IOException {
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
            Channel ch = channels[i];
            if (ch.oneShot) Poll.setPollFd(fds, i, ch.source.fd(), (short) 0);
            if (found == ready.length) {
                ready = Arrays.copyOf(ready, found * 2);
                readyOps = Arrays.copyOf(readyOps, found * 2);
            }
            ready[found] = ch;
            readyOps[found++] = ops(rev);
        }
        for (int i = 0; i < found; i++) {
            Channel ch = ready[i];
            ready[i] = null;
            if (ch.slot > 0 && channels[ch.slot] == ch) ch.loop.dispatch(ch, readyOps[i]);
        }
        return found;
    }

    @Override
    public void wakeup() {
        wakeup.signal();
    }

    @Override
    public int size() {
        return count - 1;
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

    private static short events(Channel ch) {
        int ev = 0;
        if ((ch.interest & Interest.READ) != 0) ev |= Poll.POLLIN | Poll.POLLRDHUP;
        if ((ch.interest & Interest.WRITE) != 0) ev |= Poll.POLLOUT;
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
