package io.netloop.chat;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.loop.EventLoop;
import io.netloop.core.loop.Timer;
import io.netloop.core.tcp.ConnectionHandler;
import io.netloop.core.tcp.TcpConnection;

/**
 * One TCP chat client (nc, telnet): cuts its input into lines for the {@link Room} and writes
 * the room's events as text lines ({@link LineFormat}).
 *
 * <ul>
 *   <li>A line over {@link ChatLimits#maxLineBytes} ends the session, with the reason sent;
 *       a line that is not UTF-8 is dropped, with the reason sent.</li>
 *   <li>At most {@link ChatLimits#maxPendingCommands} lines wait for the room; then the
 *       connection is not read until the room has caught up ({@link CommandWindow}). Nor is
 *       it read while its own output is above the connection's high-water mark (half the
 *       output bound): a client that talks faster than it reads is slowed, not served.</li>
 *   <li>Output is bounded: when a delivery would take the queue past
 *       {@link ChatLimits#maxQueuedOutputBytes} (less a reserve for the last words), the client
 *       is not reading. It is told why (best effort: the reason waits behind the queue), its
 *       output is shut after the queue, and it is closed after {@link ChatLimits#closeGrace}
 *       whatever it does.</li>
 * </ul>
 *
 * <p>Threading: on its connection's loop, like every {@link ConnectionHandler}; the room
 * reaches it only through {@link Member#deliver} tasks posted to that loop.
 */
final class TcpChatSession implements ConnectionHandler, Member {
    private final Room room;
    private final ChatLimits limits;
    private final OutputBound bound;
    private final LineReader lines;
    private TcpConnection connection;
    private CommandWindow window;
    /** The connection's input buffer, kept to finish the lines left in it when the window filled. */
    private Buffer input;

    private boolean leaving;
    private boolean outputHigh;
    private Timer closeTimer;
    private volatile String nick; // read by describe() on the room's loop, for log lines

    TcpChatSession(Room room, OutputBound bound) {
        this.room = room;
        this.limits = room.limits();
        this.bound = bound;
        this.lines = new LineReader(limits.maxLineBytes());
    }

    @Override
    public void onOpen(TcpConnection c) {
        connection = c;
        window = new CommandWindow(limits.maxPendingCommands(), this::windowReopened);
        c.send(LineFormat.greeting(limits.maxNickLength()));
    }

    @Override
    public void onData(TcpConnection c, Buffer in) {
        input = in;
        readLines();
    }

    private void readLines() {
        while (!leaving) {
            if (window.isFull() || outputHigh) {
                connection.pauseReading(); // the room or the client is behind: let TCP slow this client down
                return;
            }
            String line;
            try {
                line = lines.next(input);
            } catch (LineReader.Rejected r) {
                if (r.fatal()) {
                    disconnect(r.getMessage());
                } else {
                    deliver(new ChatEvent.Refused(r.getMessage()));
                }
                continue;
            }
            if (line == null) return;
            window.posted();
            room.line(this, line);
        }
        input.clear(); // leaving: what else the client says goes unread
    }

    private void windowReopened() {
        if (!outputHigh) resume();
    }

    @Override
    public void onHighWater(TcpConnection c, int queuedBytes) {
        outputHigh = true;
        c.pauseReading();
    }

    @Override
    public void onLowWater(TcpConnection c) {
        outputHigh = false;
        if (!window.isFull()) resume();
    }

    private void resume() {
        if (!connection.isOpen() || leaving) return;
        connection.resumeReading();
        if (input != null) readLines();
    }

    @Override
    public void onInputClosed(TcpConnection c) {
        if (input != null && !input.isEmpty() && !leaving) {
            input.append(new byte[] {'\n'}); // nc at the end of a file without a final newline
            readLines();
        }
        room.leave(this, "connection closed");
        c.shutdownOutput();
    }

    @Override
    public void onClose(TcpConnection c, Throwable cause) {
        leaving = true;
        if (closeTimer != null) closeTimer.cancel();
        room.leave(this, cause == null ? "connection closed" : "connection lost: " + cause.getMessage());
    }

    // --- Member --------------------------------------------------------------------------

    @Override
    public EventLoop loop() {
        return connection.loop();
    }

    @Override
    public void deliver(ChatEvent event) {
        if (leaving || !connection.isOpen()) return;
        byte[] line = LineFormat.render(event);
        String notReading = bound.overflow(this, connection.queuedOutputBytes(), line.length);
        if (notReading != null) {
            disconnect(notReading);
            return;
        }
        send(line);
        switch (event) {
            case ChatEvent.NickSet n -> nick = n.nick();
            case ChatEvent.Goodbye _ -> finish();
            default -> {}
        }
    }

    @Override
    public void handled() {
        window.handled();
    }

    @Override
    public String describe() {
        return PeerLabel.of("tcp", connection.remoteAddress(), nick);
    }

    // --- leaving -------------------------------------------------------------------------

    /** Leaves the room, tells the client why, and ends the connection once that is sent (or after the grace). */
    private void disconnect(String reason) {
        if (leaving) return;
        room.leave(this, reason);
        send(LineFormat.render(new ChatEvent.Goodbye(reason))); // the reserve has room for it
        finish();
    }

    private void finish() {
        leaving = true;
        connection.shutdownOutput(); // FIN once the queue is written
        TcpConnection c = connection;
        closeTimer = c.loop().schedule(() -> c.close(), limits.closeGrace());
    }

    private void send(byte[] bytes) {
        connection.send(bytes);
        bound.queued(connection.queuedOutputBytes());
    }
}
