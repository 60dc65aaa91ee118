package io.netloop.cli;

import io.netloop.core.tcp.HandlerMode;
import io.netloop.core.tcp.TcpServer;
import picocli.CommandLine.Option;

/**
 * Where a TCP server's handler code runs: options of the commands whose handlers may run
 * off the loop.
 *
 * <p>Threading: filled by picocli on the main thread, then read-only.
 */
final class HandlerOptions {
    @Option(
            names = "--handlers",
            defaultValue = "loop",
            paramLabel = "MODE",
            description = "Where handler code runs: loop (fastest, must not block), workers (a bounded pool) or virtual"
                    + " (virtual threads). Default: ${DEFAULT-VALUE}.")
    HandlerMode handlers;

    @Option(
            names = "--workers",
            defaultValue = "0",
            paramLabel = "N",
            description = "Worker threads for --handlers workers; 0 for twice the processors (at least 4).")
    int workers;

    TcpServer.Builder configure(TcpServer.Builder b) {
        b.handlers(handlers);
        if (workers > 0) b.workers(workers, 1024);
        return b;
    }
}
