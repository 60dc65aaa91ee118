package io.netloop.http.codec;

import java.nio.charset.StandardCharsets;

/**
 * The syntax of an authority, {@code uri-host [ ":" port ]} (RFC 3986 §3.2.2, RFC 9110 §7.2), as
 * the Host field and the authority of absolute- and authority-form targets carry it. Userinfo is
 * refused everywhere (RFC 9110 §4.2.4), and so is an empty port ("host:"), which RFC 3986 allows
 * but no client needs.
 *
 * <p>Checked on bytes, so that the Host field of every request is checked without a String.
 *
 * <p>Threading: stateless; safe from any thread.
 */
final class HostSyntax {
    private static final String SUB_DELIMS_AND_MARKS = "-._~!$&'()*+,;=";

    private HostSyntax() {}

    /** A Host field value; RFC 9112 §3.2 lets it be empty when the target has no authority. */
    static boolean isValidHostField(String value) {
        byte[] a = value.getBytes(StandardCharsets.ISO_8859_1);
        return isValidHostField(a, 0, a.length);
    }

    static boolean isValidHostField(byte[] a, int from, int to) {
        return from == to || isValidAuthority(a, from, to, false);
    }

    /** {@code host [":" port]}, or {@code host ":" port} when the port is required (CONNECT). */
    static boolean isValidAuthority(String s, boolean portRequired) {
        byte[] a = s.getBytes(StandardCharsets.ISO_8859_1);
        return isValidAuthority(a, 0, a.length, portRequired);
    }

    static boolean isValidAuthority(byte[] a, int from, int to, boolean portRequired) {
        if (from == to) return false;
        int hostEnd;
        if (a[from] == '[') {
            int close = indexOf(a, from, to, ']');
            if (close < 0 || !isIpLiteral(a, from + 1, close)) return false;
            hostEnd = close + 1;
        } else {
            int colon = indexOf(a, from, to, ':');
            hostEnd = colon < 0 ? to : colon;
            if (hostEnd == from || !isRegName(a, from, hostEnd)) return false;
        }
        if (hostEnd == to) return !portRequired;
        return a[hostEnd] == ':' && isPort(a, hostEnd + 1, to);
    }

    // IPv6 and IPv4-in-IPv6 addresses; the IPvFuture form and zone identifiers are not accepted.
    private static boolean isIpLiteral(byte[] a, int from, int to) {
        if (to - from < 2) return false;
        boolean colon = false;
        for (int i = from; i < to; i++) {
            byte c = a[i];
            if (c == ':') colon = true;
            else if (c != '.' && HttpChars.hexValue(c) < 0) return false;
        }
        return colon;
    }

    // reg-name = *( unreserved / pct-encoded / sub-delims ); IPv4 addresses fit it too.
    private static boolean isRegName(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            byte c = a[i];
            if (c == '%') {
                if (i + 2 >= to || HttpChars.hexValue(a[i + 1]) < 0 || HttpChars.hexValue(a[i + 2]) < 0) return false;
                i += 2;
            } else if (!(isAlphaNum(c) || (c > 0 && SUB_DELIMS_AND_MARKS.indexOf(c) >= 0))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPort(byte[] a, int from, int to) {
        int digits = to - from;
        if (digits < 1 || digits > 5) return false;
        int port = 0;
        for (int i = from; i < to; i++) {
            if (!HttpChars.isDigit(a[i])) return false;
            port = port * 10 + (a[i] - '0');
        }
        return port <= 65535;
    }

    private static int indexOf(byte[] a, int from, int to, char c) {
        for (int i = from; i < to; i++) {
            if (a[i] == c) return i;
        }
        return -1;
    }

    private static boolean isAlphaNum(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
