package io.netloop.core;

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
    private int dispatched;
    private int size;

    NioPoller() throws IOException {
        selector = Selector.open();
    }

    @Override
    public void register(Channel ch) throws IOException {
        SelectableChannel sc = nio(ch);
        ch.key = sc.register(selector, nioOps(ch, sc), ch);
        size++;
    }

    @Override
    public void update(Channel ch) throws IOException {
        try {
            ch.key.interestOps(nioOps(ch, ch.key.channel()));
        } catch (CancelledKeyException e) {
            throw new IOException("channel already closed: " + ch, e);
        }
    }

    @Override
    public void deregister(Channel ch) {
        if (ch.key == null) return;
        ch.key.cancel();
        ch.key = null;
        size--;
    }

    @Override
    public int poll(int timeoutMillis) throws IOException {
        dispatched = 0;
        if (timeoutMillis == 0) {
            selector.selectNow(dispatcher);
        } else {
            selector.select(dispatcher, timeoutMillis < 0 ? 0 : timeoutMillis);
        }
        return dispatched;
    }

    private void dispatch(SelectionKey key) {
        if (!key.isValid()) return;
        Channel ch = (Channel) key.attachment();
        int ready = key.readyOps();
        int ops = 0;
        if ((ready & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) ops |= Interest.READ;
        if ((ready & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) ops |= Interest.WRITE;
        if (ch.oneShot) key.interestOps(0);
        dispatched++;
        ch.loop.dispatch(ch, ops);
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public int size() {
        return size;
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

    private static SelectableChannel nio(Channel ch) {
        SelectableChannel sc = ch.source.nioChannel();
        if (sc == null) {
            throw new IllegalArgumentException("the NIO poller needs a JDK channel, not fd " + ch.source.fd()
                    + ": sockets and poller must come from the same transport");
        }
        return sc;
    }

    private static int nioOps(Channel ch, SelectableChannel sc) {
        int ops = 0;
        int valid = sc.validOps();
        if ((ch.interest & Interest.READ) != 0) ops |= valid & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
        if ((ch.interest & Interest.WRITE) != 0) {
            boolean connecting = sc instanceof SocketChannel s && s.isConnectionPending();
            ops |= connecting ? SelectionKey.OP_CONNECT : SelectionKey.OP_WRITE;
        }
        return ops;
    }
}
