package io.netloop.cli;

import io.netloop.chat.ChatServer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code netloop chat}: one chat room on a TCP port (nc, telnet) and on an HTTP port (the
 * browser page and its WebSocket), until SIGINT or SIGTERM; with the {@link TlsOptions}, both
 * speak TLS (https and wss on the HTTP port).
 *
 * <p>Threading: the main thread waits; the room's loop and the servers' loops do the work;
 * the signal ends the wait and the main thread closes the server.
 */
@Command(
        name = "chat",
        mixinStandardHelpOptions = true,
        description = {
            "Chat room: line-based TCP (nc HOST PORT) and a browser page (http://HOST:HTTP-PORT/), one room.",
            "With --tls-cert/--tls-key (or --tls-keystore) both ports speak TLS: openssl s_client -quiet -connect"
                    + " HOST:PORT, https:// and wss:// (docs/chat.md).",
            "Ctrl-C or SIGTERM stops it."
        })
final class ChatCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ServerOptions server;

    @Option(
            names = "--port",
            defaultValue = "9000",
            description = "TCP port for nc and telnet (0 picks a free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(
            names = "--http-port",
            defaultValue = "8080",
            paramLabel = "PORT",
            description = "HTTP port of the page and its WebSocket (0 picks a free one). Default: ${DEFAULT-VALUE}.")
    int httpPort;

    @Mixin
    TlsOptions tls;

    @Mixin
    ProxyOptions proxy;

    @Override
    public Integer call() throws Exception {
        var certificate = tls.certificate();
        GivenOptions given = GivenOptions.of(spec);
        given.refuse(
                "--max-connections",
                true,
                "the chat room has no connection limit of its own yet (its lines and rates are bounded): drop"
                        + " --max-connections, or put a proxy with a limit in front");
        given.refuse(
                "--trusted-proxy",
                !proxy.proxyProtocol,
                "it says whose PROXY header to believe, and none is read: add --proxy-protocol, or drop"
                        + " --trusted-proxy");
        ChatServer chat = ChatServer.builder()
                .host(server.host)
                .port(port)
                .httpPort(httpPort)
                .io(server.io)
                .threads(server.threads)
                .accept(server.accept)
                .idleTimeout(server.idleTimeout)
                .tls(certificate == null ? null : certificate.config())
                .proxyProtocol(proxy.protocolOrNull())
                .start();
        String tcp = Lifecycle.display(chat.tcpAddress());
        String client =
                chat.isTls() ? "openssl s_client -quiet -connect " + tcp : "nc " + tcp.replaceFirst(":(\\d+)$", " $1");
        String http = Lifecycle.display(chat.httpAddress());
        String web = (chat.isTls() ? "https://" : "http://") + http + "/ with its socket at "
                + (chat.isTls() ? "wss://" : "ws://") + http + ChatServer.WEBSOCKET_PATH;
        if (proxy.proxyProtocol) web += " behind PROXY protocol from " + proxy.trustedProxies;
        Runnable stopReloading = certificate == null ? () -> {} : CertificateReload.onSighup(certificate, System.err);
        Lifecycle.runUntilSignalled(
                () -> {
                    stopReloading.run();
                    chat.close();
                },
                "chat room on tcp " + tcp + " (" + client + ") and " + web
                        + " (tls " + (chat.isTls() ? "on" : "off") + ", "
                        + chat.tcp().loop().transport().name()
                        + ", " + chat.tcp().loops().size()
                        + " loop(s) per side and one for the room); Ctrl-C stops it");
        return 0;
    }
}
