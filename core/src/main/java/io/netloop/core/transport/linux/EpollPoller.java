package io.netloop.core.transport.linux;

import io.netloop.core.sys.Errno;
import io.netloop.core.sys.ErrnoException;
import io.netloop.core.sys.linux.Epoll;
import io.netloop.core.sys.linux.HotCalls;
import io.netloop.core.sys.linux.Net;
import io.netloop.core.sys.linux.SysConst;
import io.netloop.core.transport.Interest;
import io.netloop.core.transport.Poller;
import io.netloop.core.transport.Selectable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * {@link Poller} on epoll(7), level- or edge-triggered per channel, with EPOLLONESHOT and
 * EPOLLRDHUP, and an eventfd for wake-ups.
 *
 * <p>Each registration's {@code epoll_data} is its caller's token, handed back as it is: the
 * poller keeps no table of its own.
 *
 * <p>Owns the epoll descriptor, the eventfd and one shared arena (event array and the
 * {@code epoll_ctl} scratch event), all released by {@link #close}. Threading: the owning
 * loop's thread, but {@link #wakeup} from any.
 */
public final class EpollPoller implements Poller {
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
            if (fd >= 0) Net.close(fd);
            arena.close();
            throw e;
        }
        this.epfd = fd;
        this.wakeup = w;
    }

    @Override
    public void register(Selectable source, long token, int interest, int flags) throws IOException {
        HotCalls.epollCtl(epfd, SysConst.EPOLL_CTL_ADD, source.fd(), epollEvents(interest, flags), token, scratch);
    }

    @Override
    public void update(Selectable source, long token, int interest, int flags) throws IOException {
        HotCalls.epollCtl(epfd, SysConst.EPOLL_CTL_MOD, source.fd(), epollEvents(interest, flags), token, scratch);
    }

    @Override
    public void deregister(Selectable source, boolean closing) {
        // close(2) takes the descriptor out of the interest list (the last reference to the open
        // file goes; netloop never duplicates a socket's descriptor): EPOLL_CTL_DEL would be a
        // system call for nothing. nginx does the same (ngx_close_connection, NGX_CLOSE_EVENT).
        if (closing) return;
        try {
            Epoll.ctl(epfd, SysConst.EPOLL_CTL_DEL, source.fd(), 0, 0, scratch);
        } catch (ErrnoException e) {
            // ENOENT/EBADF: the descriptor is already closed, which removed it from the set.
            if (e.errno() != Errno.ENOENT && e.errno() != Errno.EBADF) {
                System.getLogger(EpollPoller.class.getName())
                        .log(System.Logger.Level.WARNING, "removing fd " + source.fd() + " from " + name, e);
            }
        }
    }

    @Override
    public int poll(int timeoutMillis, Sink sink) throws IOException {
        int n = HotCalls.epollWait(epfd, events, eventCapacity, timeoutMillis);
        int reported = 0;
        for (int i = 0; i < n; i++) {
            long token = Epoll.data(events, i);
            if (token == WAKEUP_TOKEN) {
                wakeup.drain();
                continue;
            }
            sink.ready(token, readyOps(Epoll.events(events, i)));
            reported++;
        }
        if (n == eventCapacity && eventCapacity < MAX_EVENTS) {
            // A full array means more may be waiting; a larger one drains bursts in fewer calls.
            eventCapacity *= 2;
            events = Epoll.allocateEvents(arena, eventCapacity);
        }
        return reported;
    }

    @Override
    public void wakeup() {
        wakeup.signal();
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
            Net.close(epfd);
        } catch (ErrnoException e) {
            System.getLogger(EpollPoller.class.getName())
                    .log(System.Logger.Level.WARNING, "closing the epoll descriptor", e);
        }
        arena.close();
    }

    private static int epollEvents(int interest, int flags) {
        int ev = 0;
        // RDHUP with READ: the peer's FIN shows up as such, so a reader can drain then stop.
        if ((interest & Interest.READ) != 0) ev |= SysConst.EPOLLIN | SysConst.EPOLLRDHUP;
        if ((interest & Interest.WRITE) != 0) ev |= SysConst.EPOLLOUT;
        if ((flags & EDGE_TRIGGERED) != 0) ev |= SysConst.EPOLLET;
        if ((flags & ONE_SHOT) != 0) ev |= SysConst.EPOLLONESHOT;
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
