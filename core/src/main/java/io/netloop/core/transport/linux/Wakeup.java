package io.netloop.core.transport.linux;

import io.netloop.core.sys.ErrnoException;
import io.netloop.core.sys.linux.EventFd;

/**
 * The eventfd a native poller watches so that other threads can wake its loop, with the
 * one rule that makes that safe: a wake-up never writes to the descriptor once it is closed
 * (by then the number may belong to another file).
 *
 * <p>Owns its eventfd. Threading: {@link #signal} from any thread; {@link #drain} and
 * {@link #close} on the loop's thread.
 */
final class Wakeup implements AutoCloseable {
    private final EventFd eventFd;
    private boolean closed; // guarded by this

    Wakeup() throws ErrnoException {
        eventFd = new EventFd();
    }

    int fd() {
        return eventFd.fd();
    }

    synchronized void signal() {
        if (closed) return;
        try {
            eventFd.signal();
        } catch (ErrnoException e) {
            throw new IllegalStateException("cannot wake the loop: " + e.getMessage(), e);
        }
    }

    void drain() throws ErrnoException {
        eventFd.drain();
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            eventFd.close();
        } catch (ErrnoException e) {
            System.getLogger(Wakeup.class.getName()).log(System.Logger.Level.WARNING, "closing the eventfd", e);
        }
    }
}
