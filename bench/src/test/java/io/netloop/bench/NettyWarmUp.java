package io.netloop.bench;

import java.net.Socket;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs Netty's epoll and NIO transports once per JVM before {@code LeakCheck} takes its descriptor
 * baseline: their first use opens a socket (a Unix one) that is kept for the life of the JVM, as
 * the JDK's first socket use does (for which LeakCheck warms up itself), and would otherwise count
 * as the test's leak.
 * Register it before LeakCheck: {@code @ExtendWith({NettyWarmUp.class, LeakCheck.class})}.
 *
 * <p>Threading: JUnit calls it on the test class's thread.
 */
final class NettyWarmUp implements BeforeAllCallback {
    private static boolean done;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        synchronized (NettyWarmUp.class) {
            if (done) return;
            done = true;
        }
        for (NettyTransport t : new NettyTransport[] {NettyTransport.EPOLL, NettyTransport.NIO}) {
            if (t.unavailability() != null) continue; // the test that needs it says why
            try (NettyPeer.Bound server =
                            NettyPeer.bind("warm-up", t, 1, "127.0.0.1", 0, p -> p.addLast(new NettyEchoHandler()));
                    Socket s = new Socket("127.0.0.1", server.port())) {
                s.getOutputStream().write(1);
                if (s.getInputStream().read() != 1) throw new IllegalStateException("the warm-up echo failed");
                s.shutdownOutput();
                if (s.getInputStream().read() != -1) throw new IllegalStateException("the warm-up echo did not close");
            }
        }
    }
}
