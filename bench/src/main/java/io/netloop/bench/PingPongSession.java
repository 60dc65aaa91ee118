package io.netloop.bench;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.tcp.ConnectionHandler;
import io.netloop.core.tcp.TcpConnection;
import java.util.Arrays;

/**
 * One ping-pong connection: sends the message, and each time all of it has come back, sends
 * it again. Exactly one message is in flight, so the load is bounded and symmetric (muduo's
 * pingpong client does the same).
 *
 * <p>Checking every byte would make the client, not the server, the bottleneck. So each chunk
 * that arrives is checked at its first and last byte (catches lost, duplicated or shifted
 * data at chunk edges for O(1)), and every {@link #FULL_CHECK_EVERY}-th message, the first
 * included, is compared in full.
 *
 * <p>Threading: the client loop's thread only, like every {@link ConnectionHandler}.
 */
final class PingPongSession implements ConnectionHandler {
    static final int FULL_CHECK_EVERY = 128;

    private final byte[] message;
    private final PingPongTally tally;
    private TcpConnection connection;
    /** Bytes of the message in flight already echoed back. */
    private int received;

    private long messages;
    private long messagesAtMark;
    private boolean fullCheck = true;
    private boolean stopping;

    PingPongSession(byte[] message, PingPongTally tally) {
        this.message = message;
        this.tally = tally;
    }

    @Override
    public void onOpen(TcpConnection c) {
        connection = c;
    }

    /** Sends the first message. */
    void start() {
        connection.send(message);
    }

    @Override
    public void onData(TcpConnection c, Buffer in) {
        int n = in.readableBytes();
        if (received + n > message.length) {
            tally.error(c + ": " + (received + n) + " bytes back for a " + message.length + "-byte message");
            in.skip(n);
            stop();
            return;
        }
        if (!matches(in.array(), in.readerIndex(), n)) {
            tally.error(c + ": echoed bytes differ from those sent in message " + messages + " at offsets " + received
                    + ".." + (received + n - 1));
        }
        in.skip(n);
        received += n;
        tally.bytes += n;
        if (received == message.length) {
            received = 0;
            messages++;
            tally.messages++;
            fullCheck = messages % FULL_CHECK_EVERY == 0;
            c.send(message);
        }
    }

    private boolean matches(byte[] a, int from, int n) {
        if (fullCheck) return Arrays.mismatch(a, from, from + n, message, received, received + n) < 0;
        return a[from] == message[received] && a[from + n - 1] == message[received + n - 1];
    }

    @Override
    public void onClose(TcpConnection c, Throwable cause) {
        if (!stopping) tally.error(c + " closed during the run" + (cause == null ? " by the peer" : ": " + cause));
    }

    /** Starts the measured window for this connection's fairness count. */
    void mark() {
        messagesAtMark = messages;
    }

    long messagesSinceMark() {
        return messages - messagesAtMark;
    }

    /** Closes the connection; its close is then not an error. */
    void stop() {
        stopping = true;
        if (connection != null) connection.close(null);
    }
}
