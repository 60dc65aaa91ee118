package io.netloop.http.codec;

/**
 * The syntax of an authority, {@code uri-host [ ":" port ]} (RFC 3986 §3.2.2, RFC 9110 §7.2), as
 * the Host field and the authority of absolute- and authority-form targets carry it. Userinfo is
 * refused everywhere (RFC 9110 §4.2.4), and so is an empty port ("host:"), which RFC 3986 allows
 * but no client needs.
 *
 * <p>Threading: stateless; safe from any thread.
 */
final class HostSyntax {
    private HostSyntax() {}

    /** A Host field value; RFC 9112 §3.2 lets it be empty when the target has no authority. */
    static boolean isValidHostField(String value) {
        return value.isEmpty() || isValidAuthority(value, false);
    }

    /** {@code host [":" port]}, or {@code host ":" port} when the port is required (CONNECT). */
    static boolean isValidAuthority(String s, boolean portRequired) {
        if (s.isEmpty()) return false;
        int hostEnd;
        if (s.charAt(0) == '[') {
            int close = s.indexOf(']');
            if (close < 0 || !isIpLiteral(s, 1, close)) return false;
            hostEnd = close + 1;
        } else {
            int colon = s.indexOf(':');
            hostEnd = colon < 0 ? s.length() : colon;
            if (hostEnd == 0 || !isRegName(s, 0, hostEnd)) return false;
        }
        if (hostEnd == s.length()) return !portRequired;
        return s.charAt(hostEnd) == ':' && isPort(s, hostEnd + 1);
    }

    // IPv6 and IPv4-in-IPv6 addresses; the IPvFuture form and zone identifiers are not accepted.
    private static boolean isIpLiteral(String s, int from, int to) {
        if (to - from < 2) return false;
        boolean colon = false;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == ':') colon = true;
            else if (c != '.' && HttpChars.hexValue(c) < 0) return false;
        }
        return colon;
    }

    // reg-name = *( unreserved / pct-encoded / sub-delims ); IPv4 addresses fit it too.
    private static boolean isRegName(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= to || HttpChars.hexValue(s.charAt(i + 1)) < 0 || HttpChars.hexValue(s.charAt(i + 2)) < 0)
                    return false;
                i += 2;
            } else if (!(isAlphaNum(c) || "-._~!$&'()*+,;=".indexOf(c) >= 0)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isPort(String s, int from) {
        int digits = s.length() - from;
        if (digits < 1 || digits > 5) return false;
        for (int i = from; i < s.length(); i++) {
            if (!HttpChars.isDigit(s.charAt(i))) return false;
        }
        return Integer.parseInt(s, from, s.length(), 10) <= 65535;
    }

    private static boolean isAlphaNum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
