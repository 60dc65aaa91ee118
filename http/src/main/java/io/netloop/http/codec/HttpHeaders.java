package io.netloop.http.codec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The fields of a header or trailer section, in the order received: a multimap whose names
 * compare case-insensitively (RFC 9110 §5.1). A name may occur on several lines; {@link #getAll}
 * returns every value and {@link #containsToken} reads comma-separated lists across all of them
 * (RFC 9110 §5.3 makes separate lines and one comma-joined line equivalent).
 *
 * <p>The fields are offsets into the head's bytes: looking a field up compares bytes and
 * allocates nothing; a String is made only for a value that is returned.
 *
 * <p>Lifetime: the sections of a parsed request are valid until the response to it completes
 * (the parser reuses them for the next request); {@link #copy} keeps them longer.
 *
 * <p>Threading: filled by the parser on the loop thread, read-only afterwards; not thread-safe.
 */
public final class HttpHeaders {
    private final HeadBytes bytes;
    /** Per field: name start, name end, value start, value end in {@link #bytes}. */
    private int[] offsets = new int[4 * 8];

    private int size;
    private List<HeaderField> fields;

    /** An empty section with its own bytes, for building one by hand. */
    HttpHeaders() {
        this(new HeadBytes(128));
    }

    HttpHeaders(HeadBytes bytes) {
        this.bytes = bytes;
    }

    void add(String name, String value) {
        int ns = bytes.appendLatin1(name);
        int vs = bytes.appendLatin1(value);
        add(ns, ns + name.length(), vs, vs + value.length());
    }

    /** Adds a field whose name and value already lie in the head's bytes. */
    void add(int nameStart, int nameEnd, int valueStart, int valueEnd) {
        if (4 * size + 4 > offsets.length) offsets = Arrays.copyOf(offsets, offsets.length * 2);
        int at = 4 * size;
        offsets[at] = nameStart;
        offsets[at + 1] = nameEnd;
        offsets[at + 2] = valueStart;
        offsets[at + 3] = valueEnd;
        size++;
        fields = null;
    }

    void clear() {
        size = 0;
        fields = null;
        if (offsets.length > 4 * 64) offsets = new int[4 * 8];
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Every field, in the order received (made on the first call). */
    public List<HeaderField> fields() {
        if (fields == null) {
            List<HeaderField> all = new ArrayList<>(size);
            for (int i = 0; i < size; i++) all.add(new HeaderField(name(i), value(i)));
            fields = Collections.unmodifiableList(all);
        }
        return fields;
    }

    /** The name of field {@code i} as received. */
    public String name(int i) {
        return bytes.latin1(offsets[4 * check(i)], offsets[4 * i + 1]);
    }

    /** The value of field {@code i}, without surrounding whitespace; obs-text bytes map to ISO-8859-1. */
    public String value(int i) {
        return bytes.latin1(offsets[4 * check(i) + 2], offsets[4 * i + 3]);
    }

    public boolean contains(String name) {
        return indexOf(name, 0) >= 0;
    }

    /** The index of the first field called {@code name} at or after {@code from}, or -1. */
    public int indexOf(String name, int from) {
        byte[] a = bytes.array();
        for (int i = from; i < size; i++) {
            if (HttpChars.equalsIgnoreCase(a, offsets[4 * i], offsets[4 * i + 1], name)) return i;
        }
        return -1;
    }

    /** The value of the first field called {@code name}, or {@code null} if there is none. */
    public String get(String name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : value(i);
    }

    /** The values of every field called {@code name}, in order; empty if there is none. */
    public List<String> getAll(String name) {
        List<String> values = new ArrayList<>(2);
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) values.add(value(i));
        return values;
    }

    /**
     * Whether a comma-separated list in the fields called {@code name} holds {@code token},
     * ignoring case and optional whitespace, as for {@code Connection: keep-alive, Upgrade}.
     */
    public boolean containsToken(String name, String token) {
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            if (valueHoldsToken(i, token)) return true;
        }
        return false;
    }

    /** Whether the list in field {@code i}'s value holds {@code token} (ASCII, any case). */
    boolean valueHoldsToken(int i, String token) {
        return HttpChars.listHolds(bytes.array(), offsets[4 * i + 2], offsets[4 * i + 3], token);
    }

    /** Whether field {@code i}'s value equals {@code s} (ASCII), ignoring case. */
    public boolean valueEqualsIgnoreCase(int i, String s) {
        return HttpChars.equalsIgnoreCase(bytes.array(), offsets[4 * check(i) + 2], offsets[4 * i + 3], s);
    }

    int nameStart(int i) {
        return offsets[4 * i];
    }

    int nameEnd(int i) {
        return offsets[4 * i + 1];
    }

    int valueStart(int i) {
        return offsets[4 * i + 2];
    }

    int valueEnd(int i) {
        return offsets[4 * i + 3];
    }

    byte[] array() {
        return bytes.array();
    }

    /** A copy that stays valid after the request is done (a WebSocket session keeps its upgrade's fields). */
    public HttpHeaders copy() {
        HttpHeaders c = new HttpHeaders(new HeadBytes(16));
        for (int i = 0; i < size; i++) c.add(name(i), value(i));
        return c;
    }

    private int check(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException("field " + i + " of " + size);
        return i;
    }

    @Override
    public String toString() {
        return fields().toString();
    }
}
