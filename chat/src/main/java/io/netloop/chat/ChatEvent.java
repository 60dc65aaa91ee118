package io.netloop.chat;

import java.util.List;

/**
 * What the room tells a member. Each transport renders it in its own form: a text line for
 * TCP ({@link LineFormat}), a JSON object for WebSocket ({@link JsonFormat}).
 *
 * <p>Threading: immutable values; the room makes them on its loop, members render them on
 * theirs.
 */
public sealed interface ChatEvent {
    /** A message: {@code from} said {@code text}. */
    record Said(String from, String text) implements ChatEvent {}

    /** An action ({@code /me}): {@code from} {@code text}s. */
    record Acted(String from, String text) implements ChatEvent {}

    record Joined(String nick) implements ChatEvent {}

    record Left(String nick, String reason) implements ChatEvent {}

    record Renamed(String from, String to) implements ChatEvent {}

    /** The members in the room, in the order they joined. */
    record Online(List<String> nicks) implements ChatEvent {
        public Online {
            nicks = List.copyOf(nicks);
        }
    }

    /** The receiving member is now in the room as {@code nick} (after joining or renaming). */
    record NickSet(String nick) implements ChatEvent {}

    /** Information for the receiving member only (help, prompts). */
    record Notice(String text) implements ChatEvent {}

    /** The receiving member's last input was refused, and why. */
    record Refused(String reason) implements ChatEvent {}

    /** The receiving member is being disconnected; the transport closes after sending this. */
    record Goodbye(String reason) implements ChatEvent {}
}
