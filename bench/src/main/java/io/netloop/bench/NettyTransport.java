package io.netloop.bench;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import java.util.Locale;

/**
 * The I/O transports {@link NettyHttpServer} can run on: Netty's native epoll (its fastest on
 * Linux, and the one to compare with netloop's epoll), the JDK's NIO selector (to compare with
 * netloop's NIO fallback), and io_uring where the kernel allows it (containers often forbid it
 * through seccomp or {@code kernel.io_uring_disabled}).
 *
 * <p>Each constant names its event-loop handler and its server channel class together, since
 * Netty fails at bind time, not at start, when the two do not match.
 *
 * <p>Threading: immutable; any thread. {@link #unavailability()} loads the native library on
 * its first call.
 */
enum NettyTransport {
    EPOLL("epoll") {
        @Override
        IoHandlerFactory handlerFactory() {
            return EpollIoHandler.newFactory();
        }

        @Override
        Class<? extends ServerChannel> serverChannel() {
            return EpollServerSocketChannel.class;
        }

        @Override
        Throwable unavailability() {
            return Epoll.isAvailable() ? null : Epoll.unavailabilityCause();
        }
    },
    NIO("nio") {
        @Override
        IoHandlerFactory handlerFactory() {
            return NioIoHandler.newFactory();
        }

        @Override
        Class<? extends ServerChannel> serverChannel() {
            return NioServerSocketChannel.class;
        }

        @Override
        Throwable unavailability() {
            return null;
        }
    },
    IO_URING("io_uring") {
        @Override
        IoHandlerFactory handlerFactory() {
            return IoUringIoHandler.newFactory();
        }

        @Override
        Class<? extends ServerChannel> serverChannel() {
            return IoUringServerSocketChannel.class;
        }

        @Override
        Throwable unavailability() {
            return IoUring.isAvailable() ? null : IoUring.unavailabilityCause();
        }
    };

    /** The name on the command line. */
    final String option;

    NettyTransport(String option) {
        this.option = option;
    }

    abstract IoHandlerFactory handlerFactory();

    abstract Class<? extends ServerChannel> serverChannel();

    /** Why this transport cannot run here, or null when it can. */
    abstract Throwable unavailability();

    static NettyTransport parse(String name) {
        String n = name.toLowerCase(Locale.ROOT).replace('-', '_');
        for (NettyTransport t : values()) {
            if (t.option.equals(n)) return t;
        }
        throw new IllegalArgumentException("--io must be epoll, nio or io_uring, not '" + name + "'");
    }
}
