package io.netloop.core.transport.uring;

import io.netloop.core.sys.ErrnoException;
import io.netloop.core.transport.Interest;
import io.netloop.core.transport.Poller;
import io.netloop.core.transport.Selectable;

/**
 * Something a {@link UringPoller} watches: a socket of this transport (or a foreign descriptor
 * it polls), with the operations it has in the ring and the readiness those operations'
 * completions emulate.
 *
 * <p>A source is <em>bound</em> to one poller from its first registration until it is closed
 * and the kernel has completed every operation it started ({@link #inFlight} back to 0): only
 * then is its slot free for another. Each completion's user data carries the slot and the
 * binding's generation ({@link #userData}), so a completion that outlived its source is
 * recognised and never touches what now has the slot.
 *
 * <p>Registration (the loop's token, interest and flags) is separate from binding: a source
 * may be deregistered and registered again while bound, and a closed connection is
 * deregistered before its last completions arrive; those then only settle the socket's own
 * bookkeeping (buffers back to the ring, the descriptor closed).
 *
 * <p>Threading: the owning loop's thread only.
 */
abstract class UringSource implements Selectable {
    // Operation codes in a completion's user data (its low 8 bits).
    static final int OP_RECV = 1;
    static final int OP_SEND = 2;
    static final int OP_SEND_LAST = 3;
    static final int OP_ACCEPT = 4;
    static final int OP_POLL = 5;
    static final int OP_CANCEL = 6;
    static final int OP_CLOSE = 7;
    static final int OP_RECVMSG = 8;

    UringPoller poller;
    int slot = -1;
    int generation;
    /** Operations started and not yet completed for good (a multishot one counts once, until its last completion). */
    int inFlight;

    long token;
    int interest;
    int pollerFlags;
    boolean registered;
    /** One-shot: reported once, silent until the next update. */
    boolean disarmed;

    boolean inReadyList;
    boolean inDirtyList;

    /** {@link Interest} bits this source could report now, before its interest is applied. */
    abstract int readyOps();

    /** Puts the operations this source needs now into the ring (the poller calls it for dirty sources). */
    abstract void prepare() throws ErrnoException;

    /** One completion of an operation of this source. */
    abstract void complete(int op, int res, int flags);

    /** Bound to {@link #poller}: the first registration. */
    void bound() {}

    /** The registration changed: interest, flags, or deregistered. */
    void registrationChanged() {}

    /** Whether the slot may be given up: closed, nothing left in the kernel. */
    abstract boolean finished();

    /** Unbound: give back what the poller lent (buffers, chunks). */
    void unbound() {}

    /** Reported to the loop just now. */
    void reported() {}

    /** The poller is closing and this source is still bound: close it (a foreign descriptor: only stop watching). */
    abstract void closeAtShutdown();

    final long userData(int op) {
        return ((long) generation << 32) | ((long) slot << 8) | op;
    }

    /** Puts this source on the poller's list of sources with something to prepare. */
    final void dirty() {
        if (poller != null) poller.markDirty(this);
    }

    /** Puts this source on the poller's list of sources that may have something to report. */
    final void ready() {
        if (poller != null) poller.markReady(this);
    }

    /** What a report for this source carries now: its ready bits within its interest (errors always). */
    final int reportable() {
        if (!registered || disarmed) return 0;
        // As epoll: HUP and ERR whatever the interest, RDHUP only with reading (EPOLLRDHUP goes with EPOLLIN).
        int mask = interest | Interest.HANGUP | Interest.ERROR;
        if ((interest & Interest.READ) != 0) mask |= Interest.PEER_SHUTDOWN;
        return readyOps() & mask;
    }

    /** For a report of what is stuck: the source and what it has in the kernel. */
    String describe() {
        return this + " (" + inFlight + " in flight)";
    }

    final boolean oneShot() {
        return (pollerFlags & Poller.ONE_SHOT) != 0;
    }
}
