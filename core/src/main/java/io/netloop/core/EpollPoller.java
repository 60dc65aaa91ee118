package io.netloop.core;

import io.netloop.sys.Epoll;
import io.netloop.sys.Errno;
import io.netloop.sys.ErrnoException;
import io.netloop.sys.SysConst;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * {@link Poller} on epoll(7), level- or edge-triggered per channel, with EPOLLONESHOT and
 * EPOLLRDHUP, and an eventfd for wake-ups.
 *
 * <p>Each registration's {@code epoll_data} is a token: a slot in a table of channels and a
 * generation. A channel closed by an earlier handler in the same batch, whose slot a
 * freshly accepted connection may already reuse, is thus never called with the stale event.
 *
 * <p>Owns the epoll descriptor, the eventfd and one shared arena (event array and the
 * {@code epoll_ctl} scratch event), all released by {@link #close}. Threading: the owning
 * loop's thread, but {@link #wakeup} from any.
 */
final class EpollPoller implements Poller {
    private static final long WAKEUP_TOKEN = -1L;
    private static final int INITIAL_EVENTS = 256;
    private static final int MAX_EVENTS = 4096;

    private final int epfd;
    private final Wakeup wakeup;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment scratch;
    private final String name;
    private MemorySegment events;
    private int eventCapacity = INITIAL_EVENTS;

    private Channel[] slots = new Channel[64];
    private int[] freeSlots = new int[64];
    private int freeCount;
    private int nextSlot;
    private int generation;
    private int size;
    private boolean closed;

    EpollPoller(String name) throws IOException {
        this.name = name;
        int fd = -1;
        Wakeup w = null;
        try {
            fd = Epoll.create();
            w = new Wakeup();
            scratch = Epoll.allocateEvents(arena, 1);
            events = Epoll.allocateEvents(arena, eventCapacity);
            Epoll.ctl(fd, SysConst.EPOLL_CTL_ADD, w.fd(), SysConst.EPOLLIN, WAKEUP_TOKEN, scratch);
        } catch (IOException | RuntimeException e) {
            if (w != null) w.close();
            if (fd >= 0) io.netloop.sys.Net.close(fd);
            arena.close();
            throw e;
        }
        this.epfd = fd;
        this.wakeup = w;
    }

    @Override
    public void register(Channel ch) throws IOException {
        int slot = freeCount > 0 ? freeSlots[--freeCount] : nextSlot++;
        if (slot >= slots.length) slots = Arrays.copyOf(slots, slots.length * 2);
        int gen = ++generation;
        try {
            Epoll.ctl(epfd, SysConst.EPOLL_CTL_ADD, ch.source.fd(), epollEvents(ch), token(slot, gen), scratch);
        } catch (ErrnoException e) {
            releaseSlot(slot);
            throw e;
        }
        slots[slot] = ch;
        ch.slot = slot;
        ch.generation = gen;
        size++;
    }

    @Override
    public void update(Channel ch) throws IOException {
        Epoll.ctl(epfd, SysConst.EPOLL_CTL_MOD, ch.source.fd(), epollEvents(ch), token(ch.slot, ch.generation), scratch);
    }

    @Override
    public void deregister(Channel ch) {
        int slot = ch.slot;
        if (slot < 0 || slots[slot] != ch) return;
        try {
            Epoll.ctl(epfd, SysConst.EPOLL_CTL_DEL, ch.source.fd(), 0, 0, scratch);
        } catch (ErrnoException e) {
            // ENOENT/EBADF: the descriptor is already closed, which removed it from the set.
            if (e.errno() != Errno.ENOENT && e.errno() != Errno.EBADF) {
                ch.loop.reportFailure("removing " + ch, e);
            }
        }
        slots[slot] = null;
        ch.slot = -1;
        releaseSlot(slot);
        size--;
    }

    private void releaseSlot(int slot) {
        if (freeCount == freeSlots.length) freeSlots = Arrays.copyOf(freeSlots, freeSlots.length * 2);
        freeSlots[freeCount++] = slot;
    }

    @Override
    public int poll(int timeoutMillis) throws IOException {
        int n = Epoll.wait(epfd, events, eventCapacity, timeoutMillis);
        int dispatched = 0;
        for (int i = 0; i < n; i++) {
            long data = Epoll.data(events, i);
            if (data == WAKEUP_TOKEN) {
                wakeup.drain();
                continue;
            }
            int slot = (int) data;
            int gen = (int) (data >>> 32);
            Channel ch = slot < slots.length ? slots[slot] : null;
            if (ch == null || ch.generation != gen) continue; // removed earlier in this batch
            ch.loop.dispatch(ch, readyOps(Epoll.events(events, i)));
            dispatched++;
        }
        if (n == eventCapacity && eventCapacity < MAX_EVENTS) {
            // A full array means more may be waiting; a larger one drains bursts in fewer calls.
            eventCapacity *= 2;
            events = Epoll.allocateEvents(arena, eventCapacity);
        }
        return dispatched;
    }

    @Override
    public void wakeup() {
        wakeup.signal();
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        wakeup.close();
        try {
            io.netloop.sys.Net.close(epfd);
        } catch (ErrnoException e) {
            System.getLogger(EpollPoller.class.getName()).log(System.Logger.Level.WARNING, "closing the epoll descriptor", e);
        }
        arena.close();
    }

    private static long token(int slot, int gen) {
        return ((long) gen << 32) | (slot & 0xFFFF_FFFFL);
    }

    private static int epollEvents(Channel ch) {
        int ev = 0;
        // RDHUP with READ: the peer's FIN shows up as such, so a reader can drain then stop.
        if ((ch.interest & Interest.READ) != 0) ev |= SysConst.EPOLLIN | SysConst.EPOLLRDHUP;
        if ((ch.interest & Interest.WRITE) != 0) ev |= SysConst.EPOLLOUT;
        if (ch.edgeTriggered) ev |= SysConst.EPOLLET;
        if (ch.oneShot) ev |= SysConst.EPOLLONESHOT;
        return ev;
    }

    private static int readyOps(int ev) {
        int ops = 0;
        if ((ev & SysConst.EPOLLIN) != 0) ops |= Interest.READ;
        if ((ev & SysConst.EPOLLOUT) != 0) ops |= Interest.WRITE;
        if ((ev & SysConst.EPOLLRDHUP) != 0) ops |= Interest.PEER_SHUTDOWN;
        if ((ev & SysConst.EPOLLHUP) != 0) ops |= Interest.HANGUP;
        if ((ev & SysConst.EPOLLERR) != 0) ops |= Interest.ERROR;
        return ops;
    }
}
