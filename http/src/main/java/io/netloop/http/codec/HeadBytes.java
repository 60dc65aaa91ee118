package io.netloop.http.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes of one request's head, copied line by line as the parser accepts them: the request
 * line, the field lines, then any trailer lines. {@link HttpRequest} and {@link HttpHeaders}
 * keep offsets into it and make Strings only when asked, so a head that nobody reads field by
 * field costs one copy of its bytes and nothing else.
 *
 * <p>Reused from request to request; an array grown for an unusually large head is dropped
 * again at the next reset, so a connection does not keep the largest head it ever saw.
 *
 * <p>Threading: the connection's loop thread, like the request it belongs to.
 */
final class HeadBytes {
    private static final int INITIAL = 512;
    private static final int KEPT = 4096;

    private byte[] array;
    private int length;

    HeadBytes() {
        this(INITIAL);
    }

    HeadBytes(int capacity) {
        array = new byte[capacity];
    }

    byte[] array() {
        return array;
    }

    int length() {
        return length;
    }

    /** @return where the appended bytes start */
    int append(byte[] src, int off, int len) {
        ensure(len);
        System.arraycopy(src, off, array, length, len);
        int at = length;
        length += len;
        return at;
    }

    int appendLatin1(String s) {
        int n = s.length();
        ensure(n);
        int at = length;
        for (int i = 0; i < n; i++) array[at + i] = (byte) s.charAt(i);
        length += n;
        return at;
    }

    void reset() {
        length = 0;
        if (array.length > KEPT) array = new byte[INITIAL];
    }

    String latin1(int from, int to) {
        return new String(array, from, to - from, StandardCharsets.ISO_8859_1);
    }

    String utf8(int from, int to) {
        return new String(array, from, to - from, StandardCharsets.UTF_8);
    }

    HeadBytes copy() {
        HeadBytes c = new HeadBytes(Math.max(16, length));
        c.append(array, 0, length);
        return c;
    }

    private void ensure(int more) {
        if (length + more > array.length) array = Arrays.copyOf(array, Math.max(array.length * 2, length + more));
    }
}
