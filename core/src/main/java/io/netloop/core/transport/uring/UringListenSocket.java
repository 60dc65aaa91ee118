package io.netloop.core.transport.uring;

import io.netloop.core.sys.Errno;
import io.netloop.core.sys.ErrnoException;
import io.netloop.core.sys.linux.HotCalls;
import io.netloop.core.sys.linux.IoUring;
import io.netloop.core.sys.linux.Limits;
import io.netloop.core.sys.linux.Net;
import io.netloop.core.sys.linux.Poll;
import io.netloop.core.sys.linux.SockAddr;
import io.netloop.core.sys.linux.SysConst;
import io.netloop.core.transport.Interest;
import io.netloop.core.transport.ListenSocket;
import io.netloop.core.transport.StreamSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * A listening socket of the io_uring transport: a multishot IORING_OP_ACCEPT takes connections
 * in the kernel, one completion each, into a queue that {@link #accept} empties.
 *
 * <p>When the multishot accept is not armed (before the first, or after an error ended it),
 * {@link #accept} is a plain accept4(2) and the listener reports READ: the acceptor then sees
 * exactly what it sees on epoll, sheds connections with its spare descriptor through the same
 * calls, and the accept is armed again once accept4 says the queue is empty. Out of
 * descriptors, though, an io_uring accept fails the moment it is armed, pending connection or
 * not (it takes a descriptor number before it looks at the queue), so arming it then would
 * spin: while accepts fail with EMFILE or ENFILE the listener waits for a connection with a
 * one-shot POLLIN instead, as epoll would. Without READ interest (the acceptor paused) the
 * armed accept or poll is cancelled, so nothing is taken meanwhile.
 *
 * <p>Owns its descriptor and the accepted descriptors still queued. Threading: the owning
 * loop's thread, but {@link #localAddress} from any.
 */
final class UringListenSocket extends UringSource implements ListenSocket {
    private static final int NOT_ARMED = 0, ARMING = 1, ARMED = 2;

    private final int fd;
    private final InetSocketAddress local;
    /** Accepted descriptors, and accept errors as minus their errno, in completion order. */
    private int[] queue = new int[16];

    private int head;
    private int count;
    private int acceptState = NOT_ARMED;
    private boolean cancelling;
    /** Accepts fail for want of descriptors: wait for connections with POLLIN, not an accept. */
    private boolean shortage;
    /** An accept failed so since accept4 last found the queue empty. */
    private boolean failedSinceEmpty;

    private boolean pollWanted;
    private boolean pollArmed;
    private boolean pollCancelling;
    private boolean closed;
    /** {@link Limits#changes()} when the accept was armed: it took the descriptor limit then. */
    private int limitsArmed;

    UringListenSocket(int fd, InetSocketAddress local) {
        this.fd = fd;
        this.local = local;
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    @Override
    int readyOps() {
        return count > 0 || (acceptState == NOT_ARMED && !pollWanted && !closed) ? Interest.READ : 0;
    }

    private boolean accepting() {
        return registered && (interest & Interest.READ) != 0 && !closed && limitsArmed == Limits.changes();
    }

    @Override
    void registrationChanged() {
        if ((acceptState == ARMED || pollArmed) && !accepting()) dirty();
        if (pollWanted && !pollArmed && accepting()) dirty();
    }

    @Override
    void prepare() throws ErrnoException {
        if (acceptState == ARMING) {
            limitsArmed = Limits.changes();
            if (!accepting()) {
                acceptState = NOT_ARMED;
                return;
            }
            poller.ring.prepare(
                    IoUring.OP_ACCEPT,
                    0,
                    IoUring.ACCEPT_MULTISHOT,
                    fd,
                    0,
                    0,
                    0,
                    SysConst.SOCK_NONBLOCK | SysConst.SOCK_CLOEXEC,
                    userData(OP_ACCEPT),
                    0);
            acceptState = ARMED;
            limitsArmed = Limits.changes();
            inFlight++;
        } else if (acceptState == ARMED && !accepting() && !cancelling) {
            poller.ring.prepare(
                    IoUring.OP_ASYNC_CANCEL, 0, 0, -1, 0, userData(OP_ACCEPT), 0, 0, userData(OP_CANCEL), 0);
            cancelling = true;
            inFlight++;
        }
        boolean listening = registered && (interest & Interest.READ) != 0 && !closed;
        if (pollWanted && !pollArmed && listening) {
            poller.ring.prepare(IoUring.OP_POLL_ADD, 0, 0, fd, 0, 0, 0, Poll.POLLIN, userData(OP_POLL), 0);
            pollArmed = true;
            inFlight++;
        } else if (pollArmed && !listening && !pollCancelling) {
            poller.ring.prepare(IoUring.OP_ASYNC_CANCEL, 0, 0, -1, 0, userData(OP_POLL), 0, 0, userData(OP_CANCEL), 0);
            pollCancelling = true;
            inFlight++;
        }
    }

    @Override
    void complete(int op, int res, int flags) {
        if (op == OP_CANCEL) {
            inFlight--;
            return;
        }
        if (op == OP_POLL) {
            inFlight--;
            pollArmed = false;
            pollCancelling = false;
            // Readable (or cancelled, or the listener shut): accept4 says which, as on epoll.
            pollWanted = false;
            ready();
            return;
        }
        if (res == -Errno.EMFILE || res == -Errno.ENFILE) {
            shortage = true;
            failedSinceEmpty = true;
        }
        if (res >= 0) {
            if (closed) closeQuietly(res);
            else push(res);
            // The descriptor limit changed since the accept was armed: arm it again under the new one.
            if (acceptState == ARMED && limitsArmed != Limits.changes()) dirty();
        } else if (res != -Errno.ECANCELED && !closed) {
            push(res);
        }
        if ((flags & IoUring.CQE_F_MORE) == 0) {
            acceptState = NOT_ARMED;
            cancelling = false;
            inFlight--;
        }
        ready();
    }

    private void push(int v) {
        if (count == queue.length) {
            int[] bigger = new int[count * 2];
            for (int i = 0; i < count; i++) bigger[i] = queue[(head + i) % queue.length];
            queue = bigger;
            head = 0;
        }
        queue[(head + count++) % queue.length] = v;
    }

    @Override
    public StreamSocket accept() throws IOException {
        if (count > 0) {
            int v = queue[head];
            head = (head + 1) % queue.length;
            count--;
            if (v < 0) {
                if (v == -Errno.EMFILE || v == -Errno.ENFILE) failedSinceEmpty = true;
                throw new ErrnoException("accept", -v);
            }
            return new UringStreamSocket(v, false, SockAddr.NOT_PACKED);
        }
        if (acceptState != NOT_ARMED || pollWanted || closed) return null;
        int c;
        try {
            c = HotCalls.accept(fd);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EMFILE || e.errno() == Errno.ENFILE) {
                shortage = true;
                failedSinceEmpty = true;
            }
            throw e;
        }
        if (c == Net.WOULD_BLOCK) {
            if (shortage && failedSinceEmpty) {
                pollWanted = true; // still short: wait for a connection, not for an accept that fails
            } else {
                shortage = false;
                acceptState = ARMING; // the queue is empty: from here on the kernel accepts for us
            }
            failedSinceEmpty = false;
            dirty();
            return null;
        }
        return new UringStreamSocket(c, false, Net.acceptedPeer());
    }

    /**
     * Closes now, synchronously (a server that stops must free its port before it says so):
     * shutdown(2) takes the socket out of LISTEN, which ends the armed accept; the descriptor is
     * closed at once, and connections accepted but never taken with it.
     */
    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        registered = false;
        try {
            Net.shutdown(fd, SysConst.SHUT_RDWR);
        } catch (ErrnoException e) {
            // not listening any more: the close below is what counts
        }
        while (count > 0) {
            int v = queue[head];
            head = (head + 1) % queue.length;
            count--;
            if (v >= 0) closeQuietly(v);
        }
        Net.close(fd);
        dirty(); // cancels the accept if the shutdown did not end it
    }

    private static void closeQuietly(int accepted) {
        try {
            Net.close(accepted);
        } catch (ErrnoException e) {
            // a connection nobody used: nothing to report
        }
    }

    @Override
    void closeAtShutdown() {
        if (!closed) {
            try {
                close();
            } catch (IOException e) {
                // stopping anyway
            }
        }
    }

    @Override
    boolean finished() {
        return closed && inFlight == 0;
    }

    @Override
    public String toString() {
        return "io_uring listener fd " + fd + " on " + local + (count > 0 ? " " + Arrays.toString(queue) : "");
    }
}
