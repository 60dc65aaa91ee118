package io.netloop.http.websocket;

import java.util.zip.Deflater;

/**
 * Compresses outgoing messages for permessage-deflate (RFC 7692 §7.2.1): raw deflate, flushed
 * with SYNC_FLUSH, the trailing {@code 00 00 ff ff} removed. With server_no_context_takeover
 * the compressor starts afresh for every message; otherwise it keeps its window, which is what
 * makes small similar messages (chat lines) compress well.
 *
 * <p>Owns its Deflater (native memory): {@link #close} frees it. Threading: not thread-safe;
 * one per connection, on its loop thread.
 */
final class MessageDeflater implements AutoCloseable {
    /** An output array kept between messages holds at most this much. */
    private static final int RETAINED_CAPACITY = 64 * 1024;

    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private final boolean noContextTakeover;
    private byte[] out = new byte[1024];

    MessageDeflater(boolean noContextTakeover) {
        this.noContextTakeover = noContextTakeover;
    }

    /**
     * Compresses {@code data[off, off+len)}.
     *
     * @return the compressed payload's length; its bytes are {@link #output()}{@code [0, length)},
     *     valid until the next call
     */
    int compress(byte[] data, int off, int len) {
        if (out.length > RETAINED_CAPACITY && len < RETAINED_CAPACITY / 2) out = new byte[RETAINED_CAPACITY];
        deflater.setInput(data, off, len);
        int n = 0;
        for (; ; ) {
            if (out.length - n < 64) out = java.util.Arrays.copyOf(out, Math.max(out.length * 2, n + len / 2 + 64));
            int w = deflater.deflate(out, n, out.length - n, Deflater.SYNC_FLUSH);
            n += w;
            if (n < out.length) break; // SYNC_FLUSH wrote all it had, with room to spare
        }
        if (noContextTakeover) deflater.reset();
        if (n == 0) {
            // Nothing to flush: an empty message right after another. RFC 7692 §7.2.3.6 sends it as one 00 byte.
            out[0] = 0;
            return 1;
        }
        // A sync flush ends with an empty stored block, 00 00 ff ff, which the receiver appends itself.
        if (n < 4 || out[n - 4] != 0 || out[n - 3] != 0 || out[n - 2] != (byte) 0xFF || out[n - 1] != (byte) 0xFF) {
            throw new IllegalStateException("deflate output lacks the sync-flush marker");
        }
        return n - 4;
    }

    byte[] output() {
        return out;
    }

    @Override
    public void close() {
        deflater.end();
    }
}
