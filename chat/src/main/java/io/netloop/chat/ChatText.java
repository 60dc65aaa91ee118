package io.netloop.chat;

/**
 * What a line of chat may hold, whichever way it came: no control characters (C0, DEL, C1),
 * so that no member can ring bells, move cursors or inject escape sequences into another's
 * terminal; no bidirectional embeddings, overrides or isolates (U+202A..U+202E, U+2066..U+2069),
 * which would reorder what a terminal or page shows after the line (the prefix naming the next
 * sender included: "Trojan Source", CVE-2021-42574), while the marks LRM, RLM and ALM, which
 * reorder nothing beyond themselves, stay allowed; no unpaired surrogate, which is no text; and a
 * bounded length in UTF-8.
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
            if ((c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')) {
                return String.format(
                        "bidirectional embeddings, overrides and isolates are not allowed (U+%04X at character %d)",
                        (int) c, i + 1);
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++; // a pair: one character beyond the BMP
            } else if (Character.isSurrogate(c)) {
                return String.format("an unpaired surrogate is no text (U+%04X at character %d)", (int) c, i + 1);
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
