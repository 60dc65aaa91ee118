package io.netloop.http.websocket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The XOR mask of client frames (RFC 6455 §5.3), applied in place, eight bytes at a time where
 * the slice allows: masking is a pass over every byte a client sends.
 *
 * <p>Threading: stateless.
 */
final class Masking {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Masking() {}

    /**
     * XORs {@code b[off, off+len)} with the key, starting at key byte {@code pos} (0-3).
     *
     * @return the key position after the slice, for the frame's next slice
     */
    static int unmask(byte[] b, int off, int len, int key, int pos) {
        int i = off;
        int end = off + len;
        // Rotate the key so that its first byte lines up with b[off].
        int rotated = pos == 0 ? key : (key << (8 * pos)) | (key >>> (32 - 8 * pos));
        long wide = ((long) rotated << 32) | (rotated & 0xFFFFFFFFL);
        for (; i + 8 <= end; i += 8) {
            LONGS.set(b, i, (long) LONGS.get(b, i) ^ wide);
        }
        for (int k = 0; i < end; i++, k++) {
            b[i] ^= (byte) (rotated >>> (24 - 8 * (k & 3)));
        }
        return (pos + len) & 3;
    }
}
