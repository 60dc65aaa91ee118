package io.netloop.chat;

/**
 * One line of input read as the room understands it: a command ({@code /nick}, {@code /who},
 * {@code /me}, {@code /quit}, {@code /help}) or a message. A message that must start with
 * '/' is written with two ("//etc" says "/etc").
 *
 * <p>Threading: immutable values.
 */
sealed interface ChatCommand {
    record Say(String text) implements ChatCommand {}

    record Me(String action) implements ChatCommand {}

    record Nick(String name) implements ChatCommand {}

    record Who() implements ChatCommand {}

    record Quit(String message) implements ChatCommand {}

    record Help() implements ChatCommand {}

    record Unknown(String name) implements ChatCommand {}

    /** A line of nothing but spaces: ignored. */
    record Blank() implements ChatCommand {}

    static ChatCommand parse(String line) {
        if (line.isBlank()) return new Blank();
        if (line.startsWith("//")) return new Say(line.substring(1));
        if (!line.startsWith("/")) return new Say(line);
        int space = line.indexOf(' ');
        String name = space < 0 ? line.substring(1) : line.substring(1, space);
        String arg = space < 0 ? "" : line.substring(space + 1).strip();
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "nick" -> new Nick(arg);
            case "who", "names" -> new Who();
            case "me" -> new Me(arg);
            case "quit", "exit" -> new Quit(arg);
            case "help", "?" -> new Help();
            default -> new Unknown(name);
        };
    }
}
