package io.netloop.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What the Netty peers of the benchmarks ({@link NettyHttpServer}, {@link NettyEchoServer}) share:
 * one event-loop group on a {@link NettyTransport}, a listener, and how they run from the command
 * line (banner, SIGTERM, exit statuses).
 *
 * <p>One event-loop group does both accepting and I/O, so that {@code --threads 1} is one thread
 * in all, like nginx's single worker process: a separate boss thread would be a second thread on
 * the same pinned core, not more capacity. Its threads are named {@code netty-NAME-...}.
 *
 * <p>Threading: {@link #bind} and {@link Bound#close} from any thread but a loop's; every channel
 * lives on its event-loop thread.
 */
final class NettyPeer {
    private NettyPeer() {}

    /** A listening server: close it to stop the listener and its loops. */
    record Bound(Channel listener, EventLoopGroup group) implements AutoCloseable {
        int port() {
            return ((InetSocketAddress) listener.localAddress()).getPort();
        }

        @Override
        public void close() {
            listener.close().syncUninterruptibly();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** Binds a server whose every accepted channel gets its pipeline from {@code pipeline}. */
    static Bound bind(
            String name,
            NettyTransport transport,
            int threads,
            String host,
            int port,
            Consumer<ChannelPipeline> pipeline)
            throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(
                threads, new DefaultThreadFactory("netty-" + name), transport.handlerFactory());
        try {
            Channel listener = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    // Netty's default already; said here because the peers are compared with it on (nginx: tcp_nodelay
                    // on).
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            pipeline.accept(ch.pipeline());
                        }
                    })
                    .bind(host, port)
                    .sync()
                    .channel();
            return new Bound(listener, group);
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /**
     * Runs a peer from its main: exits with 3 when the transport cannot run here (the harness
     * then skips the peer, as opposed to a failure), else binds, prints
     * {@code netty-NAME: listening on HOST:PORT (io T, N thread[s]DETAIL)} and serves until
     * SIGTERM (a shutdown hook closes the listener and the loops; the status is then 143).
     */
    static void serve(
            String name,
            NettyTransport transport,
            int threads,
            String host,
            int port,
            String detail,
            Consumer<ChannelPipeline> pipeline)
            throws InterruptedException {
        Throwable unavailable = transport.unavailability();
        if (unavailable != null) {
            System.err.println(
                    "netty-" + name + ": the " + transport.option + " transport is not available here: " + unavailable);
            System.exit(3);
            return;
        }
        Bound bound = bind(name, transport, threads, host, port, pipeline);
        Runtime.getRuntime().addShutdownHook(new Thread(bound::close, "netty-" + name + "-shutdown"));
        InetSocketAddress local = (InetSocketAddress) bound.listener().localAddress();
        System.out.printf(
                "netty-%s: listening on %s:%d (io %s, %d thread%s%s)%n",
                name,
                local.getAddress().getHostAddress(),
                local.getPort(),
                transport.option,
                threads,
                threads == 1 ? "" : "s",
                detail);
        System.out.flush();
        bound.listener().closeFuture().sync();
    }

    /** Exit status 2 with the usage, for a bad command line. */
    static void badUsage(String name, IllegalArgumentException e, String usage) {
        System.err.println("netty-" + name + ": " + e.getMessage());
        System.err.println(usage);
        System.exit(2);
    }
}
