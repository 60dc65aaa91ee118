package io.netloop.http;

import io.netloop.http.codec.HttpHeaders;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * gzip (RFC 1952) for response bodies, with one {@link Deflater} reused for every response
 * instead of one per response (each holds native zlib memory until it is ended), and the
 * {@code Accept-Encoding} negotiation (RFC 9110 §12.5.3).
 *
 * <p>Threading: one per event loop, used only on its thread; {@link #accepts} is stateless.
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

    /** Whether an Accept-Encoding field admits gzip: listed (or "*") with a non-zero weight. */
    static boolean accepts(HttpHeaders headers) {
        boolean gzip = false;
        boolean gzipListed = false;
        boolean star = false;
        for (String field : headers.getAll("Accept-Encoding")) {
            for (String element : field.split(",")) {
                String[] parts = element.split(";");
                String coding = parts[0].trim().toLowerCase(Locale.ROOT);
                boolean zero = false;
                for (int i = 1; i < parts.length; i++) {
                    String p = parts[i].trim().toLowerCase(Locale.ROOT);
                    // weight = OWS ";" OWS "q=" qvalue; q=0, 0.0, 0.00, 0.000 refuse the coding.
                    if (p.startsWith("q=")) zero = p.substring(2).matches("0(\\.0{0,3})?");
                }
                if (coding.equals("gzip") || coding.equals("x-gzip")) {
                    gzipListed = true;
                    gzip = !zero;
                } else if (coding.equals("*")) {
                    star = !zero;
                }
            }
        }
        return gzipListed ? gzip : star;
    }

    @Override
    public void close() {
        deflater.end();
    }
}
