package io.netloop.cli;

import io.netloop.core.AcceptMode;
import io.netloop.core.HandlerMode;
import io.netloop.core.IoMode;
import io.netloop.core.TcpServer;
import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * Options every server command shares, and how they configure a {@link TcpServer.Builder}.
 *
 * <p>Threading: filled by picocli on the main thread, then read-only.
 */
final class ServerOptions {
    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDR",
            description = "Address to listen on (0.0.0.0 or :: for all). Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--io", defaultValue = "auto", paramLabel = "MODE",
            description = "I/O model: auto, epoll, epoll-et, nio, poll or select (the last two for comparison). auto is epoll where native access works. Default: ${DEFAULT-VALUE}.")
    IoMode io;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "Event loops, one thread each; 0 for one per processor. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--accept", defaultValue = "handoff", paramLabel = "MODE",
            description = "With several loops: handoff (one loop accepts and hands out round-robin) or reuseport (a listener per loop, kernel-balanced). Default: ${DEFAULT-VALUE}.")
    AcceptMode accept;

    @Option(names = "--handlers", defaultValue = "loop", paramLabel = "MODE",
            description = "Where handler code runs: loop (fastest, must not block), workers (a bounded pool) or virtual (virtual threads). Default: ${DEFAULT-VALUE}.")
    HandlerMode handlers;

    @Option(names = "--workers", defaultValue = "0", paramLabel = "N",
            description = "Worker threads for --handlers workers; 0 for twice the processors (at least 4).")
    int workers;

    @Option(names = "--idle-timeout", defaultValue = "0", paramLabel = "DURATION",
            description = "Close connections idle this long: 30s, 2m, 500ms; 0 for never. Default: ${DEFAULT-VALUE}.",
            converter = DurationConverter.class)
    Duration idleTimeout;

    TcpServer.Builder configure(TcpServer.Builder b) {
        b.host(host).io(io).threads(threads).accept(accept).handlers(handlers).idleTimeout(idleTimeout);
        if (workers > 0) b.workers(workers, 1024);
        return b;
    }
}
