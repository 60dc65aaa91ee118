package io.netloop.cli;

import io.netloop.apps.udp.UdpClient;
import io.netloop.core.loop.IoMode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code netloop udp-send HOST:PORT MESSAGE}: sends one datagram and prints the reply; exits
 * 1 with a message when none comes within the timeout.
 *
 * <p>Threading: the main thread waits for the reply; the client's own loop does the I/O.
 */
@Command(
        name = "udp-send",
        mixinStandardHelpOptions = true,
        description =
                "Sends MESSAGE as one UDP datagram to HOST:PORT and prints the reply (exit 1 when none comes in time).")
final class UdpSendCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(
            index = "0",
            paramLabel = "HOST:PORT",
            description = "Where to send: 127.0.0.1:9009, localhost:9009, [::1]:9009.")
    String target;

    @Parameters(index = "1", paramLabel = "MESSAGE", description = "The datagram's text (UTF-8).")
    String message;

    @Option(
            names = "--timeout",
            defaultValue = "2s",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "How long to wait for the reply: 500ms, 2s. Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Option(
            names = "--io",
            defaultValue = "auto",
            paramLabel = "MODE",
            description = "I/O model: auto, epoll, epoll-et, io_uring or nio. Default: ${DEFAULT-VALUE}.")
    IoMode io;

    @Override
    public Integer call() throws Exception {
        byte[] reply = UdpClient.request(parse(target), message.getBytes(StandardCharsets.UTF_8), timeout, io);
        spec.commandLine().getOut().println(new String(reply, StandardCharsets.UTF_8));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** HOST:PORT, with an IPv6 literal in brackets. */
    private InetSocketAddress parse(String s) throws UnknownHostException {
        int colon = s.lastIndexOf(':');
        String host = colon > 0 ? s.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port = -1;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            // reported below
        }
        if (host.isEmpty() || port < 1 || port > 65535) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "'" + s + "' is not HOST:PORT: use e.g. 127.0.0.1:9009, localhost:9009 or [::1]:9009");
        }
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }
}
