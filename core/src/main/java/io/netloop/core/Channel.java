package io.netloop.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;

/**
 * One selectable source registered with one loop's {@link Poller}: what it waits for
 * ({@link Interest}), how (level- or edge-triggered, one-shot), and whom to tell.
 *
 * <p>A Channel does not own its descriptor: the socket does, and closes it after the
 * channel is removed. Threading: every method on the owning loop's thread only.
 */
public final class Channel {
    final EventLoop loop;
    final Selectable source;
    IoHandler handler; // replaced once, when a connecting client's channel becomes its connection's
    final boolean edgeTriggered;
    boolean oneShot;
    int interest;
    boolean registered;

    // Owned by the poller: epoll's slot and generation, NIO's key.
    int slot = -1;
    int generation;
    SelectionKey key;

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
                loop.poller().register(this);
                registered = true;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Removes the channel from the poller; its handler is not called again. */
    public void remove() {
        if (!registered) return;
        loop.assertInLoop();
        registered = false;
        loop.poller().deregister(this);
    }

    private void update() {
        loop.assertInLoop();
        try {
            loop.poller().update(this);
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
