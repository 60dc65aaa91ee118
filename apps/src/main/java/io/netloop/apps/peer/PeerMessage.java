package io.netloop.apps.peer;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One line of the peer protocol, {@code kind: text}:
 *
 * <pre>
 * hello: NAME       first line each way: who is speaking (letters, digits, '.', '_', '-'; 1 to 32)
 * say: TEXT         to everyone the sender is connected to
 * private: TEXT     to this peer only
 * error: REASON     the last line before the sender disconnects, saying why
 * </pre>
 *
 * Lines are UTF-8, end with LF and hold at most {@link LineCodec#MAX_LINE_BYTES} bytes,
 * without control characters other than tab ({@link LineCodec}).
 *
 * <p>Threading: immutable.
 */
public record PeerMessage(Kind kind, String text) {
    public enum Kind {
        HELLO,
        SAY,
        PRIVATE,
        ERROR;

        final String tag = name().toLowerCase(Locale.ROOT);
    }

    private static final Pattern NAME = Pattern.compile("[\\p{L}\\p{N}._-]{1,32}");

    public static PeerMessage hello(String name) {
        return new PeerMessage(Kind.HELLO, name);
    }

    public static PeerMessage say(String text) {
        return new PeerMessage(Kind.SAY, text);
    }

    public static PeerMessage whisper(String text) {
        return new PeerMessage(Kind.PRIVATE, text);
    }

    public static PeerMessage error(String reason) {
        return new PeerMessage(Kind.ERROR, reason);
    }

    /** The message in a line, or null when the line has no known {@code kind: } prefix. */
    public static PeerMessage parse(String line) {
        int colon = line.indexOf(':');
        if (colon < 0) return null;
        String tag = line.substring(0, colon);
        String text = line.startsWith(" ", colon + 1) ? line.substring(colon + 2) : line.substring(colon + 1);
        for (Kind k : Kind.values()) {
            if (k.tag.equals(tag)) return new PeerMessage(k, text);
        }
        return null;
    }

    public String toLine() {
        return kind.tag + ": " + text;
    }

    /** Why {@code name} cannot be a peer's name, or null when it can. */
    public static String nameProblem(String name) {
        return NAME.matcher(name).matches() ? null : "a name is 1 to 32 letters, digits, '.', '_' or '-'";
    }
}
