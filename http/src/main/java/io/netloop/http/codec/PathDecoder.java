package io.netloop.http.codec;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the raw path of a request target into the path an application routes on and a file
 * server maps to files: percent-decoded as UTF-8, with "." and ".." segments resolved and runs
 * of "/" merged into one.
 *
 * <p>It guards the file system, so it decides the doubtful cases the safe way:
 * <ul>
 *   <li>Segments are split on the raw "/" before decoding, and a segment that decodes to "." or
 *       ".." ("%2e%2E") is a dot segment like the plain one: RFC 3986 §2.3 makes "%2E" and "."
 *       equivalent, and a server that resolved only the plain form would hand ".." to the disk.
 *   <li>Empty segments ("//") are dropped, as nginx's merge_slashes does: an access rule
 *       written for "/admin/" then also covers "//admin/", and a file server never sees a
 *       segment that a path API could take for the root. A trailing slash is kept.
 *   <li>A ".." with no segment left to remove is refused, not clamped to the root as RFC 3986
 *       §5.2.4 would do: no honest client sends it.
 *   <li>"%2F" and "\" (plain or "%5C") are flagged in the result, not refused, since a route may
 *       take them as data; {@link DecodedPath#isSafeForFileSystem()} tells a file server to refuse.
 *   <li>An encoded NUL ("%00") is refused: C-based file APIs end the name there.
 *   <li>Decoded bytes must be UTF-8 (RFC 3986 §2.5); overlong forms such as "%C0%AE" (a dot in
 *       disguise) are malformed UTF-8 and refused.
 * </ul>
 *
 * <p>Threading: stateless; safe from any thread.
 */
public final class PathDecoder {
    private PathDecoder() {}

    /**
     * Decodes and normalises {@code rawPath}, which must start with "/" and hold only visible
     * ASCII without "?" or "#".
     *
     * @throws MalformedPathException if the path is malformed or climbs above the root
     */
    public static DecodedPath decode(String rawPath) {
        if (rawPath.isEmpty() || rawPath.charAt(0) != '/')
            throw new MalformedPathException("path does not start with '/'");
        List<String> segments = new ArrayList<>();
        boolean encodedSlash = false;
        boolean backslash = false;
        int start = 1;
        while (true) {
            int slash = rawPath.indexOf('/', start);
            boolean last = slash < 0;
            int end = last ? rawPath.length() : slash;
            String segment = decodeSegment(rawPath, start, end);
            if (segment.indexOf('/') >= 0) encodedSlash = true;
            if (segment.indexOf('\\') >= 0) backslash = true;
            switch (segment) {
                case "" -> {
                    if (last) segments.add("");
                }
                case "." -> {
                    if (last) segments.add("");
                }
                case ".." -> {
                    if (segments.isEmpty()) throw new MalformedPathException("path climbs above the root");
                    segments.removeLast();
                    if (last) segments.add("");
                }
                default -> segments.add(segment);
            }
            if (last) break;
            start = slash + 1;
        }
        return new DecodedPath("/" + String.join("/", segments), encodedSlash, backslash);
    }

    /**
     * Whether {@link #decode} would return the raw path {@code a[from, to)} unchanged: it holds no
     * "%" and no "\", no empty segment but the last, and no dot segment. Such a path is routed
     * and served on its bytes as they are.
     */
    public static boolean isNormal(byte[] a, int from, int to) {
        if (to <= from || a[from] != '/') return false;
        int segment = from + 1;
        for (int i = from + 1; i <= to; i++) {
            if (i == to || a[i] == '/') {
                int len = i - segment;
                if (len == 0 && i != to) return false;
                if (len == 1 && a[segment] == '.') return false;
                if (len == 2 && a[segment] == '.' && a[segment + 1] == '.') return false;
                segment = i + 1;
            } else {
                byte b = a[i];
                // Visible ASCII only (negative bytes are beyond it); "?" and "#" never reach a path.
                if (b == '%' || b == '\\' || b <= 0x20 || b >= 0x7F) return false;
            }
        }
        return true;
    }

    private static String decodeSegment(String raw, int from, int to) {
        boolean encoded = false;
        for (int i = from; i < to; i++) {
            char c = raw.charAt(i);
            if (c <= 0x20 || c >= 0x7F || c == '?' || c == '#')
                throw new MalformedPathException("invalid character in path");
            if (c == '%') encoded = true;
        }
        if (!encoded) return raw.substring(from, to);

        byte[] bytes = new byte[to - from];
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                bytes[n++] = (byte) c;
                continue;
            }
            int hi = i + 1 < to ? HttpChars.hexValue(raw.charAt(i + 1)) : -1;
            int lo = i + 2 < to ? HttpChars.hexValue(raw.charAt(i + 2)) : -1;
            if (hi < 0 || lo < 0) throw new MalformedPathException("malformed percent-encoding in path");
            int b = hi << 4 | lo;
            if (b == 0) throw new MalformedPathException("encoded NUL in path");
            bytes[n++] = (byte) b;
            i += 2;
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return utf8.decode(ByteBuffer.wrap(bytes, 0, n)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedPathException("path is not UTF-8");
        }
    }
}
