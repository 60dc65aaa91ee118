package io.netloop.chat;

import java.nio.charset.StandardCharsets;

/**
 * Events as the text lines a terminal shows (nc, telnet): {@code <bob> hello},
 * {@code * bob waves}, {@code *** bob joined}, {@code !!! the nickname bob is taken}.
 * Lines end in CRLF, which telnet needs and nc shows as well. The text in them passed
 * {@link ChatText}, so it holds no control character that could reach a terminal.
 *
 * <p>Threading: stateless.
 */
final class LineFormat {
    private LineFormat() {}

    static byte[] render(ChatEvent event) {
        String line = switch (event) {
            case ChatEvent.Said s -> "<" + s.from() + "> " + s.text();
            case ChatEvent.Acted a -> "* " + a.from() + " " + a.text();
            case ChatEvent.Joined j -> "*** " + j.nick() + " joined";
            case ChatEvent.Left l -> "*** " + l.nick() + " left (" + l.reason() + ")";
            case ChatEvent.Renamed r -> "*** " + r.from() + " is now known as " + r.to();
            case ChatEvent.Online o -> "*** online (" + o.nicks().size() + "): " + String.join(", ", o.nicks());
            case ChatEvent.NickSet n -> "*** you are " + n.nick() + "; /help lists the commands";
            case ChatEvent.Notice n -> "*** " + n.text();
            case ChatEvent.Refused r -> "!!! " + r.reason();
            case ChatEvent.Goodbye g -> "*** disconnected: " + g.reason();
        };
        return (line + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** The first thing a TCP client reads. */
    static byte[] greeting(int maxNickLength) {
        return render(new ChatEvent.Notice("welcome to netloop chat. Your nickname? (letters, digits, _ and -, up to "
                + maxNickLength + " characters; an empty line picks a guest name)"));
    }
}
