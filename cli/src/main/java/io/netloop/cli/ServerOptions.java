package io.netloop.cli;

import io.netloop.core.loop.IoMode;
import io.netloop.core.tcp.AcceptMode;
import io.netloop.core.tcp.TcpServer;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Options every server command shares, and how they configure a {@link TcpServer.Builder}.
 *
 * <p>Threading: filled by picocli on the main thread, then read-only.
 */
final class ServerOptions {
    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            paramLabel = "ADDR",
            description = "Address to listen on (0.0.0.0 or :: for all). Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(
            names = "--io",
            defaultValue = "auto",
            paramLabel = "MODE",
            description = "I/O model: auto, epoll, epoll-et, io_uring, nio, poll, select or signal (the last three for"
                    + " comparison). auto is epoll where native access works. Default: ${DEFAULT-VALUE}.")
    IoMode io;

    @Option(
            names = "--threads",
            defaultValue = "0",
            paramLabel = "N",
            description = "Event loops, one thread each; 0 (the default) for one per processor.")
    int threads;

    @Option(
            names = "--accept",
            defaultValue = "handoff",
            paramLabel = "MODE",
            description =
                    "With several loops: handoff (one loop accepts and hands out round-robin) or reuseport (a listener"
                            + " per loop, kernel-balanced). Default: ${DEFAULT-VALUE}.")
    AcceptMode accept;

    @Option(
            names = "--idle-timeout",
            defaultValue = "0",
            paramLabel = "DURATION",
            description =
                    "Close connections idle this long: 30s, 2m, 500ms. 0 (the default): echo never, serve after 60 s"
                            + " between requests.",
            converter = DurationConverter.class)
    Duration idleTimeout;

    @Option(
            names = "--max-connections",
            defaultValue = "10000",
            paramLabel = "N",
            description = "Connections served at once; over it echo closes new ones at once and serve answers them 503"
                    + " (Retry-After: 1) and closes. Default: ${DEFAULT-VALUE}.")
    int maxConnections;

    TcpServer.Builder configure(TcpServer.Builder b) {
        return b.host(host)
                .io(io)
                .threads(threads)
                .accept(accept)
                .idleTimeout(idleTimeout)
                .maxConnections(maxConnections);
    }
}
