package io.netloop.chat;

import io.netloop.core.loop.EventLoop;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;

/**
 * The chat room: who is in it, under which nickname, and what each line of input means.
 * Transports ({@link TcpChatSession}, {@link WebSocketChat}) only frame and render; every
 * rule of the chat is here, the same for all of them.
 *
 * <ul>
 *   <li>A member that has no nickname yet is asked for one: its first line names it (an
 *       empty line picks {@code guestN}); {@code /nick name} works too.</li>
 *   <li>Nicknames are unique regardless of case and follow {@link Nicknames}.</li>
 *   <li>Lines are messages or commands ({@link ChatCommand}); text with control characters
 *       or over {@link ChatLimits#maxLineBytes} is refused, with the reason.</li>
 *   <li>Joins, leaves and renames are announced to the others.</li>
 * </ul>
 *
 * <p>Threading: the state lives on one loop, the room's, and only there. {@link #line},
 * {@link #nick} and {@link #leave} may be called from any thread: they post to the room's
 * loop. The room answers by posting to each member's loop ({@link Member#deliver}), one task
 * per loop for a broadcast, never touching a member's connection itself.
 */
public final class Room {
    private static final System.Logger LOG = System.getLogger(Room.class.getName());
    static final List<String> HELP = List.of(
            "commands: /nick NAME (change your nickname), /who (who is here), /me ACTION (say what you do),",
            "/quit [MESSAGE] (leave), /help (this); any other line is a message (start it with // to begin with /)");

    private final EventLoop loop;
    private final ChatLimits limits;
    private final ChatStats stats;
    /** Members in the room and their nicknames, in the order they joined. */
    private final Map<Member, String> nicks = new LinkedHashMap<>();

    private final Map<String, Member> byKey = new HashMap<>();
    /** The members of each loop, replaced (never changed) on a join or leave: deliveries iterate them on other threads. */
    private final Map<EventLoop, List<Member>> byLoop = new LinkedHashMap<>();
    /**
     * Members that said /quit, until their transport reports the connection gone
     * ({@link #leave}): lines they had already sent are ignored, not taken for a nickname.
     */
    private final Set<Member> departing = Collections.newSetFromMap(new IdentityHashMap<>());

    private int guests;

    /** @param loop the room's loop: all its state lives there */
    public Room(EventLoop loop, ChatLimits limits, ChatStats stats) {
        this.loop = loop;
        this.limits = limits;
        this.stats = stats;
    }

    public EventLoop loop() {
        return loop;
    }

    public ChatLimits limits() {
        return limits;
    }

    // --- commands from members (any thread) ----------------------------------------------

    /** {@code member} typed {@code text}: one command; {@link Member#handled} follows on the member's loop. */
    public void line(Member member, String text) {
        post(member, () -> onLine(member, text));
    }

    /** {@code member} asks for {@code name} (empty: a guest name): join or rename. One command, as {@link #line}. */
    public void nick(Member member, String name) {
        post(member, () -> onNick(member, name));
    }

    /** {@code member}'s connection is gone or going: the others are told. Not a command; safe to repeat. */
    public void leave(Member member, String reason) {
        try {
            loop.execute(() -> {
                departing.remove(member); // nothing more comes from it
                remove(member, reason);
            });
        } catch (RejectedExecutionException stopped) {
            // The room has closed: nobody is left to tell.
        }
    }

    private void post(Member member, Runnable command) {
        try {
            loop.execute(() -> {
                try {
                    command.run();
                } finally {
                    // After the command's deliveries, on the same loop: they will have run first.
                    handOver(member.loop(), member::handled);
                }
            });
        } catch (RejectedExecutionException stopped) {
            // The room has closed with the server; the member's connection closes with it.
        }
    }

    // --- the rules (room's loop) ---------------------------------------------------------

    private void onLine(Member member, String text) {
        if (departing.contains(member)) return;
        String problem = ChatText.problem(text, limits.maxLineBytes());
        if (problem != null) {
            tell(member, new ChatEvent.Refused(problem));
            return;
        }
        ChatCommand command = ChatCommand.parse(text);
        String nick = nicks.get(member);
        if (nick == null) {
            beforeJoining(member, command);
            return;
        }
        switch (command) {
            case ChatCommand.Blank _ -> {}
            case ChatCommand.Say s -> {
                stats.message();
                broadcast(new ChatEvent.Said(nick, s.text()));
            }
            case ChatCommand.Me me -> {
                if (me.action().isEmpty()) {
                    tell(member, new ChatEvent.Refused("/me needs an action, as in: /me waves"));
                } else {
                    stats.message();
                    broadcast(new ChatEvent.Acted(nick, me.action()));
                }
            }
            case ChatCommand.Nick n -> onNick(member, n.name());
            case ChatCommand.Who _ -> tell(member, online());
            case ChatCommand.Help _ -> help(member);
            case ChatCommand.Quit q -> {
                remove(member, q.message().isEmpty() ? "quit" : "quit: " + q.message());
                goodbye(member);
            }
            case ChatCommand.Unknown u ->
                tell(
                        member,
                        new ChatEvent.Refused("unknown command /" + u.name()
                                + "; /help lists the commands (start a message with // to begin it with /)"));
        }
    }

