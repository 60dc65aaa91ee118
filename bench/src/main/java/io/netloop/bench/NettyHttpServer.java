package io.netloop.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.handler.codec.http.HttpServerCodec;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * Netty 4.2's side of the HTTP benchmark ({@code bench/http.sh}): {@code HttpServerCodec}
 * plus {@link NettyHttpHandler}, on the transport of {@code --io} ({@link NettyTransport}).
 * Run as
 *
 * <pre>{@code
 * java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
 *      -cp bench/target/netloop-bench.jar io.netloop.bench.NettyHttpServer --port 8080 --io epoll --root DIR
 * }</pre>
 *
 * <p>One event-loop group does both accepting and I/O, so that {@code --threads 1} is one
 * thread in all, like nginx's single worker process: a separate boss thread would be a
 * second thread on the same pinned core, not more capacity.
 *
 * <p>Prints {@code netty-http: listening on HOST:PORT (...)} once bound; stops on SIGTERM (a
 * shutdown hook closes the listener and the loops; the status is then 143, as for any JVM so
 * stopped). Exit status 2 is a bad command line, 3 a transport this machine cannot run.
 *
 * <p>Threading: the main thread binds, prints and waits for the listener to close; every
 * channel lives on its event-loop thread; the shutdown hook runs on its own thread.
 */
public final class NettyHttpServer {
    private NettyHttpServer() {}

    public static void main(String[] args) throws InterruptedException {
        NettyHttpOptions options;
        try {
            options = NettyHttpOptions.parse(args);
        } catch (BenchArgs.HelpRequested e) {
            System.out.println(NettyHttpOptions.USAGE);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("netty-http: " + e.getMessage());
            System.err.println(NettyHttpOptions.USAGE);
            System.exit(2);
            return;
        }
        NettyTransport transport = options.transport();
        Throwable unavailable = transport.unavailability();
        if (unavailable != null) {
            // Exit status 3 tells the harness "not here", as opposed to a failure of the server.
            System.err.println("netty-http: the " + transport.option + " transport is not available here: " + unavailable);
            System.exit(3);
            return;
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(options.threads(), transport.handlerFactory());
        try {
            NettyHttpHandler handler = new NettyHttpHandler(options.root());
            Channel listener = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannel())
                    .option(ChannelOption.SO_REUSEADDR, true)
                    // Netty's default already; said here because the peers are compared with it on (nginx: tcp_nodelay on).
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(), handler);
                        }
                    })
                    .bind(options.host(), options.port()).sync().channel();
            InetSocketAddress local = (InetSocketAddress) listener.localAddress();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                listener.close().syncUninterruptibly();
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            }, "netty-http-shutdown"));
            System.out.printf("netty-http: listening on %s:%d (io %s, %d thread%s, root %s)%n",
                    local.getAddress().getHostAddress(), local.getPort(), transport.option, options.threads(),
                    options.threads() == 1 ? "" : "s", options.root());
            System.out.flush();
            listener.closeFuture().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
