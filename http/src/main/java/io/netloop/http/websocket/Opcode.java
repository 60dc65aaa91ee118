package io.netloop.http.websocket;

/**
 * Frame opcodes (RFC 6455 §5.2); the others are reserved and fail the connection.
 *
 * <p>Threading: constants.
 */
public final class Opcode {
    public static final int CONTINUATION = 0x0;
    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    private Opcode() {}

    /** Close, ping and pong: at most 125 bytes, never fragmented, may come between fragments. */
    public static boolean isControl(int opcode) {
        return (opcode & 0x8) != 0;
    }

    public static boolean isKnown(int opcode) {
        return opcode <= BINARY || (opcode >= CLOSE && opcode <= PONG);
    }
}
