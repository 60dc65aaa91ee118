package io.netloop.core.tcp.internal;

import io.netloop.core.loop.Channel;
import io.netloop.core.loop.EventLoop;
import io.netloop.core.sys.Errno;
import io.netloop.core.sys.ErrnoException;
import io.netloop.core.transport.ListenSocket;
import io.netloop.core.transport.StreamSocket;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Accepts connections on one {@link ListenSocket} and passes each to a consumer.
 *
 * <p>Accepts until the queue is empty (EAGAIN), at most {@link #BATCH} per wake-up so that
 * a connection flood leaves the loop time for established connections; edge-triggered, it
 * comes back for the rest after the batch.
 *
 * <p>Out of descriptors (EMFILE, ENFILE) the listener stays readable, and a naive loop spins
 * on it at 100% CPU. Here the acceptor frees its {@link SpareDescriptor}, accepts, closes
 * the connection at once (the client sees it closed rather than hanging in the backlog) and
 * takes the spare back; if even that fails, it stops watching the listener and tries again
 * after {@link #RETRY_MILLIS}. It logs once when the shortage starts and once when it ends.
 *
 * <p>Threading: the loop thread only.
 */
public final class Acceptor implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Acceptor.class.getName());
    static final int BATCH = 256;
    static final long RETRY_MILLIS = 100;

    private final EventLoop loop;
    private final ListenSocket listener;
    private final Consumer<StreamSocket> onConnection;
    private final Channel channel;
    private final SpareDescriptor spare = new SpareDescriptor();
    private final Runnable acceptAgain = this::acceptAgain;
    private boolean shortage;
    private long refusedInShortage;
    private long refusedTotal;
    private long accepted;
    private boolean closed;

    public Acceptor(EventLoop loop, ListenSocket listener, Consumer<StreamSocket> onConnection) {
        this.loop = loop;
        this.listener = listener;
        this.onConnection = onConnection;
        this.channel = loop.newChannel(listener, ops -> acceptBatch());
    }

    public EventLoop loop() {
        return loop;
    }

    public void start() {
        loop.assertInLoop();
        loop.own(this);
        channel.enableReading();
    }

    public long accepted() {
        return accepted;
    }

    /** Connections taken off the queue and closed for want of descriptors. */
    public long refused() {
        return refusedTotal;
    }

    private void acceptAgain() {
        if (!closed && channel.isReading()) acceptBatch();
    }

    private void acceptBatch() {
        for (int i = 0; i < BATCH; i++) {
            StreamSocket s;
            try {
                s = listener.accept();
            } catch (ErrnoException e) {
                if (!onAcceptError(e)) return;
                continue;
            } catch (IOException e) {
                // Not an errno we know (the JDK's accept can say anything): the listener stays
                // readable, so retrying at once would spin and flood the log. Pause instead.
                if (!shortage) {
                    shortage = true;
                    refusedInShortage = 0;
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "accept on " + listener + " failed: " + e + "; retrying every " + RETRY_MILLIS + " ms");
                }
                pauseAccepting();
                return;
            }
            if (s == null) return;
            if (shortage) endShortage();
            accepted++;
            onConnection.accept(s);
            if (closed) return;
        }
        if (channel.isEdgeTriggered()) loop.runLater(acceptAgain);
    }

    /** @return true to go on accepting in this batch */
    private boolean onAcceptError(ErrnoException e) {
        int errno = e.errno();
        if (errno == Errno.EMFILE || errno == Errno.ENFILE || errno == Errno.ENOBUFS || errno == Errno.ENOMEM) {
            if (!shortage) {
                shortage = true;
                refusedInShortage = 0;
                LOG.log(
                        System.Logger.Level.WARNING,
                        e.getMessage() + " on " + listener
                                + ": closing new connections until descriptors free up (raise the limit with ulimit"
                                + " -n)");
            }
            return shedOne();
        }
        // ECONNABORTED, EPROTO, EPERM (a firewall), and the network errors accept(2) passes on:
        // that one connection failed; the listener is fine.
        LOG.log(System.Logger.Level.DEBUG, "accept on " + listener + ": " + e.getMessage());
        return true;
    }

    /** @return true when a connection was shed and more may wait */
    private boolean shedOne() {
        if (spare.release()) {
            boolean failed = false;
            StreamSocket s = null;
            try {
                s = listener.accept();
                if (s != null) {
                    refusedInShortage++;
                    refusedTotal++;
                    s.close();
                }
            } catch (IOException e) {
                failed = true; // still short: the freed descriptor went elsewhere
            }
            boolean spareBack = spare.reacquire();
            if (!failed && s == null) return false; // queue drained: the listener is quiet now
            if (!failed && spareBack) return true;
        }
        // Nothing to free, or the freed descriptor was taken: stop watching and retry later.
        pauseAccepting();
        return false;
    }

    /** Stops watching the listener for {@link #RETRY_MILLIS}: a paced retry, never a spin. */
    private void pauseAccepting() {
        channel.disableReading();
        loop.schedule(
                () -> {
                    if (!closed) {
                        spare.reacquire();
                        channel.enableReading();
                    }
                },
                RETRY_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    private void endShortage() {
        shortage = false;
        LOG.log(
                System.Logger.Level.WARNING,
                "accepting again on " + listener
                        + (refusedInShortage > 0
                                ? " after closing " + refusedInShortage + " connection(s) for want of descriptors"
                                : ""));
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        loop.disown(this);
        channel.remove();
        spare.close();
        try {
            listener.close();
        } catch (IOException e) {
            loop.reportFailure("closing " + listener, e);
        }
    }
}