    /** Before a nickname, a line is the nickname (empty: a guest's); a few commands work too. */
    private void beforeJoining(Member member, ChatCommand command) {
        switch (command) {
            case ChatCommand.Blank _ -> join(member, "");
            case ChatCommand.Say s -> join(member, s.text().strip());
            case ChatCommand.Nick n -> join(member, n.name());
            case ChatCommand.Who _ -> tell(member, online());
            case ChatCommand.Help _ -> help(member);
            case ChatCommand.Quit _ -> goodbye(member);
            case ChatCommand.Me _ -> tell(member, new ChatEvent.Refused("choose a nickname first"));
            case ChatCommand.Unknown _ -> tell(member, new ChatEvent.Refused("choose a nickname first"));
        }
    }

    private void onNick(Member member, String name) {
        if (departing.contains(member)) return;
        String old = nicks.get(member);
        if (old == null) {
            join(member, name);
            return;
        }
        if (name.isEmpty()) {
            tell(member, new ChatEvent.Refused("/nick needs a name, as in: /nick alice"));
            return;
        }
        String problem = Nicknames.problem(name, limits.maxNickLength());
        if (problem != null) {
            tell(member, new ChatEvent.Refused(problem));
            return;
        }
        if (name.equals(old)) {
            tell(member, new ChatEvent.Refused("you are " + old + " already"));
            return;
        }
        Member holder = byKey.get(Nicknames.key(name));
        if (holder != null && holder != member) {
            tell(member, new ChatEvent.Refused("the nickname " + name + " is taken; choose another"));
            return;
        }
        byKey.remove(Nicknames.key(old));
        byKey.put(Nicknames.key(name), member);
        nicks.put(member, name); // keeps the member's place in the joining order
        tellOthers(member, new ChatEvent.Renamed(old, name));
        tell(member, new ChatEvent.NickSet(name));
    }

    private void join(Member member, String requested) {
        String name = requested.isEmpty() ? nextGuestName() : requested;
        String problem = Nicknames.problem(name, limits.maxNickLength());
        if (problem != null) {
            tell(member, new ChatEvent.Refused(problem + "; choose another nickname"));
            return;
        }
        if (byKey.containsKey(Nicknames.key(name))) {
            tell(member, new ChatEvent.Refused("the nickname " + name + " is taken; choose another"));
            return;
        }
        nicks.put(member, name);
        byKey.put(Nicknames.key(name), member);
        byLoop.compute(member.loop(), (l, list) -> {
            List<Member> more = new ArrayList<>(list == null ? List.of() : list);
            more.add(member);
            return List.copyOf(more);
        });
        stats.members(nicks.size());
        // Logged before the member learns its nick, so the line names the address alone, whichever loop runs first.
        LOG.log(System.Logger.Level.DEBUG, () -> name + " joined from " + member.describe());
        tell(member, new ChatEvent.NickSet(name));
        tell(member, online());
        tellOthers(member, new ChatEvent.Joined(name));
    }

    private void remove(Member member, String reason) {
        String nick = nicks.remove(member);
        if (nick == null) return;
        byKey.remove(Nicknames.key(nick));
        byLoop.computeIfPresent(member.loop(), (l, list) -> {
            List<Member> fewer = new ArrayList<>(list);
            fewer.remove(member);
            return fewer.isEmpty() ? null : List.copyOf(fewer);
        });
        stats.members(nicks.size());
        broadcast(new ChatEvent.Left(nick, reason));
        LOG.log(System.Logger.Level.DEBUG, () -> nick + " left (" + reason + ") from " + member.describe());
    }

    private void goodbye(Member member) {
        departing.add(member);
        tell(member, new ChatEvent.Goodbye("bye"));
    }

    private String nextGuestName() {
        String name;
        do {
            name = "guest" + ++guests;
        } while (byKey.containsKey(Nicknames.key(name)));
        return name;
    }

    private ChatEvent.Online online() {
        return new ChatEvent.Online(List.copyOf(nicks.values()));
    }

    private void help(Member member) {
        for (String line : HELP) tell(member, new ChatEvent.Notice(line));
    }

    // --- deliveries: posted to the members' loops ----------------------------------------

    private void tell(Member member, ChatEvent event) {
        handOver(member.loop(), () -> deliverTo(member, event));
    }

    private void broadcast(ChatEvent event) {
        tellOthers(null, event);
    }

    /** One task per loop, not per member: a broadcast to a thousand members wakes each loop once. */
    private void tellOthers(Member except, ChatEvent event) {
        for (Map.Entry<EventLoop, List<Member>> e : byLoop.entrySet()) {
            List<Member> members = e.getValue();
            handOver(e.getKey(), () -> {
                for (Member m : members) {
                    if (m != except) deliverTo(m, event);
                }
            });
        }
    }

    /** One member's failure must not cost the others on its loop their delivery. */
    private static void deliverTo(Member m, ChatEvent event) {
        try {
            m.deliver(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "delivering " + event + " to " + m.describe(), e);
        }
    }

    private static void handOver(EventLoop target, Runnable delivery) {
        try {
            target.execute(delivery);
        } catch (RejectedExecutionException stopped) {
            // That loop has terminated and closed its connections; their leaves are on the way.
        }
    }
}
