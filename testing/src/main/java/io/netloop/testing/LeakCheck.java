package io.netloop.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class that leaves descriptors or loop threads behind: before the class it
 * records the sockets, epoll and io_uring instances, eventfds, signalfds and pipes this JVM holds, and after the
 * class it waits (up to 10 s, for closes still in flight) until they and the set of
 * {@code netloop-*} threads are back to that baseline.
 *
 * <p>Threading: JUnit calls it on the test class's thread.
 */
public final class LeakCheck implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LeakCheck.class);

    /* The JDK keeps a socket of its own open after its first socket use (a probe it caches);
    make that happen before the baseline is taken, so it is not counted as a leak. */
    private static boolean warmedUp;

    private static synchronized void warmUpJdkNetworking() {
        if (warmedUp) return;
        warmedUp = true;
        for (String host : new String[] {"127.0.0.1", "::1"}) {
            try (java.net.ServerSocket ss = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host));
                    java.net.Socket c = new java.net.Socket(ss.getInetAddress(), ss.getLocalPort());
                    java.net.Socket a = ss.accept();
                    java.nio.channels.Selector sel = java.nio.channels.Selector.open()) {
                // A virtual thread blocked on a socket starts the JDK's own pollers (epoll
                // instances that live as long as the JVM).
                Thread reader = Thread.ofVirtual().start(() -> {
                    try {
                        a.getInputStream().read();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                Thread.sleep(20);
                c.getOutputStream().write(1);
                reader.join();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("cannot warm up JDK networking", e);
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        warmUpJdkNetworking();
        context.getStore(NS).put("fds", ioDescriptors().size());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        int baseline = context.getStore(NS).get("fds", Integer.class);
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<String> fds;
        List<String> threads;
        do {
            fds = ioDescriptors();
            threads = loopThreads();
            if (fds.size() <= baseline && threads.isEmpty()) return;
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(context.getDisplayName() + " leaked: " + (fds.size() - baseline)
                + " descriptor(s) over the baseline of " + baseline + " " + fds + "; loop threads still alive: "
                + threads);
    }

    /** The descriptors that network code opens: sockets, epoll, io_uring, eventfd, signalfd, pipes. */
    public static List<String> ioDescriptors() {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                try {
                    String target = Files.readSymbolicLink(p).toString();
                    if (target.startsWith("socket:")
                            || target.contains("eventpoll")
                            || target.contains("eventfd")
                            || target.contains("io_uring")
                            || target.contains("signalfd")
                            || target.startsWith("pipe:")) {
                        out.add(p.getFileName() + "->" + target);
                    }
                } catch (IOException gone) {
                    // closed while listing (or the listing's own descriptor)
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc/self/fd", e);
        }
        return out;
    }

    public static List<String> loopThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("netloop-"))
                .map(Thread::getName)
                .toList();
    }
}
