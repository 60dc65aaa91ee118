package io.netloop.http;

import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip (RFC 1952) for response bodies, with one {@link Deflater} reused for every response
 * instead of one per response (each holds native zlib memory until it is ended); whether a
 * client takes gzip is {@link io.netloop.http.codec.AcceptEncoding}'s to say.
 *
 * <p>Threading: one per event loop, used only on its thread.
 */
final class Gzip implements AutoCloseable {
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final Deflater deflater = new Deflater(6, true); // raw deflate: gzip framing is ours
    private final CRC32 crc = new CRC32();
    private byte[] scratch = new byte[16 * 1024];

    byte[] compress(byte[] src, int off, int len) {
        deflater.reset();
        deflater.setInput(src, off, len);
        deflater.finish();
        crc.reset();
        crc.update(src, off, len);
        int n = HEADER.length;
        if (scratch.length < n + 64) scratch = new byte[n + 64];
        System.arraycopy(HEADER, 0, scratch, 0, n);
        while (!deflater.finished()) {
            if (n == scratch.length) scratch = Arrays.copyOf(scratch, scratch.length * 2);
            n += deflater.deflate(scratch, n, scratch.length - n);
        }
        byte[] out = Arrays.copyOf(scratch, n + 8);
        int c = (int) crc.getValue();
        for (int i = 0; i < 4; i++) out[n + i] = (byte) (c >>> (8 * i));
        for (int i = 0; i < 4; i++) out[n + 4 + i] = (byte) (len >>> (8 * i));
        if (scratch.length > 1024 * 1024) scratch = new byte[16 * 1024]; // keep no huge buffer
        return out;
    }

    @Override
    public void close() {
        deflater.end();
    }
}
