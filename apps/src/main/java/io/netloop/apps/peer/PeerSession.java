package io.netloop.apps.peer;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.loop.Timer;
import io.netloop.core.tcp.ConnectionHandler;
import io.netloop.core.tcp.TcpConnection;
import java.net.InetSocketAddress;

/**
 * One connection to another peer, whichever side opened it: says hello, reads the peer's
 * lines through a {@link LineCodec}, and refuses a peer that breaks the protocol with one
 * {@code error:} line saying why before it disconnects.
 *
 * <p>Leaving is orderly: the output is shut down once what is queued has been sent (the
 * peer reads the error line, then end of stream), further input is discarded, and the
 * connection closes when the peer closes its side, or after {@link PeerNode.Config#linger}
 * at the latest. A peer that stops reading is cut off at once when its queued output
 * passes the node's bound (the connection's high-water mark): nothing more could reach it.
 *
 * <p>Threading: the node's loop thread only, like its connection.
 */
final class PeerSession implements ConnectionHandler, LineCodec.Lines {
    enum Direction {
        IN("in"),
        OUT("out");

        final String label;

        Direction(String label) {
            this.label = label;
        }
    }

    private final PeerNode node;
    private final Direction direction;
    private final LineCodec codec = new LineCodec();
    private TcpConnection connection;
    private InetSocketAddress address;
    private int id;
    private String name;
    private boolean leaving;
    /** Set once the user has been told how this session ends, so that it is told only once. */
    private boolean reported;

    private Timer helloTimer;
    private Timer lingerTimer;
    private PeerNode.PendingConnect pending;

    /** @param pending the {@code /connect} that made this session, told when it settles; null for an accepted one */
    PeerSession(PeerNode node, Direction direction, PeerNode.PendingConnect pending) {
        this.node = node;
        this.direction = direction;
        this.pending = pending;
    }

    int id() {
        return id;
    }

    /** The peer's name, or null before its hello. */
    String name() {
        return name;
    }

    InetSocketAddress address() {
        return address;
    }

    Direction direction() {
        return direction;
    }

    /** Said hello and not leaving: may be sent messages. */
    boolean isReady() {
        return name != null && !leaving && connection.isOpen();
    }

    /** "#2 bob" or, before the hello, "#2 (127.0.0.1:40122)"; safe to print. */
    String label() {
        return "#" + id + " " + (name != null ? TerminalText.sanitize(name) : "(" + PeerNode.display(address) + ")");
    }

    // --- the connection ---------------------------------------------------------------------

    @Override
    public void onOpen(TcpConnection c) {
        connection = c;
        address = c.remoteAddress();
        id = node.opened(this);
        send(PeerMessage.hello(node.name()));
        if (!c.isOpen()) return;
        helloTimer = c.loop()
                .schedule(
                        () -> refuse("no hello within "
                                + PeerNode.display(node.config().helloTimeout())),
                        node.config().helloTimeout());
    }

    @Override
    public void onData(TcpConnection c, Buffer in) {
        while (!leaving && codec.next(in, this)) {
            // each line is handled by line() or invalid()
        }
        if (leaving) in.clear(); // after our error line nothing the peer says matters
    }

    @Override
    public void line(String line) {
        PeerMessage m = PeerMessage.parse(line);
        if (m == null) {
            refuse("unknown message; lines are 'hello: NAME', 'say: TEXT', 'private: TEXT' or 'error: REASON'");
            return;
        }
        // An error may come first: the peer's reason for refusing us is worth showing.
        if (name == null && m.kind() != PeerMessage.Kind.HELLO && m.kind() != PeerMessage.Kind.ERROR) {
            refuse("expected 'hello: NAME' first");
            return;
        }
        switch (m.kind()) {
            case HELLO -> hello(m.text());
            case SAY -> node.print("[" + label() + "] " + TerminalText.sanitize(m.text()));
            case PRIVATE -> node.print("[" + label() + ", to you] " + TerminalText.sanitize(m.text()));
            case ERROR -> node.print("* " + label() + " reports an error: " + TerminalText.sanitize(m.text()));
        }
    }

    private void hello(String peerName) {
        if (name != null) {
            refuse("hello sent twice");
            return;
        }
        String problem = PeerMessage.nameProblem(peerName);
        if (problem != null) {
            refuse("bad name in hello: " + problem);
            return;
        }
        helloTimer.cancel();
        name = peerName;
        node.print("* " + label() + " joined from " + PeerNode.display(address) + " (" + direction.label + ")");
        settle();
    }

    @Override
    public void invalid(String reason) {
        refuse(reason);
    }

    @Override
    public void onInputClosed(TcpConnection c) {
        report(leaving ? null : label() + " left");
        leave();
    }

    @Override
    public void onHighWater(TcpConnection c, int queuedBytes) {
        report(label() + " dropped: not reading (" + queuedBytes + " bytes waiting to be sent, the bound is "
                + node.config().maxQueuedBytes() + ")");
        c.close(null);
    }

    @Override
    public void onClose(TcpConnection c, Throwable cause) {
        if (helloTimer != null) helloTimer.cancel();
        if (lingerTimer != null) lingerTimer.cancel();
        report(cause == null ? label() + " left" : label() + " lost: " + cause.getMessage());
        node.closed(this);
        settle();
    }

    // --- commands from the node -------------------------------------------------------------

    /**
     * Queues one message for the peer.
     *
     * @return false when the session no longer takes messages
     */
    boolean send(PeerMessage m) {
        return connection.isOpen() && connection.send(LineCodec.encode(m.toLine(), codec.maxLineBytes()));
    }

    /** The peer broke the protocol: tell it why, tell the user, and leave. */
    void refuse(String reason) {
        if (leaving) return;
        report(label() + " dropped: " + reason);
        send(PeerMessage.error(reason));
        leave();
    }

    /** Leaves in order (see the class comment); {@code why}, when given, is all the user is told. */
    void disconnect(String why) {
        if (leaving) return;
        report(why);
        reported = true;
        leave();
    }

    private void leave() {
        if (leaving || !connection.isOpen()) return;
        leaving = true;
        if (helloTimer != null) helloTimer.cancel();
        connection.shutdownOutput();
        if (connection.isOpen()) {
            lingerTimer = connection
                    .loop()
                    .schedule(() -> connection.close(null), node.config().linger());
        }
    }

    /** Closes now, dropping queued output. */
    void closeNow() {
        reported = true;
        connection.close(null);
    }

    private void settle() {
        if (pending == null) return;
        PeerNode.PendingConnect p = pending;
        pending = null;
        p.settled(null);
    }

    private void report(String what) {
        if (reported || what == null) return;
        reported = true;
        node.print("* " + what);
    }
}
