package io.netloop.chat;

import io.netloop.core.loop.EventLoop;

/**
 * The room's view of one connection, whatever its transport: where it lives and how to tell
 * it something. The room keeps members by identity.
 *
 * <p>Threading: {@link #loop} and {@link #describe} from any thread. The room calls
 * {@link #deliver} and {@link #handled} only through {@code loop().execute(...)}, so they
 * run on the member's own loop.
 */
public interface Member {
    /** The loop that owns this member's connection. */
    EventLoop loop();

    /** Renders and sends {@code event}. On the member's loop. */
    void deliver(ChatEvent event);

    /**
     * The room finished one command this member posted, and what it delivered to this member
     * because of it has been delivered already. On the member's loop.
     */
    void handled();

    /** For log lines: the peer's address and the like. */
    String describe();
}
