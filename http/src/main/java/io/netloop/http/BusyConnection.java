package io.netloop.http;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.loop.TimingWheel;
import io.netloop.core.tcp.ConnectionHandler;
import io.netloop.core.tcp.TcpConnection;
import io.netloop.http.codec.Status;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A connection over the server's connection limit: it is told "503, come back in a
 * second" (RFC 9110 §15.6.4, with Retry-After and Connection: close) without its request
 * being read, and closed.
 *
 * <p>The close is a lingering one, like an ordinary closing response's: FIN after the
 * answer, then what the client still sends is discarded until it closes, for at most
 * {@link #LINGER_MILLIS} or {@link #MAX_DISCARD} bytes. Closing at once, with the request
 * unread, would reset the connection and could destroy the answer before the client reads it.
 * Both bounds are below an ordinary connection's (2 s, 256 KiB): this one exists because the
 * server is over its limit, and its descriptor is worth more to the connections being served.
 *
 * <p>Threading: the connection's loop thread.
 */
final class BusyConnection implements ConnectionHandler {
    static final long LINGER_MILLIS = 1_000;
    static final int MAX_DISCARD = 64 * 1024;
    static final String RETRY_AFTER_SECONDS = "1";
    private static final byte[] BODY =
            (503 + " " + Status.reason(503) + "\n" + Status.advice(503) + "\n").getBytes(StandardCharsets.US_ASCII);

    private final DateCache dates;
    private TimingWheel.Timeout linger;
    private long discarded;

    BusyConnection(DateCache dates) {
        this.dates = dates;
    }

    @Override
    public void onOpen(TcpConnection c) {
        String head = "HTTP/1.1 503 " + Status.reason(503) + "\r\n"
                + "Date: " + dates.http() + "\r\n"
                + "Server: netloop\r\n"
                + "Retry-After: " + RETRY_AFTER_SECONDS + "\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + BODY.length + "\r\n"
                + "Connection: close\r\n\r\n";
        Buffer out = new Buffer();
        out.append(head.getBytes(StandardCharsets.US_ASCII));
        out.append(BODY, 0, BODY.length);
        c.send(out);
        c.shutdownOutput();
        // On the loop's wheel, as an ordinary connection's linger: a tick late does not matter here.
        linger = c.loop()
                .wheel()
                .schedule(
                        c::close,
                        TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS),
                        c.loop().nowNanos());
    }

    @Override
    public void onData(TcpConnection c, Buffer in) {
        discarded += in.readableBytes();
        in.clear();
        if (discarded > MAX_DISCARD) c.close();
    }

    @Override
    public void onInputClosed(TcpConnection c) {
        c.close();
    }

    @Override
    public void onClose(TcpConnection c, Throwable cause) {
        if (linger != null) linger.cancel();
    }
}
