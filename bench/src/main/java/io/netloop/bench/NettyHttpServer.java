package io.netloop.bench;

import io.netty.handler.codec.http.HttpServerCodec;

/**
 * Netty 4.2's side of the HTTP benchmark ({@code bench/http.sh}): {@code HttpServerCodec}
 * plus {@link NettyHttpHandler}, on the transport of {@code --io} ({@link NettyTransport}).
 * Run as
 *
 * <pre>{@code
 * java --module-path bench/target/netty --add-modules ALL-MODULE-PATH --enable-native-access=io.netty.common \
 *      --sun-misc-unsafe-memory-access=allow \
 *      -cp bench/target/netloop-bench.jar io.netloop.bench.NettyHttpServer --port 8080 --io epoll --root DIR
 * }</pre>
 *
 * <p>One event-loop group does both accepting and I/O ({@link NettyPeer}). Prints
 * {@code netty-http: listening on HOST:PORT (...)} once bound; stops on SIGTERM (a shutdown hook
 * closes the listener and the loops; the status is then 143, as for any JVM so stopped). Exit
 * status 2 is a bad command line, 3 a transport this machine cannot run.
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
            NettyPeer.badUsage("http", e, NettyHttpOptions.USAGE);
            return;
        }
        NettyHttpHandler handler = new NettyHttpHandler(options.root());
        NettyPeer.serve(
                "http",
                options.transport(),
                options.threads(),
                options.host(),
                options.port(),
                ", root " + options.root(),
                pipeline -> pipeline.addLast(new HttpServerCodec(), handler));
    }
}
