package io.netloop.chat;

/**
 * Counts the commands one member has posted to the room whose answers have not reached the
 * member's loop yet, so that neither the room's task queue nor the member's own output can
 * grow without bound: at {@code size} the member takes no more input ({@link #isFull}), and
 * once half of them are answered it goes on.
 *
 * <p>An answer counts when {@link #handled} runs on the member's loop: the room posts that
 * after the deliveries the command caused, to the same loop, so they have run by then. (Counting
 * on the room's side would let the room's answers pile up on a busy member loop unseen.)
 *
 * <p>Threading: confined to the member's loop.
 */
final class CommandWindow {
    private final int size;
    private final Runnable reopened;
    private int pending;
    private boolean full;

    /** @param reopened run when a full window has room again */
    CommandWindow(int size, Runnable reopened) {
        this.size = size;
        this.reopened = reopened;
    }

    /** Counts a command about to be posted. */
    void posted() {
        if (++pending >= size) full = true;
    }

    /** True while the member should post nothing more. */
    boolean isFull() {
        return full;
    }

    /** The room's answer to one command has been delivered. */
    void handled() {
        pending--;
        if (full && pending <= size / 2) {
            full = false;
            reopened.run();
        }
    }
}
