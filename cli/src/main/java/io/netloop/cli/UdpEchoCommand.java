package io.netloop.cli;

import io.netloop.apps.udp.UdpEchoServer;
import io.netloop.core.loop.IoMode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netloop udp-echo}: runs the UDP echo server until SIGINT or SIGTERM. Of the TCP
 * servers' options only --host, --io and --threads mean something for UDP (no accepting, no
 * connections to time out), so it declares those three.
 *
 * <p>Threading: the main thread waits; the server's loop threads do the work.
 */
@Command(
        name = "udp-echo",
        mixinStandardHelpOptions = true,
        description = "UDP echo server: sends every datagram back to its sender. Ctrl-C or SIGTERM stops it.")
final class UdpEchoCommand implements Callable<Integer> {
    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            paramLabel = "ADDR",
            description = "Address to bind (0.0.0.0 or :: for all). Default: ${DEFAULT-VALUE}.")
    String host;

    @Option(
            names = "--port",
            defaultValue = "9009",
            description = "UDP port (0 picks a free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(
            names = "--io",
            defaultValue = "auto",
            paramLabel = "MODE",
            description = "I/O model: auto, epoll, epoll-et, io_uring or nio (epoll batches with recvmmsg/sendmmsg,"
                    + " io_uring receives with a multishot recvmsg). Default: ${DEFAULT-VALUE}.")
    IoMode io;

    @Option(
            names = "--threads",
            defaultValue = "1",
            paramLabel = "N",
            description = "Event loops, each with its own socket on the port (SO_REUSEPORT); 0 for one per processor."
                    + " Default: ${DEFAULT-VALUE}.")
    int threads;

    @Override
    public Integer call() throws Exception {
        UdpEchoServer s = UdpEchoServer.builder()
                .host(host)
                .port(port)
                .io(io)
                .threads(threads)
                .start();
        Lifecycle.runUntilSignalled(
                s,
                "udp echo server on " + Lifecycle.display(s.localAddress()) + " ("
                        + s.loops().getFirst().transport().name() + ", "
                        + s.loops().size() + " loop(s)); Ctrl-C stops it");
        var stats = s.stats();
        System.err.println("netloop: datagrams received " + stats.datagramsIn() + ", sent " + stats.datagramsOut()
                + ", dropped " + stats.dropped() + " (send queue full)");
        return 0;
    }
}
