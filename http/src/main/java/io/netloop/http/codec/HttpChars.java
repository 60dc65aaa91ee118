package io.netloop.http.codec;

/**
 * The character classes of HTTP's grammar (RFC 9110 §5.6, RFC 9112 §2), as lookups on bytes:
 * the parser's, and the server's checks of what a handler puts in a response head.
 *
 * <p>Threading: stateless; safe from any thread.
 */
public final class HttpChars {
    private static final boolean[] TCHAR = new boolean[256];

    static {
        // RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
        //                          "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
        for (char c = '0'; c <= '9'; c++) TCHAR[c] = true;
        for (char c = 'a'; c <= 'z'; c++) TCHAR[c] = true;
        for (char c = 'A'; c <= 'Z'; c++) TCHAR[c] = true;
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TCHAR[c] = true;
    }

    private HttpChars() {}

    public static boolean isTchar(int b) {
        return TCHAR[b & 0xFF];
    }

    public static boolean isToken(byte[] a, int from, int to) {
        if (from >= to) return false;
        for (int i = from; i < to; i++) {
            if (!TCHAR[a[i] & 0xFF]) return false;
        }
        return true;
    }

    public static boolean isToken(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xFF || !TCHAR[c]) return false;
        }
        return true;
    }

    public static boolean isWhitespace(int b) {
        return b == ' ' || b == '\t';
    }

    public static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** The value of a hexadecimal digit, or -1. */
    public static int hexValue(int c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    /** Removes optional whitespace (SP / HTAB, RFC 9110 §5.6.3) from both ends. */
    public static String trimOws(String s) {
        int from = 0;
        int to = s.length();
        while (from < to && isWhitespace(s.charAt(from))) from++;
        while (to > from && isWhitespace(s.charAt(to - 1))) to--;
        return s.substring(from, to);
    }

    /** Whether {@code a[from, to)} equals the ASCII string {@code s}, ignoring case. */
    public static boolean equalsIgnoreCase(byte[] a, int from, int to, String s) {
        if (to - from != s.length()) return false;
        for (int i = 0; i < s.length(); i++) {
            int b = a[from + i];
            int c = s.charAt(i);
            if (b != c && (b | 0x20) != (c | 0x20)) return false;
            if (b != c && ((b | 0x20) < 'a' || (b | 0x20) > 'z')) return false;
        }
        return true;
    }

    /**
     * Whether the comma-separated list in {@code a[from, to)} holds {@code token} as a whole
     * element, ignoring case and optional whitespace around it (RFC 9110 §5.6.1).
     */
    public static boolean listHolds(byte[] a, int from, int to, String token) {
        int i = from;
        while (i <= to) {
            int comma = i;
            while (comma < to && a[comma] != ',') comma++;
            int s = i;
            int e = comma;
            while (s < e && isWhitespace(a[s])) s++;
            while (e > s && isWhitespace(a[e - 1])) e--;
            if (equalsIgnoreCase(a, s, e, token)) return true;
            i = comma + 1;
        }
        return false;
    }
}
