package io.netloop.http.codec;

import io.netloop.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes the bytes of HTTP/1.1 responses (RFC 9112): the status line and header section with
 * the fields the server owns (Date, Server, the framing, Connection), the interim 100 and 101
 * heads, and the chunked coding of a streamed body (§7.1). It decides nothing: the caller says
 * what the head holds, how the body is framed and whether the connection closes after it.
 *
 * <p>Everything is appended to a caller's {@link Buffer}, byte by byte from Latin-1 strings:
 * no encoder and no intermediate array, so encoding allocates nothing once the buffer has
 * grown to its working size.
 *
 * <p>Threading: stateless; any thread, each with its own buffer.
 */
public final class ResponseEncoder {
    /** The body length of a head whose body is chunked ({@code Transfer-Encoding: chunked}). */
    public static final long CHUNKED = -1;

    /** The body length of a head whose body ends with the connection (HTTP/1.0 without a length). */
    public static final long UNTIL_CLOSE = -2;

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[][] STATUS_LINES = new byte[900][];
    private static final byte[] DATE = latin1("Date: ");
    private static final byte[] CRLF_SERVER = latin1("\r\nServer: netloop\r\n");
    private static final byte[] CONTENT_LENGTH = latin1("Content-Length: ");
    private static final byte[] CHUNKED_FIELD = latin1("Transfer-Encoding: chunked\r\n");
    private static final byte[] CLOSE = latin1("Connection: close\r\n");
    private static final byte[] KEEP_ALIVE = latin1("Connection: keep-alive\r\n");
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private ResponseEncoder() {}

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Appends a final response's head.
     *
     * @param status the status code; its reason phrase is {@link Status#reason}'s
     * @param date the Date field's value (RFC 9110 §6.6.1)
     * @param fields the handler's fields as name, value, name, value...; none of them framing
     * @param length the Content-Length, or {@link #CHUNKED}, or {@link #UNTIL_CLOSE}; not
     *     written for statuses without content (1xx, 204, 304)
     * @param close whether the connection closes after this response ({@code Connection: close})
     * @param requestVersion the request's version, null when the request was not understood: an
     *     HTTP/1.0 client is told {@code Connection: keep-alive} when the connection stays
     */
    public static void head(
            Buffer b,
            int status,
            String date,
            List<String> fields,
            long length,
            boolean close,
            HttpVersion requestVersion) {
        byte[] line = statusLine(status);
        b.append(line, 0, line.length);
        b.append(DATE, 0, DATE.length);
        ascii(b, date);
        b.append(CRLF_SERVER, 0, CRLF_SERVER.length);
        fields(b, fields);
        if (status != 204 && status >= 200 && status != 304) {
            if (length >= 0) {
                b.append(CONTENT_LENGTH, 0, CONTENT_LENGTH.length);
                decimal(b, length);
                b.append(CRLF, 0, 2);
            } else if (length == CHUNKED) {
                b.append(CHUNKED_FIELD, 0, CHUNKED_FIELD.length);
            }
        }
        if (close) {
            b.append(CLOSE, 0, CLOSE.length);
        } else if (requestVersion == HttpVersion.HTTP_1_0) {
            b.append(KEEP_ALIVE, 0, KEEP_ALIVE.length); // RFC 9112 §9.3: a 1.0 client needs to hear it
        }
        b.append(CRLF, 0, 2);
    }

    /** {@code HTTP/1.1 200 OK CRLF}, encoded once per status and kept. */
    static byte[] statusLine(int status) {
        if (status < 100 || status > 999) throw new IllegalArgumentException("status must be three digits: " + status);
        byte[] line = STATUS_LINES[status - 100];
        if (line == null) {
            // A race makes the same bytes twice; either copy is right.
            line = ("HTTP/1.1 " + status + " " + Status.reason(status) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            STATUS_LINES[status - 100] = line;
        }
        return line;
    }

    /** Appends {@code n} ≥ 0 in decimal, without a String. */
    public static void decimal(Buffer b, long n) {
        int digits = 1;
        for (long p = 10; digits < 19 && n >= p; p *= 10) digits++;
        b.ensureWritable(digits);
        byte[] a = b.array();
        int w = b.writerIndex();
        for (int i = w + digits - 1; i >= w; i--) {
            a[i] = (byte) ('0' + n % 10);
            n /= 10;
        }
        b.hasWritten(digits);
    }

    /** Appends a 101 Switching Protocols head to {@code protocol} (RFC 9110 §15.2.2) with the handler's fields. */
    public static void switchingProtocols(Buffer b, String protocol, List<String> fields) {
        ascii(b, "HTTP/1.1 101 Switching Protocols\r\n");
        field(b, "Upgrade", protocol);
        field(b, "Connection", "Upgrade");
        fields(b, fields);
        b.append(CRLF, 0, 2);
    }

    /** Appends the interim {@code 100 Continue} (RFC 9110 §10.1.1). */
    public static void continue100(Buffer b) {
        b.append(CONTINUE, 0, CONTINUE.length);
    }

    /**
     * Appends {@code data[off, off+len)} as one chunk: {@code chunk-size CRLF chunk-data CRLF},
     * so that a piece leaves in one write. An empty piece writes nothing: a zero-size chunk
     * would end the body.
     */
    public static void chunk(Buffer b, byte[] data, int off, int len) {
        if (len == 0) return;
        int digits = 1;
        while (len >>> (4 * digits) != 0) digits++;
        b.ensureWritable(digits + 4 + len);
        for (int i = digits - 1; i >= 0; i--) b.append(HEX, (len >>> (4 * i)) & 0xF, 1);
        b.append(CRLF, 0, 2);
        b.append(data, off, len);
        b.append(CRLF, 0, 2);
    }

    /** Appends the last chunk and the empty trailer section that end a chunked body. */
    public static void lastChunk(Buffer b) {
        b.append(LAST_CHUNK, 0, LAST_CHUNK.length);
    }

    private static void fields(Buffer b, List<String> fields) {
        for (int i = 0; i < fields.size(); i += 2) field(b, fields.get(i), fields.get(i + 1));
    }

    private static void field(Buffer b, String name, String value) {
        ascii(b, name);
        ascii(b, ": ");
        ascii(b, value);
        b.append(CRLF, 0, 2);
    }

    /** Appends a Latin-1 string byte by byte: no encoder, no intermediate array. */
    public static void ascii(Buffer b, String s) {
        int n = s.length();
        b.ensureWritable(n);
        byte[] a = b.array();
        int w = b.writerIndex();
        for (int i = 0; i < n; i++) a[w + i] = (byte) s.charAt(i);
        b.hasWritten(n);
    }

    /** The length of {@code s} in UTF-8, as {@link #utf8} writes it (an unpaired surrogate as "?"). */
    public static int utf8Length(String s) {
        int n = s.length();
        int bytes = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) continue;
            if (c < 0x800) {
                bytes += 1;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 2; // four bytes for two chars
                i++;
            } else if (Character.isSurrogate(c)) {
                // "?": one byte, as counted
            } else {
                bytes += 2;
            }
        }
        return bytes;
    }

    /** Appends {@code s} as UTF-8, as {@code String.getBytes(UTF_8)} would, without an intermediate array. */
    public static void utf8(Buffer b, String s) {
        int n = s.length();
        b.ensureWritable(utf8Length(s));
        byte[] a = b.array();
        int w = b.writerIndex();
        int start = w;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                a[w++] = (byte) c;
            } else if (c < 0x800) {
                a[w++] = (byte) (0xC0 | c >> 6);
                a[w++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                a[w++] = (byte) (0xF0 | cp >> 18);
                a[w++] = (byte) (0x80 | (cp >> 12 & 0x3F));
                a[w++] = (byte) (0x80 | (cp >> 6 & 0x3F));
                a[w++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                a[w++] = '?';
            } else {
                a[w++] = (byte) (0xE0 | c >> 12);
                a[w++] = (byte) (0x80 | (c >> 6 & 0x3F));
                a[w++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        b.hasWritten(w - start);
    }
}
