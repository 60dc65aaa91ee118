package io.netloop.apps.peer;

/**
 * What the user typed: a command ({@code /connect}, {@code /list}, {@code /msg}, {@code /quit},
 * {@code /exit}, {@code /help}) or text for everyone. A line starting with {@code //} is text
 * starting with {@code /}.
 *
 * <p>Threading: immutable values and a pure parser; any thread.
 */
sealed interface ConsoleCommand {
    record Say(String text) implements ConsoleCommand {}

    record Connect(String host, int port) implements ConsoleCommand {}

    record ListPeers() implements ConsoleCommand {}

    record Msg(int id, String text) implements ConsoleCommand {}

    record Quit(int id) implements ConsoleCommand {}

    record Exit() implements ConsoleCommand {}

    record Help() implements ConsoleCommand {}

    /** A line that is none of the above; {@code message} says what to type instead. */
    record Invalid(String message) implements ConsoleCommand {}

    String HELP = """
        /connect HOST:PORT   connect to another peer (e.g. /connect 127.0.0.1:7070)
        /list                who is connected: id, name, address
        /msg ID TEXT         send TEXT to peer ID only
        /quit ID             disconnect from peer ID
        /exit                disconnect from everyone and stop (so does end of input, Ctrl-D)
        /help                this list
        anything else        goes to every peer (start it with // to send a leading /)\
        """;

    /** The command in {@code line}, or null for a blank line. */
    static ConsoleCommand parse(String line) {
        if (line.isBlank()) return null;
        if (!line.startsWith("/")) return new Say(line);
        if (line.startsWith("//")) return new Say(line.substring(1));
        String[] words = line.strip().split("\\s+", 3);
        String rest = line.strip().substring(words[0].length()).strip();
        return switch (words[0]) {
            case "/connect" -> connect(rest);
            case "/list" -> rest.isEmpty() ? new ListPeers() : new Invalid("usage: /list");
            case "/msg" -> msg(words);
            case "/quit" -> quit(words);
            case "/exit" -> rest.isEmpty() ? new Exit() : new Invalid("usage: /exit");
            case "/help", "/?" -> new Help();
            default -> new Invalid("unknown command " + words[0] + "; /help lists the commands");
        };
    }

    private static ConsoleCommand connect(String target) {
        String usage = "usage: /connect HOST:PORT (e.g. /connect 127.0.0.1:7070 or /connect [::1]:7070)";
        int colon = target.lastIndexOf(':');
        if (colon <= 0 || target.contains(" ")) return new Invalid(usage);
        String host = target.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        else if (host.contains(":")) return new Invalid(usage + "; put an IPv6 address in brackets");
        int port;
        try {
            port = Integer.parseInt(target.substring(colon + 1));
        } catch (NumberFormatException e) {
            return new Invalid(usage);
        }
        if (port < 1 || port > 65535) return new Invalid("port " + port + " is out of range: use 1 to 65535");
        if (host.isEmpty()) return new Invalid(usage);
        return new Connect(host, port);
    }

    private static ConsoleCommand msg(String[] words) {
        String usage = "usage: /msg ID TEXT (ID is the number /list shows)";
        if (words.length < 3 || words[2].isBlank()) return new Invalid(usage);
        Integer id = id(words[1]);
        return id == null ? new Invalid(usage) : new Msg(id, words[2]);
    }

    private static ConsoleCommand quit(String[] words) {
        Integer id = words.length == 2 ? id(words[1]) : null;
        return id == null ? new Invalid("usage: /quit ID (the number /list shows)") : new Quit(id);
    }

    /** "2" or "#2" as a peer id, or null. */
    private static Integer id(String word) {
        String digits = word.startsWith("#") ? word.substring(1) : word;
        if (digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) return null;
        return Integer.parseInt(digits);
    }
}
