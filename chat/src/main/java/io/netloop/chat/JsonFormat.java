package io.netloop.chat;

/**
 * Events as the JSON objects the browser page reads, one per WebSocket text message, each
 * with a {@code type}:
 *
 * <pre>
 * {"type":"said","from":"bob","text":"hello"}      {"type":"acted","from":"bob","text":"waves"}
 * {"type":"joined","nick":"bob"}                   {"type":"left","nick":"bob","reason":"quit"}
 * {"type":"renamed","from":"bob","to":"rob"}       {"type":"online","nicks":["alice","bob"]}
 * {"type":"nickSet","nick":"bob"}                  {"type":"notice","text":"..."}
 * {"type":"refused","reason":"..."}                {"type":"goodbye","reason":"..."}
 * </pre>
 *
 * And what the page sends: {@code {"type":"nick","name":"bob"}} (empty: a guest name) and
 * {@code {"type":"line","text":"hello"}}, where a line is read exactly as a TCP line is.
 *
 * <p>Threading: stateless.
 */
final class JsonFormat {
    private JsonFormat() {}

    static String render(ChatEvent event) {
        return switch (event) {
            case ChatEvent.Said s -> Json.object("type", "said", "from", s.from(), "text", s.text());
            case ChatEvent.Acted a -> Json.object("type", "acted", "from", a.from(), "text", a.text());
            case ChatEvent.Joined j -> Json.object("type", "joined", "nick", j.nick());
            case ChatEvent.Left l -> Json.object("type", "left", "nick", l.nick(), "reason", l.reason());
            case ChatEvent.Renamed r -> Json.object("type", "renamed", "from", r.from(), "to", r.to());
            case ChatEvent.Online o -> Json.object("type", "online", "nicks", o.nicks());
            case ChatEvent.NickSet n -> Json.object("type", "nickSet", "nick", n.nick());
            case ChatEvent.Notice n -> Json.object("type", "notice", "text", n.text());
            case ChatEvent.Refused r -> Json.object("type", "refused", "reason", r.reason());
            case ChatEvent.Goodbye g -> Json.object("type", "goodbye", "reason", g.reason());
        };
    }
}
