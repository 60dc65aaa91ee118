package io.netloop.bench.lab;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Opens N connections to a server and keeps them idle (connected, nothing sent) until it is
 * stopped, so that the lab can measure what idle connections cost a server. Prints
 * {@code HOLDING <open> CLOSED <n>} once every connection is made and the server had a second
 * to refuse some (select(2) refuses descriptors of 1024 and more), then waits for SIGTERM.
 * Closes with a reset (SO_LINGER 0), so that run after run leaves no TIME_WAIT behind to
 * use up the ephemeral ports.
 *
 * <pre>java -cp bench/target/netloop-bench.jar io.netloop.bench.lab.IdleHolder --port P --count 10000</pre>
 *
 * <p>Threading: the main thread connects, checks and waits; a shutdown hook closes.
 */
public final class IdleHolder {
    private IdleHolder() {}

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = -1;
        int count = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--host" -> host = args[i + 1];
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--count" -> count = Integer.parseInt(args[i + 1]);
                default ->
                    throw new IllegalArgumentException("unknown option " + args[i] + "; --port P --count N [--host H]");
            }
        }
        if (port < 0 || args.length % 2 != 0) throw new IllegalArgumentException("--port P --count N [--host H]");
        List<SocketChannel> held = new ArrayList<>(count);
        InetSocketAddress to = new InetSocketAddress(host, port);
        for (int i = 0; i < count; i++) {
            try {
                SocketChannel ch = SocketChannel.open(to);
                ch.setOption(StandardSocketOptions.SO_LINGER, 0);
                held.add(ch);
            } catch (IOException e) {
                throw new IOException(
                        "connection " + (i + 1) + " of " + count + " to " + to + ": " + e.getMessage()
                                + (e.getMessage() != null && e.getMessage().contains("Too many open files")
                                        ? " (raise ulimit -n)"
                                        : ""),
                        e);
            }
        }
        Thread.sleep(1000);
        int closed = 0;
        ByteBuffer probe = ByteBuffer.allocate(1);
        for (SocketChannel ch : held) {
            ch.configureBlocking(false);
            try {
                probe.clear();
                if (ch.read(probe) < 0) closed++;
            } catch (IOException e) {
                closed++; // reset by the server
            }
        }
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (SocketChannel ch : held) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // exiting anyway; the kernel closes what is left
                }
            }
            done.countDown();
        }));
        System.out.println("HOLDING " + (held.size() - closed) + " CLOSED " + closed);
        System.out.flush();
        done.await();
    }
}
