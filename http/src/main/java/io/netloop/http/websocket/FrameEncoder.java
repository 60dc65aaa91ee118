package io.netloop.http.websocket;

import io.netloop.core.buffer.Buffer;

/**
 * Writes WebSocket frames (RFC 6455 §5.2): the header in the fewest length bytes, then the
 * payload, masked when a client sends it.
 *
 * <p>Threading: stateless.
 */
public final class FrameEncoder {
    /** The longest header: 2 bytes, a 64-bit length, a 4-byte mask key. */
    public static final int MAX_HEADER = 14;

    private FrameEncoder() {}

    /**
     * Writes a frame header into {@code dst} at {@code off}.
     *
     * @param compressed RSV1 (permessage-deflate, first frame of a message only)
     * @param maskKey the key when {@code masked}
     * @return the header's length
     */
    public static int header(
            byte[] dst,
            int off,
            int opcode,
            boolean fin,
            boolean compressed,
            long payloadLength,
            boolean masked,
            int maskKey) {
        if (payloadLength < 0) throw new IllegalArgumentException("negative payload length: " + payloadLength);
        int at = off;
        dst[at++] = (byte) ((fin ? 0x80 : 0) | (compressed ? 0x40 : 0) | (opcode & 0x0F));
        int maskBit = masked ? 0x80 : 0;
        if (payloadLength < 126) {
            dst[at++] = (byte) (maskBit | payloadLength);
        } else if (payloadLength <= 0xFFFF) {
            dst[at++] = (byte) (maskBit | 126);
            dst[at++] = (byte) (payloadLength >>> 8);
            dst[at++] = (byte) payloadLength;
        } else {
            dst[at++] = (byte) (maskBit | 127);
            for (int shift = 56; shift >= 0; shift -= 8) dst[at++] = (byte) (payloadLength >>> shift);
        }
        if (masked) {
            dst[at++] = (byte) (maskKey >>> 24);
            dst[at++] = (byte) (maskKey >>> 16);
            dst[at++] = (byte) (maskKey >>> 8);
            dst[at++] = (byte) maskKey;
        }
        return at - off;
    }

    /** Appends an unmasked frame (as a server sends it) to {@code out}. */
    public static void frame(
            Buffer out, int opcode, boolean fin, boolean compressed, byte[] payload, int off, int len) {
        out.ensureWritable(MAX_HEADER + len);
        int n = header(out.array(), out.writerIndex(), opcode, fin, compressed, len, false, 0);
        out.hasWritten(n);
        out.append(payload, off, len);
    }

    /** Appends a frame masked with {@code maskKey} (as a client sends it) to {@code out}. */
    public static void maskedFrame(
            Buffer out, int opcode, boolean fin, boolean compressed, byte[] payload, int off, int len, int maskKey) {
        out.ensureWritable(MAX_HEADER + len);
        int n = header(out.array(), out.writerIndex(), opcode, fin, compressed, len, true, maskKey);
        out.hasWritten(n);
        int start = out.writerIndex();
        out.append(payload, off, len);
        Masking.unmask(out.array(), start, len, maskKey, 0);
    }

    /** A close frame's payload: the code, big-endian, then the reason in UTF-8 (at most 123 bytes). */
    public static byte[] closePayload(int code, String reason) {
        byte[] r = reason == null ? new byte[0] : reason.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (r.length > 123)
            throw new IllegalArgumentException("a close reason takes at most 123 UTF-8 bytes: " + r.length);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(r, 0, p, 2, r.length);
        return p;
    }
}
