package io.netloop.cli;

import io.netloop.core.IoMode;
import picocli.CommandLine.Option;

/**
 * Options every server command shares.
 *
 * <p>Threading: filled by picocli on the main thread, then read-only.
 */
final class ServerOptions {
    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDR",
            description = "Address to listen on (0.0.0.0 or :: for all). Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(names = "--io", defaultValue = "auto", paramLabel = "MODE",
            description = "I/O model: auto, epoll, epoll-et or nio. auto is epoll where native access works. Default: ${DEFAULT-VALUE}.")
    IoMode io;
}
