package io.netloop.chat;

/**
 * What a line of chat may hold, whichever way it came: no control characters (C0, DEL, C1),
 * so that no member can ring bells, move cursors or inject escape sequences into another's
 * terminal, and a bounded length in UTF-8.
 *
 * <p>Threading: stateless.
 */
final class ChatText {
    private ChatText() {}

    /** Why {@code text} cannot be sent, or null when it can. */
    static String problem(String text, int maxBytes) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                return String.format("control characters are not allowed (U+%04X at character %d)", (int) c, i + 1);
            }
        }
        int bytes = utf8Length(text);
        if (bytes > maxBytes) return "a line has at most " + maxBytes + " bytes of UTF-8 (this one has " + bytes + ")";
        return null;
    }

    /** Bytes of {@code s} in UTF-8, without encoding it. */
    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3; // a surrogate pair is 4
        }
        return bytes;
    }
}
