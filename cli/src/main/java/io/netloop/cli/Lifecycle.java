package io.netloop.cli;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

/**
 * Keeps a server running until the process is asked to stop (SIGINT, SIGTERM), then closes
 * it and returns, so that the process exits 0: a stop on request is a success.
 *
 * <p>Signals are caught with {@code sun.misc.Signal} (module jdk.unsupported), because a
 * shutdown hook alone would let the JVM exit with 128+signal. Where that API is missing, a
 * shutdown hook still closes the server.
 *
 * <p>Threading: called on the main thread; the signal handler runs on the JVM's signal
 * thread and only counts down a latch.
 */
final class Lifecycle {
    private Lifecycle() {}

    static void runUntilSignalled(AutoCloseable server, String banner) throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        boolean trapped = onStopSignal(stop::countDown) != null;
        if (!trapped) {
            Runtime.getRuntime()
                    .addShutdownHook(Thread.ofPlatform()
                            .name("netloop-shutdown")
                            .unstarted(() -> {
                                try {
                                    server.close();
                                } catch (Exception e) {
                                    System.err.println("netloop: error while stopping: " + e);
                                }
                            }));
        }
        System.out.println(banner);
        System.out.flush();
        stop.await();
        System.err.println("netloop: stopping");
        server.close();
        System.err.println("netloop: stopped");
    }

    /**
     * Runs {@code action} on the JVM's signal thread at SIGINT or SIGTERM (so the process is
     * not killed by them), until the returned action puts the previous handlers back; null
     * where signals cannot be caught.
     */
    static Runnable onStopSignal(Runnable action) {
        Runnable restoreInt = trap("INT", action);
        Runnable restoreTerm = trap("TERM", action);
        if (restoreInt == null || restoreTerm == null) {
            if (restoreInt != null) restoreInt.run();
            if (restoreTerm != null) restoreTerm.run();
            return null;
        }
        return () -> {
            restoreInt.run();
            restoreTerm.run();
        };
    }

    /** Installs the handler; returns what restores the previous one, or null where signals cannot be caught. */
    @SuppressWarnings("restricted")
    static Runnable trap(String name, Runnable action) {
        try {
            sun.misc.Signal signal = new sun.misc.Signal(name);
            sun.misc.SignalHandler previous = sun.misc.Signal.handle(signal, s -> action.run());
            return () -> sun.misc.Signal.handle(signal, previous);
        } catch (IllegalArgumentException | LinkageError e) {
            return null;
        }
    }

    static String display(InetSocketAddress a) {
        String host = a.getAddress() instanceof Inet6Address
                ? "[" + a.getAddress().getHostAddress() + "]"
                : a.getAddress().getHostAddress();
        return host + ":" + a.getPort();
    }
}
