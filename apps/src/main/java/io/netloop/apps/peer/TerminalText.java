package io.netloop.apps.peer;

/**
 * Text from the network made safe to print on a terminal: no character that a terminal
 * takes as a command (C0 and C1 controls, so no escape sequence) or that reorders what is
 * shown around it (Unicode bidirectional overrides and isolates, which can make a line read
 * as something it is not). Each becomes U+FFFD.
 *
 * <p>The protocol already refuses lines with controls; this is the second fence, for every
 * string a peer chose (names, messages, error reasons) on its way to the screen.
 *
 * <p>Threading: pure functions; any thread.
 */
public final class TerminalText {
    private TerminalText() {}

    static final char REPLACEMENT = '\uFFFD';

    public static String sanitize(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean unsafe =
                    LineCodec.isControl(c) || isBidiControl(c) || (Character.isSurrogate(c) && !pairedAt(s, i));
            if (unsafe && out == null) out = new StringBuilder(s.length()).append(s, 0, i);
            if (out != null) {
                out.append(unsafe ? REPLACEMENT : c);
            }
        }
        return out == null ? s : out.toString();
    }

    private static boolean isBidiControl(char c) {
        return (c >= '\u202A' && c <= '\u202E')
                || (c >= '\u2066' && c <= '\u2069')
                || c == '\u200E'
                || c == '\u200F'
                || c == '\u061C';
    }

    private static boolean pairedAt(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
