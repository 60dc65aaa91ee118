package io.netloop.bench;

/**
 * Netty 4.2's side of the echo benchmark ({@code bench/echo.sh}): {@link NettyEchoHandler}, the
 * idiomatic fast Netty echo (write back what is read, flush once per read batch), on the
 * transport of {@code --io} ({@link NettyTransport}), one event-loop thread by default. Run as
 *
 * <pre>{@code
 * java --module-path bench/target/netty --add-modules ALL-MODULE-PATH --enable-native-access=io.netty.common \
 *      --sun-misc-unsafe-memory-access=allow \
 *      -cp bench/target/netloop-bench.jar io.netloop.bench.NettyEchoServer --port 7007 --io epoll
 * }</pre>
 *
 * <p>Prints {@code netty-echo: listening on HOST:PORT (...)} once bound; stops on SIGTERM. Exit
 * status 2 is a bad command line, 3 a transport this machine cannot run ({@link NettyPeer#serve}).
 *
 * <p>Threading: the main thread binds, prints and waits for the listener to close; every
 * channel lives on its event-loop thread.
 */
public final class NettyEchoServer {
    private NettyEchoServer() {}

    public static void main(String[] args) throws InterruptedException {
        NettyEchoOptions options;
        try {
            options = NettyEchoOptions.parse(args);
        } catch (BenchArgs.HelpRequested e) {
            System.out.println(NettyEchoOptions.USAGE);
            return;
        } catch (IllegalArgumentException e) {
            NettyPeer.badUsage("echo", e, NettyEchoOptions.USAGE);
            return;
        }
        NettyEchoHandler handler = new NettyEchoHandler();
        NettyPeer.serve(
                "echo",
                options.transport(),
                options.threads(),
                options.host(),
                options.port(),
                "",
                pipeline -> pipeline.addLast(handler));
    }
}
