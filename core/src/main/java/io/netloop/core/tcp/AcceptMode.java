package io.netloop.core.tcp;

import java.util.Locale;

/**
 * How a server on several loops spreads its connections.
 *
 * <ul>
 *   <li>{@link #HANDOFF}: one listening socket on the first loop, which accepts and hands
 *       each connection to the next loop round-robin (muduo's way).</li>
 *   <li>{@link #REUSEPORT}: one listening socket per loop on the same port
 *       (SO_REUSEPORT); the kernel balances new connections across them, and each loop
 *       accepts its own, with no hand-off.</li>
 * </ul>
 *
 * <p>Threading: an enum; any thread.
 */
public enum AcceptMode {
    HANDOFF,
    REUSEPORT;

    public static AcceptMode parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown accept mode '" + s + "': use handoff or reuseport");
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return label();
    }
}
