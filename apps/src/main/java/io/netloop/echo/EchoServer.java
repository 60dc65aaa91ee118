package io.netloop.echo;

import io.netloop.core.ConnectionConfig;
import io.netloop.core.IoMode;
import io.netloop.core.TcpServer;

import java.io.IOException;

/**
 * The echo server: a {@link TcpServer} of {@link EchoHandler}s.
 *
 * <p>Threading: {@link #start} from any thread; the server then runs on its own loop.
 */
public final class EchoServer {
    /** Output queued per connection before reading from it pauses. */
    public static final int HIGH_WATER_MARK = 1024 * 1024;
    public static final int LOW_WATER_MARK = 256 * 1024;

    private EchoServer() {}

    public static TcpServer start(String host, int port, IoMode io) throws IOException {
        return TcpServer.builder()
                .host(host)
                .port(port)
                .io(io)
                .connectionConfig(ConnectionConfig.DEFAULT.withHighWaterMark(HIGH_WATER_MARK, LOW_WATER_MARK))
                .handler(EchoHandler::new)
                .start();
    }
}
