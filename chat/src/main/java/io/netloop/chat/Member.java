package io.netloop.chat;

import io.netloop.core.EventLoop;

/**
 * The room's view of one connection, whatever its transport: where it lives and how to tell
 * it something. The room keeps members by identity.
 *
 * <p>Threading: {@link #loop} from any thread. The room calls {@link #deliver} only through
 * {@code loop().execute(...)}, so it runs on the member's own loop; {@link #handled} is
 * called on the room's loop and may only hand work over to the member's loop.
 */
public interface Member {
    /** The loop that owns this member's connection. */
    EventLoop loop();

    /** Renders and sends {@code event}. On the member's loop. */
    void deliver(ChatEvent event);

    /** The room finished one command this member posted. On the room's loop. */
    void handled();

    /** For log lines: the peer's address and the like. */
    String describe();
}
