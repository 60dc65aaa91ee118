package io.netloop.core.transport.linux;

import io.netloop.core.sys.linux.Poll;
import io.netloop.core.transport.Interest;
import io.netloop.core.transport.Poller;
import io.netloop.core.transport.Selectable;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * {@link Poller} on select(2), for the lab: two 1024-bit descriptor sets copied to the
 * kernel and back on every wait, then scanned up to the highest descriptor. It cannot watch
 * a descriptor of 1024 or more (FD_SETSIZE), and says so when asked to.
 *
 * <p>Owns its sets and an eventfd for wake-ups. Threading: the owning loop's thread, but
 * {@link #wakeup} from any.
 */
final class SelectPoller implements Poller {
    private final Wakeup wakeup;
    private boolean closed;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment readSet;
    private final MemorySegment writeSet;
    private final MemorySegment readyRead;
    private final MemorySegment readyWrite;
    private final MemorySegment timeval;
    /** Per descriptor: registered, its token and flags. */
    private final boolean[] registered = new boolean[Poll.FD_SETSIZE];

    private final long[] tokens = new long[Poll.FD_SETSIZE];
    private final int[] flags = new int[Poll.FD_SETSIZE];
    private final long[] readyTokens = new long[Poll.FD_SETSIZE];
    private final int[] readyOps = new int[Poll.FD_SETSIZE];
    private int maxFd;

    SelectPoller() throws IOException {
        wakeup = new Wakeup();
        readSet = Poll.allocateFdSet(arena);
        writeSet = Poll.allocateFdSet(arena);
        readyRead = Poll.allocateFdSet(arena);
        readyWrite = Poll.allocateFdSet(arena);
        timeval = arena.allocate(16, 8);
        Poll.fdSet(readSet, wakeup.fd());
        maxFd = wakeup.fd();
    }

    @Override
    public void register(Selectable source, long token, int interest, int flags) throws IOException {
        int fd = source.fd();
        if (fd >= Poll.FD_SETSIZE) {
            throw new IOException("select(2) cannot watch fd " + fd + ": FD_SETSIZE is " + Poll.FD_SETSIZE
                    + "; use --io poll or --io epoll for more connections");
        }
        registered[fd] = true;
        maxFd = Math.max(maxFd, fd);
        update(source, token, interest, flags);
    }

    @Override
    public void update(Selectable source, long token, int interest, int flags) {
        int fd = source.fd();
        tokens[fd] = token;
        this.flags[fd] = flags;
        if ((interest & Interest.READ) != 0) Poll.fdSet(readSet, fd);
        else Poll.fdClear(readSet, fd);
        if ((interest & Interest.WRITE) != 0) Poll.fdSet(writeSet, fd);
        else Poll.fdClear(writeSet, fd);
    }

    @Override
    public void deregister(Selectable source, boolean closing) {
        int fd = source.fd();
        if (fd < 0 || fd >= Poll.FD_SETSIZE || !registered[fd]) return;
        registered[fd] = false;
        Poll.fdClear(readSet, fd);
        Poll.fdClear(writeSet, fd);
    }

    @Override
    public int poll(int timeoutMillis, Sink sink) throws IOException {
        MemorySegment.copy(readSet, 0, readyRead, 0, Poll.FD_SET_BYTES);
        MemorySegment.copy(writeSet, 0, readyWrite, 0, Poll.FD_SET_BYTES);
        MemorySegment tv = MemorySegment.NULL;
        if (timeoutMillis >= 0) {
            timeval.set(ValueLayout.JAVA_LONG, 0, timeoutMillis / 1000);
            timeval.set(ValueLayout.JAVA_LONG, 8, (timeoutMillis % 1000) * 1000L);
            tv = timeval;
        }
        int n = Poll.select(maxFd + 1, readyRead, readyWrite, tv);
        if (n == 0) return 0;
        int found = 0;
        for (int fd = 0; fd <= maxFd; fd++) {
            boolean r = Poll.fdIsSet(readyRead, fd);
            boolean w = Poll.fdIsSet(readyWrite, fd);
            if (!r && !w) continue;
            if (fd == wakeup.fd()) {
                wakeup.drain();
                continue;
            }
            if (!registered[fd]) continue;
            if ((flags[fd] & ONE_SHOT) != 0) {
                Poll.fdClear(readSet, fd);
                Poll.fdClear(writeSet, fd);
            }
            readyTokens[found] = tokens[fd];
            readyOps[found++] = (r ? Interest.READ : 0) | (w ? Interest.WRITE : 0);
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
        return "select";
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        wakeup.close();
        arena.close();
    }
}
