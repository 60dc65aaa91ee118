package io.netloop.core.transport.nio;

import io.netloop.core.transport.Interest;
import io.netloop.core.transport.Poller;
import io.netloop.core.transport.Selectable;
import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * {@link Poller} on the JDK's {@link Selector}: the portable fallback where native access is
 * unavailable. Level-triggered only; one-shot is emulated by clearing the key's interest
 * before dispatch.
 *
 * <p>Owns its selector, closed by {@link #close}. Threading: the owning loop's thread, but
 * {@link #wakeup} from any.
 */
final class NioPoller implements Poller {
    private final Selector selector;
    private final Consumer<SelectionKey> dispatcher = this::dispatch;
    private Sink sink;
    private int reported;

    /** A key's attachment: the registration's token and flags. */
    private static final class Registration {
        long token;
        int flags;
    }

    NioPoller() throws IOException {
        selector = Selector.open();
    }

    @Override
    public void register(Selectable source, long token, int interest, int flags) throws IOException {
        SelectableChannel sc = nio(source);
        Registration r = new Registration();
        r.token = token;
        r.flags = flags;
        sc.register(selector, nioOps(interest, sc), r);
    }

    @Override
    public void update(Selectable source, long token, int interest, int flags) throws IOException {
        SelectionKey key = nio(source).keyFor(selector);
        if (key == null) throw new IOException("not registered: " + source);
        try {
            Registration r = (Registration) key.attachment();
            r.token = token;
            r.flags = flags;
            key.interestOps(nioOps(interest, key.channel()));
        } catch (CancelledKeyException e) {
            throw new IOException("channel already closed: " + source, e);
        }
    }

    @Override
    public void deregister(Selectable source, boolean closing) {
        SelectionKey key = nio(source).keyFor(selector);
        if (key != null) key.cancel();
    }

    @Override
    public int poll(int timeoutMillis, Sink sink) throws IOException {
        reported = 0;
        this.sink = sink;
        try {
            if (timeoutMillis == 0) {
                selector.selectNow(dispatcher);
            } else {
                selector.select(dispatcher, timeoutMillis < 0 ? 0 : timeoutMillis);
            }
        } finally {
            this.sink = null;
        }
        return reported;
    }

    private void dispatch(SelectionKey key) {
        if (!key.isValid()) return;
        Registration r = (Registration) key.attachment();
        int ready = key.readyOps();
        int ops = 0;
        if ((ready & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) ops |= Interest.READ;
        if ((ready & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) ops |= Interest.WRITE;
        if ((r.flags & ONE_SHOT) != 0) key.interestOps(0);
        reported++;
        sink.ready(r.token, ops);
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public String name() {
        return "nio";
    }

    @Override
    public void close() {
        try {
            selector.close();
        } catch (IOException e) {
            System.getLogger(NioPoller.class.getName()).log(System.Logger.Level.WARNING, "closing the selector", e);
        }
    }

    private static SelectableChannel nio(Selectable source) {
        SelectableChannel sc = source.nioChannel();
        if (sc == null) {
            throw new IllegalArgumentException("the NIO poller needs a JDK channel, not fd " + source.fd()
                    + ": sockets and poller must come from the same transport");
        }
        return sc;
    }

    private static int nioOps(int interest, SelectableChannel sc) {
        int ops = 0;
        int valid = sc.validOps();
        if ((interest & Interest.READ) != 0) ops |= valid & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
        if ((interest & Interest.WRITE) != 0) {
            boolean connecting = sc instanceof SocketChannel s && s.isConnectionPending();
            ops |= connecting ? SelectionKey.OP_CONNECT : SelectionKey.OP_WRITE;
        }
        return ops;
    }
}
