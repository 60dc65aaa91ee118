package io.netloop.chat;

import io.netloop.core.EventLoop;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the commands one member has posted to the room that the room has not handled yet,
 * so that a fast sender cannot grow the room's task queue: at the bound the member stops
 * taking input ({@link #isFull}) until the room has handled everything, and then the room
 * hands a re-open back to the member's loop.
 *
 * <p>Threading: {@link #posted}, {@link #isFull} and the re-open run on the member's loop;
 * {@link #handled} on the room's loop. The full flag is set before the command that filled
 * the window is posted, so the room sees it when it handles that command.
 */
final class CommandWindow {
    private final int size;
    private final EventLoop memberLoop;
    private final Runnable reopened;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile boolean full;

    /** @param reopened run on the member's loop once a full window has emptied */
    CommandWindow(int size, EventLoop memberLoop, Runnable reopened) {
        this.size = size;
        this.memberLoop = memberLoop;
        this.reopened = reopened;
    }

    /** Counts a command about to be posted. Member's loop. */
    void posted() {
        if (pending.incrementAndGet() >= size) full = true;
    }

    /** True while the member should post nothing more. Member's loop. */
    boolean isFull() {
        return full;
    }

    /** Counts a command handled. Room's loop. */
    void handled() {
        if (pending.decrementAndGet() == 0 && full) {
            try {
                memberLoop.execute(() -> {
                    full = false;
                    reopened.run();
                });
            } catch (RejectedExecutionException stopped) {
                // The member's loop has terminated and closed the connection with it.
            }
        }
    }
}
