package io.netloop.bench.lab;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.loop.IoMode;
import io.netloop.core.tcp.ConnectionHandler;
import io.netloop.core.tcp.TcpConnection;
import io.netloop.core.tcp.TcpServer;
import java.io.IOException;

/**
 * The event-driven models through netloop's own core: select(2), poll(2), epoll level-triggered
 * and edge-triggered, signal-driven I/O and io_uring, each a {@code Poller} of one event loop,
 * so the only difference between them is how the loop learns what to do. select(2) cannot watch a descriptor of FD_SETSIZE (1024) or more: such
 * connections are refused with the poller's error, which the server logs.
 *
 * <p>Threading: one event loop owns every connection.
 */
final class EventLoopServer implements LabServer.Model {
    private final IoMode io;
    private TcpServer server;

    EventLoopServer(IoMode io) {
        this.io = io;
    }

    private static final class Handler implements ConnectionHandler {
        private final PlainResponder responder = new PlainResponder();

        @Override
        public void onData(TcpConnection c, Buffer input) {
            int requests = responder.requestsEndingIn(input.array(), input.readerIndex(), input.readableBytes());
            input.skip(input.readableBytes());
            if (requests > 0) c.send(PlainResponder.responses(requests));
        }

        @Override
        public void onClose(TcpConnection c, Throwable cause) {
            // Resets are ordinary here (wrk and the idle holder end with them); other causes are worth a line.
            if (cause != null && !(cause instanceof IOException)) System.err.println("lab: " + c + ": " + cause);
        }
    }

    @Override
    public int start(String host, int port) throws IOException {
        // No connection limit: the lab holds up to 15,000 idle connections on purpose.
        server = TcpServer.builder()
                .host(host)
                .port(port)
                .io(io)
                .threads(1)
                .backlog(4096)
                .maxConnections(1_000_000)
                .handler(Handler::new)
                .start();
        return server.localAddress().getPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
