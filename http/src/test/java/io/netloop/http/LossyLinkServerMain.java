package io.netloop.http;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.loop.IoMode;
import io.netloop.core.tcp.ConnectionHandler;
import io.netloop.core.tcp.TcpConnection;
import io.netloop.core.tcp.TcpServer;

/**
 * The far end of {@link LossyLinkTest}, run in a process of its own inside a network
 * namespace: an HTTP server with a streamed download and a TCP echo server, both on every
 * address. Prints {@code PORTS <http> <echo>} when ready; stops when its standard input closes.
 *
 * <p>Threading: main thread only; the servers run on their loops.
 */
public final class LossyLinkServerMain {
    public static void main(String[] args) throws Exception {
        long download = Long.parseLong(args[0]);
        HttpServer http =
                HttpServer.builder().host("0.0.0.0").port(0).io(IoMode.AUTO).build();
        http.get("/download", (req, res) -> TestServers.streamPattern(res, download, 64 * 1024));
        http.start();
        try (http;
                TcpServer echo = TcpServer.builder()
                        .host("0.0.0.0")
                        .port(0)
                        .handler(() -> new ConnectionHandler() {
                            public void onData(TcpConnection c, Buffer in) {
                                c.send(in);
                            }

                            public void onHighWater(TcpConnection c, int queued) {
                                c.pauseReading(); // the peer reads slower than it sends: let TCP hold it back
                            }

                            public void onLowWater(TcpConnection c) {
                                c.resumeReading();
                            }
                        })
                        .start()) {
            System.out.println("PORTS " + http.port() + " " + echo.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our input
            }
        }
    }
}
