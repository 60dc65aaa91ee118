package io.netloop.apps.echo;

import io.netloop.core.loop.IoMode;
import io.netloop.core.tcp.ConnectionConfig;
import io.netloop.core.tcp.TcpServer;
import java.io.IOException;

/**
 * The echo server: a {@link TcpServer} of {@link EchoHandler}s.
 *
 * <p>Threading: {@link #start} from any thread; the server then runs on its own loops.
 */
public final class EchoServer {
    /** Output queued per connection before reading from it pauses. */
    public static final int HIGH_WATER_MARK = 1024 * 1024;

    public static final int LOW_WATER_MARK = 256 * 1024;

    private EchoServer() {}

    /** A server builder set up for echo; add threads, modes and timeouts, then {@code start()}. */
    public static TcpServer.Builder builder() {
        return TcpServer.builder()
                .connectionConfig(ConnectionConfig.DEFAULT.withHighWaterMark(HIGH_WATER_MARK, LOW_WATER_MARK))
                .handler(EchoHandler::new);
    }

    public static TcpServer start(String host, int port, IoMode io) throws IOException {
        return builder().host(host).port(port).io(io).start();
    }
}
