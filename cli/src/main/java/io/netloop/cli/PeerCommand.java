package io.netloop.cli;

import io.netloop.apps.peer.PeerMessage;
import io.netloop.apps.peer.PeerNode;
import io.netloop.core.loop.IoMode;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netloop peer}: peer-to-peer chat in the terminal until {@code /exit}, end of input,
 * SIGINT or SIGTERM.
 *
 * <p>Threading: the main thread waits; the node's loop does the work, reading standard input
 * through its poller (or a fallback thread).
 */
@Command(
        name = "peer",
        mixinStandardHelpOptions = true,
        description = {
            "Peer-to-peer chat in the terminal: listens for other peers and connects to them; "
                    + "one event loop serves the keyboard and every peer.",
            "Type /connect HOST:PORT, then text for everyone, /msg ID TEXT, /list, /quit ID, /exit or /help."
        })
final class PeerCommand implements Callable<Integer> {
    @Option(
            names = "--port",
            defaultValue = "7070",
            paramLabel = "PORT",
            description = "TCP port to listen on (0 picks a free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            paramLabel = "ADDR",
            description = "Address to listen on (0.0.0.0 or :: for all). Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description =
                    "Your name as other peers see it: 1 to 32 letters, digits, '.', '_' or '-'. Default: your user"
                            + " name.")
    String name;

    @Option(
            names = "--io",
            defaultValue = "auto",
            paramLabel = "MODE",
            description = "I/O model: auto, epoll, epoll-et, io_uring, nio, poll or select. Default: ${DEFAULT-VALUE}.")
    IoMode io;

    private final InputStream in;
    private final int inFd;
    private final PrintStream out;

    PeerCommand() {
        this(System.in, 0, System.out);
    }

    /** @param inFd {@code in}'s descriptor for the poller, or -1 to read {@code in} on a thread */
    PeerCommand(InputStream in, int inFd, PrintStream out) {
        this.in = in;
        this.inFd = inFd;
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        PeerNode node = PeerNode.start(
                PeerNode.Config.of(name != null ? name : defaultName(), host, port)
                        .withIo(io),
                inFd,
                in,
                out);
        Runnable restoreSignals = Lifecycle.onStopSignal(node::exit);
        if (restoreSignals == null) {
            Runtime.getRuntime()
                    .addShutdownHook(
                            Thread.ofPlatform().name("netloop-shutdown").unstarted(node::close));
        }
        try {
            while (!node.awaitExit(Duration.ofDays(1))) {
                // a chat may run for days
            }
        } finally {
            if (restoreSignals != null) restoreSignals.run();
        }
        return 0;
    }

    /** The user's login name where it is a valid peer name, else "peer". */
    private static String defaultName() {
        String user = System.getProperty("user.name", "");
        return PeerMessage.nameProblem(user) == null ? user : "peer";
    }
}
