package io.netloop.bench.lab;

import java.nio.charset.StandardCharsets;

/**
 * The lab's whole protocol: every request head (up to a blank line) is answered with the same
 * "Hello, World!" response, in order, keep-alive. Bodies are not supported (wrk sends none).
 * It keeps only the state needed to find "\r\n\r\n" across reads.
 *
 * <p>Threading: one per connection, used by one thread at a time.
 */
final class PlainResponder {
    static final byte[] RESPONSE = ("HTTP/1.1 200 OK\r\nServer: netloop-lab\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 13\r\n\r\nHello, World!")
            .getBytes(StandardCharsets.US_ASCII);

    /** How many of "\r\n\r\n" have been seen at the end of the bytes so far. */
    private int matched;

    /** Counts the request heads that end in {@code bytes[off, off + len)}. */
    int requestsEndingIn(byte[] bytes, int off, int len) {
        int n = 0;
        int m = matched;
        for (int i = off, end = off + len; i < end; i++) {
            byte b = bytes[i];
            if (b == '\r') {
                m = (m == 2) ? 3 : 1;
            } else if (b == '\n') {
                if (m == 1) {
                    m = 2;
                } else if (m == 3) {
                    n++;
                    m = 0;
                } else {
                    m = 0;
                }
            } else {
                m = 0;
            }
        }
        matched = m;
        return n;
    }

    /** The responses to {@code count} requests, one after another. */
    static byte[] responses(int count) {
        if (count == 1) return RESPONSE;
        byte[] out = new byte[RESPONSE.length * count];
        for (int i = 0; i < count; i++) System.arraycopy(RESPONSE, 0, out, i * RESPONSE.length, RESPONSE.length);
        return out;
    }
}
