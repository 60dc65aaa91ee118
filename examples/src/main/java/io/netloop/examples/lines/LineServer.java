package io.netloop.examples.lines;

import io.netloop.core.tcp.TcpServer;
import java.io.IOException;
import java.time.Duration;

/**
 * A line protocol on {@link TcpServer}, no HTTP: a client sends commands, one per line, and
 * gets one line back for each ({@link CommandHandler}).
 *
 * <pre>
 * java ... io.netloop.examples.lines.LineServer [PORT]
 * nc 127.0.0.1 7000        # then type PING, ECHO hi, UPPER hi, QUIT
 * </pre>
 *
 * <p>Threading: {@code main} returns once the server listens; each connection's handler runs
 * on its loop thread.
 */
public final class LineServer {
    private LineServer() {}

    public static void main(String[] args) throws IOException {
        TcpServer server = start(args.length > 0 ? Integer.parseInt(args[0]) : 7000);
        System.out.println("line protocol on 127.0.0.1:" + server.port() + " (nc 127.0.0.1 " + server.port() + ")");
    }

    public static TcpServer start(int port) throws IOException {
        return TcpServer.builder()
                .port(port)
                .idleTimeout(Duration.ofMinutes(5)) // a client that went away without a FIN
                .handler(CommandHandler::new)
                .start();
    }
}
