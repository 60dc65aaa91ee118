package io.netloop.core.loop;

import io.netloop.core.transport.Interest;
import io.netloop.core.transport.Poller;
import io.netloop.core.transport.Selectable;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One selectable source registered with one loop's {@link Poller}: what it waits for
 * ({@link Interest}), how (level- or edge-triggered, one-shot), and whom to tell. The source
 * may be a socket, an eventfd, a pipe or a terminal: anything with a descriptor (or, on NIO,
 * a JDK channel).
 *
 * <p>A Channel does not own its descriptor: the socket does, and closes it after the
 * channel is removed. Threading: every method on the owning loop's thread only.
 */
public final class Channel {
    final EventLoop loop;
    final Selectable source;
    IoHandler handler;
    final boolean edgeTriggered;
    boolean oneShot;
    int interest;
    boolean registered;
    /** The loop's token for this channel while registered: its slot and generation (see {@link EventLoop}). */
    long token;

    Channel(EventLoop loop, Selectable source, IoHandler handler, boolean edgeTriggered) {
        this.loop = loop;
        this.source = source;
        this.handler = handler;
        this.edgeTriggered = edgeTriggered;
    }

    public EventLoop loop() {
        return loop;
    }

    public Selectable source() {
        return source;
    }

    /**
     * Who is told from now on: for a connecting client's channel, which becomes its
     * connection's once the connection is established (NIO cannot register a channel again
     * until its cancelled key is flushed by the next select).
     */
    public void handler(IoHandler handler) {
        this.handler = handler;
    }

    public int interest() {
        return interest;
    }

    public boolean isEdgeTriggered() {
        return edgeTriggered;
    }

    public boolean isReading() {
        return (interest & Interest.READ) != 0;
    }

    public boolean isWriting() {
        return (interest & Interest.WRITE) != 0;
    }

    public void enableReading() {
        setInterest(interest | Interest.READ);
    }

    public void disableReading() {
        setInterest(interest & ~Interest.READ);
    }

    public void enableWriting() {
        setInterest(interest | Interest.WRITE);
    }

    public void disableWriting() {
        setInterest(interest & ~Interest.WRITE);
    }

    /**
     * One-shot: after one report the channel is disarmed (EPOLLONESHOT) until {@link #rearm}.
     * Lets a worker own the connection while the loop cannot report it again.
     */
    public void setOneShot(boolean oneShot) {
        this.oneShot = oneShot;
        if (registered) update();
    }

    /** Arms a one-shot channel again with its current interest. */
    public void rearm() {
        if (registered) update();
    }

    /**
     * Sets the interest; a one-shot channel is re-armed even when the interest is unchanged,
     * since its last report disarmed it in the kernel.
     */
    public void arm(int newInterest) {
        if (oneShot && registered) {
            interest = newInterest;
            update();
        } else {
            setInterest(newInterest);
        }
    }

    public boolean isOneShot() {
        return oneShot;
    }

    /** Registers with the poller on first call; later calls change the interest. */
    public void setInterest(int newInterest) {
        if (newInterest == interest && registered) return;
        interest = newInterest;
        if (registered) {
            update();
        } else {
            loop.assertInLoop();
            try {
                loop.register(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Removes the channel from the poller; its handler is not called again. */
    public void remove() {
        remove(false);
    }

    /**
     * As {@link #remove()}, when the source's descriptor is closed right after: the poller may
     * then leave the kernel's interest list to the close (no EPOLL_CTL_DEL).
     */
    public void removeBeforeClose() {
        remove(true);
    }

    private void remove(boolean closing) {
        if (!registered) return;
        loop.assertInLoop();
        registered = false;
        loop.deregister(this, closing);
    }

    int pollerFlags() {
        return (edgeTriggered ? Poller.EDGE_TRIGGERED : 0) | (oneShot ? Poller.ONE_SHOT : 0);
    }

    private void update() {
        loop.assertInLoop();
        try {
            loop.poller().update(source, token, interest, pollerFlags());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "Channel[fd=" + source.fd() + ", interest=" + Interest.toString(interest)
                + (edgeTriggered ? ", ET" : ", LT") + (oneShot ? ", oneshot" : "") + "]";
    }
}
