package io.netloop.core.loop;

import io.netloop.core.sys.linux.Native;
import io.netloop.core.transport.Transport;
import io.netloop.core.transport.linux.EpollTransport;
import io.netloop.core.transport.nio.NioTransport;
import io.netloop.core.transport.uring.UringTransport;
import java.util.Locale;

/**
 * The I/O model a server runs on, as {@code --io auto|epoll|epoll-et|io_uring|nio|poll|select|signal}
 * says.
 *
 * <p>{@link #AUTO} is epoll (level-triggered) where the kernel bindings work, and the JDK's
 * NIO otherwise: io_uring is chosen only when asked for, as the lab measures it no cheaper
 * than epoll everywhere (docs/io-models.md). The system property {@value #AUTO_PROPERTY}
 * names another mode for AUTO in this JVM ({@code -Dnetloop.io.auto=io_uring}): every server
 * left on auto then runs on it, which is how the test suite runs its HTTP, TLS, WebSocket,
 * chat and drain tests on io_uring too. Threading: an enum; any thread.
 */
public enum IoMode {
    AUTO("auto"),
    EPOLL("epoll"),
    EPOLL_ET("epoll-et"),
    /** io_uring through FFM: completions, one ring per loop (Linux 6.3 or newer). */
    IO_URING("io_uring"),
    NIO("nio"),
    /** poll(2) through FFM: for the lab; O(connections) per wait. */
    POLL("poll"),
    /** select(2) through FFM: for the lab; at most 1024 descriptors. */
    SELECT("select"),
    /** Signal-driven I/O (O_ASYNC, a realtime signal per event, read from a signalfd): for the lab. */
    SIGNAL("signal");

    /** The system property that makes {@link #AUTO} mean another mode. */
    public static final String AUTO_PROPERTY = "netloop.io.auto";

    private final String label;

    IoMode(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Parses a label, {@code "epoll-et"}, {@code "io_uring"} (or {@code io-uring}) or an enum name. */
    public static IoMode parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (IoMode m : values()) {
            if (m.label.replace('_', '-').equals(t)) return m;
        }
        throw new IllegalArgumentException(
                "unknown I/O mode '" + s + "': use auto, epoll, epoll-et, io_uring, nio, poll, select or signal");
    }

    /**
     * AUTO made concrete; an explicit native mode that cannot work here fails with the reason
     * and what to use instead.
     */
    public IoMode resolve() {
        if (this == AUTO) {
            String chosen = System.getProperty(AUTO_PROPERTY, "").strip();
            if (!chosen.isEmpty() && !chosen.equals("auto"))
                return parse(chosen).resolve();
            return Native.isAvailable() ? EPOLL : NIO;
        }
        if (this != NIO && !Native.isAvailable()) {
            throw new IllegalStateException(
                    "--io " + label + " is unavailable: " + Native.unavailableReason() + " (or use --io nio)");
        }
        if (this == IO_URING && UringTransport.unavailableReason() != null) {
            throw new IllegalStateException(
                    "--io io_uring is unavailable: " + UringTransport.unavailableReason() + "; use --io epoll");
        }
        return this;
    }

    public Transport transport() {
        return switch (resolve()) {
            case EPOLL -> EpollTransport.LEVEL;
            case EPOLL_ET -> EpollTransport.EDGE;
            case IO_URING -> UringTransport.INSTANCE;
            case NIO -> NioTransport.INSTANCE;
            case POLL -> EpollTransport.POLL;
            case SELECT -> EpollTransport.SELECT;
            case SIGNAL -> EpollTransport.SIGNAL;
            case AUTO -> throw new AssertionError();
        };
    }

    @Override
    public String toString() {
        return label;
    }
}
