package io.netloop.bench.lab;

import io.netloop.core.loop.IoMode;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;

/**
 * One tiny HTTP server ({@link PlainResponder}) on the I/O model named by {@code --model}, the
 * five of the tour: blocking ({@code blocking}, a platform thread per connection;
 * {@code virtual}, a virtual thread per connection), non-blocking ({@code busy-poll}, sockets
 * tried in a spin), multiplexed ({@code select}, {@code poll}, {@code epoll} level-triggered,
 * {@code epoll-et} edge-triggered), signal-driven ({@code signal}: O_ASYNC, a realtime signal per
 * event, read from a signalfd) and asynchronous ({@code io_uring}), the last six on one netloop
 * event loop. Serves on 127.0.0.1 until SIGTERM; prints {@code LISTENING <port>} when ready.
 *
 * <pre>java -cp bench/target/netloop-bench.jar io.netloop.bench.lab.LabServer --model epoll --port 0</pre>
 *
 * <p>Threading: the main thread starts the model and waits for the JVM to be stopped.
 */
public final class LabServer {
    /** A way of serving connections. */
    interface Model extends AutoCloseable {
        /** Binds and starts serving; returns the port. */
        int start(String host, int port) throws IOException;

        @Override
        void close() throws IOException;
    }

    /** The models, in the order the lab shows them. */
    public static final String[] MODELS = {
        "blocking", "virtual", "busy-poll", "select", "poll", "epoll", "epoll-et", "signal", "io_uring"
    };

    private LabServer() {}

    static Model model(String name) {
        return switch (name) {
            case "blocking" -> new ThreadPerConnectionServer(false);
            case "virtual" -> new ThreadPerConnectionServer(true);
            case "busy-poll" -> new BusyPollServer();
            case "select" -> new EventLoopServer(IoMode.SELECT);
            case "poll" -> new EventLoopServer(IoMode.POLL);
            case "epoll" -> new EventLoopServer(IoMode.EPOLL);
            case "epoll-et" -> new EventLoopServer(IoMode.EPOLL_ET);
            case "signal" -> new EventLoopServer(IoMode.SIGNAL);
            case "io_uring" -> new EventLoopServer(IoMode.IO_URING);
            default ->
                throw new IllegalArgumentException("unknown model '" + name + "'; one of " + String.join(", ", MODELS));
        };
    }

    public static void main(String[] args) throws Exception {
        String modelName = null;
        String host = "127.0.0.1";
        int port = 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
            switch (a) {
                case "--model" -> modelName = args[++i];
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                default ->
                    throw new IllegalArgumentException("unknown option " + a + "; --model M [--host H] [--port P]");
            }
        }
        if (modelName == null)
            throw new IllegalArgumentException("--model is required: one of " + String.join(", ", MODELS));
        Model model = model(modelName);
        int bound = model.start(host, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                model.close();
            } catch (IOException e) {
                System.err.println("lab: closing: " + e.getMessage());
            }
            stopped.countDown();
        }));
        System.out.println("LISTENING " + bound);
        System.out.flush();
        stopped.await();
    }
}
