package io.netloop.http.websocket;

/**
 * The peer broke the protocol: the connection fails with {@link #closeCode()} (RFC 6455
 * §7.1.7), the message saying what was wrong (it becomes the close reason, so it stays short).
 *
 * <p>Thrown for bad input, which is common and cheap to report: no stack trace is filled in.
 * Threading: immutable.
 */
public final class WebSocketException extends Exception {
    private final int closeCode;

    public WebSocketException(int closeCode, String reason) {
        super(reason, null, false, false);
        this.closeCode = closeCode;
    }

    /** The close code to send: 1002, 1007, 1009... */
    public int closeCode() {
        return closeCode;
    }
}
