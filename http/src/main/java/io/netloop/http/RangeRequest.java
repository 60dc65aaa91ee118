package io.netloop.http;

import io.netloop.http.codec.HttpChars;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@code Range: bytes=...} field (RFC 9110 §14.1.2) resolved against a representation's
 * length: the satisfiable ranges, in the order asked, with suffix ("-500") and open
 * ("9500-") forms made concrete and clipped to the length.
 *
 * <p>Threading: immutable; any thread.
 *
 * @param ranges the satisfiable ranges; empty means 416 (none could be satisfied)
 */
record RangeRequest(List<Span> ranges) {
    /**
     * At most this many ranges are honoured; a request for more is answered with the whole
     * representation, as §14.2 allows, since many small ranges cost far more than one
     * response (a known denial-of-service pattern).
     */
    static final int MAX_RANGES = 16;

    /** Bytes {@code first..last} inclusive, as Content-Range writes them. */
    record Span(long first, long last) {
        long length() {
            return last - first + 1;
        }

        String contentRange(long size) {
            return "bytes " + first + "-" + last + "/" + size;
        }
    }

    boolean satisfiable() {
        return !ranges.isEmpty();
    }

    /**
     * Parses {@code value} for a representation of {@code size} bytes.
     *
     * @return null when the field is to be ignored (not bytes, malformed, too many ranges:
     *     the whole representation is sent), else the satisfiable ranges (maybe none)
     */
    static RangeRequest parse(String value, long size) {
        if (value == null) return null;
        String v = value.trim();
        // §14.1.1: the unit is case-insensitive.
        if (v.length() < 6 || !v.regionMatches(true, 0, "bytes=", 0, 6)) return null;
        String[] specs = v.substring(6).split(",", -1);
        if (specs.length > MAX_RANGES) return null;
        List<Span> out = new ArrayList<>(specs.length);
        int nonEmpty = 0;
        for (String raw : specs) {
            String spec = HttpChars.trimOws(raw);
            if (spec.isEmpty()) continue; // §5.6.1: empty list elements do not count
            nonEmpty++;
            int dash = spec.indexOf('-');
            if (dash < 0) return null;
            String a = spec.substring(0, dash);
            String b = spec.substring(dash + 1);
            if (a.isEmpty()) {
                long suffix = digits(b);
                if (suffix < 0) return null;
                // A suffix of zero bytes is unsatisfiable; a longer one than the whole is the whole.
                if (suffix > 0 && size > 0) out.add(new Span(Math.max(0, size - suffix), size - 1));
            } else {
                long first = digits(a);
                long last = b.isEmpty() ? Long.MAX_VALUE : digits(b);
                if (first < 0 || last < 0 || last < first) return null; // §14.1.1: invalid, ignore the field
                if (first < size) out.add(new Span(first, Math.min(last, size - 1)));
            }
        }
        if (nonEmpty == 0) return null;
        return new RangeRequest(List.copyOf(out));
    }

    private static long digits(String s) {
        if (s.isEmpty() || s.length() > 18) return -1;
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
