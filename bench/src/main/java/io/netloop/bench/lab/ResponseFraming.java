package io.netloop.bench.lab;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Where one HTTP/1.1 response ends in the bytes read so far, for a client that keeps the
 * connection afterwards ({@link IdleClients}): a head, then a body framed by Content-Length or
 * chunked transfer coding, or none (1xx, 204, 304). A body delimited by the server closing the
 * connection cannot be kept alive and is an error here.
 *
 * <p>Threading: stateless.
 */
final class ResponseFraming {
    private ResponseFraming() {}

    /** The end of a complete response: its length in bytes and its status. */
    record Framed(int length, int status, boolean saysClose) {}

    /**
     * The response at the start of {@code b[0, len)} if all of it has arrived, else null.
     *
     * @throws IllegalArgumentException for a response this client cannot frame
     */
    static Framed complete(byte[] b, int len) {
        int headEnd = indexOf(b, len, 0, "\r\n\r\n");
        if (headEnd < 0) return null;
        String[] lines = new String(b, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
            throw new IllegalArgumentException("not an HTTP/1.x status line: " + lines[0]);
        }
        int status = Integer.parseInt(statusLine[1]);
        long contentLength = -1;
        boolean chunked = false;
        boolean close = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) continue;
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim().toLowerCase(Locale.ROOT);
            switch (name) {
                case "content-length" -> contentLength = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.endsWith("chunked");
                case "connection" -> close = value.contains("close");
                default -> {}
            }
        }
        int bodyStart = headEnd + 4;
        int end;
        if (status / 100 == 1 || status == 204 || status == 304) {
            end = bodyStart;
        } else if (chunked) {
            end = chunkedEnd(b, len, bodyStart);
        } else if (contentLength >= 0) {
            end = bodyStart + contentLength <= len ? (int) (bodyStart + contentLength) : -1;
        } else {
            throw new IllegalArgumentException("a " + status + " response without Content-Length or chunked coding");
        }
        return end < 0 ? null : new Framed(end, status, close);
    }

    /** The end of a chunked body starting at {@code p}, trailers included, or -1 if not all here. */
    private static int chunkedEnd(byte[] b, int len, int p) {
        while (true) {
            int eol = indexOf(b, len, p, "\r\n");
            if (eol < 0) return -1;
            String size = new String(b, p, eol - p, StandardCharsets.ISO_8859_1);
            int ext = size.indexOf(';');
            long n = Long.parseLong((ext >= 0 ? size.substring(0, ext) : size).trim(), 16);
            p = eol + 2;
            if (n == 0) break;
            if (p + n + 2 > len) return -1;
            p += (int) n + 2;
        }
        // Trailer fields, then the empty line.
        while (true) {
            int eol = indexOf(b, len, p, "\r\n");
            if (eol < 0) return -1;
            if (eol == p) return p + 2;
            p = eol + 2;
        }
    }

    private static int indexOf(byte[] b, int len, int from, String what) {
        outer:
        for (int i = from; i + what.length() <= len; i++) {
            for (int j = 0; j < what.length(); j++) {
                if (b[i + j] != what.charAt(j)) continue outer;
            }
            return i;
        }
        return -1;
    }
}
