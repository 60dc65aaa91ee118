package io.netloop.cli;

import io.netloop.apps.echo.EchoServer;
import io.netloop.core.tcp.HandlerMode;
import io.netloop.core.tcp.TcpServer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code netloop echo}: runs the echo server until SIGINT or SIGTERM.
 *
 * <p>Threading: the main thread waits; the server's loop thread does the work; the JVM's
 * shutdown-hook thread closes the server.
 */
@Command(
        name = "echo",
        mixinStandardHelpOptions = true,
        description = "Echo server: sends back every byte it receives. Ctrl-C or SIGTERM stops it.")
final class EchoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ServerOptions server;

    @Mixin
    HandlerOptions handlerOptions;

    @Option(
            names = "--port",
            defaultValue = "7007",
            description = "TCP port (0 picks a free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Override
    public Integer call() throws Exception {
        GivenOptions.of(spec)
                .refuse(
                        "--workers",
                        handlerOptions.handlers != HandlerMode.WORKERS,
                        "it sizes the pool of --handlers workers (now --handlers "
                                + handlerOptions.handlers.name().toLowerCase(java.util.Locale.ROOT)
                                + "): add --handlers workers, or drop --workers");
        TcpServer s = handlerOptions
                .configure(server.configure(EchoServer.builder()))
                .port(port)
                .start();
        Lifecycle.runUntilSignalled(
                s,
                "echo server listening on " + Lifecycle.display(s.localAddress())
                        + " (" + s.loop().transport().name() + ", " + s.loops().size() + " loop(s), accept "
                        + s.acceptMode()
                        + ", handlers " + s.handlerMode() + "); Ctrl-C stops it");
        return 0;
    }
}
