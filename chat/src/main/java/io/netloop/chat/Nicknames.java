package io.netloop.chat;

import java.util.Locale;

/**
 * What a nickname may be: ASCII letters, digits, '_' and '-', starting with a letter, at most
 * {@link ChatLimits#maxNickLength} characters; two nicknames that differ only in case are the
 * same one. A small alphabet keeps nicknames printable on any terminal, unambiguous to read
 * (no look-alike letters from other scripts) and safe in any markup.
 *
 * <p>Threading: stateless.
 */
final class Nicknames {
    private Nicknames() {}

    /** Why {@code nick} is not a nickname, or null when it is one. */
    static String problem(String nick, int maxLength) {
        if (nick.isEmpty()) return "a nickname cannot be empty";
        if (nick.length() > maxLength) return "a nickname has at most " + maxLength + " characters";
        if (!isLetter(nick.charAt(0))) return "a nickname starts with a letter (a-z, A-Z)";
        for (int i = 1; i < nick.length(); i++) {
            char c = nick.charAt(i);
            if (!isLetter(c) && !(c >= '0' && c <= '9') && c != '_' && c != '-') {
                return "a nickname holds only letters, digits, '_' and '-' (not '" + printable(c) + "')";
            }
        }
        return null;
    }

    /** The form under which nicknames are compared: "Bob" and "bob" are one nickname. */
    static String key(String nick) {
        return nick.toLowerCase(Locale.ROOT);
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static String printable(char c) {
        return Character.isISOControl(c) || Character.isSurrogate(c)
                ? String.format("U+%04X", (int) c)
                : String.valueOf(c);
    }
}
