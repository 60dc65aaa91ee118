package io.netloop.core.tcp;

import io.netloop.core.loop.Channel;
import io.netloop.core.loop.EventLoop;
import io.netloop.core.loop.Timer;
import io.netloop.core.transport.NetOption;
import io.netloop.core.transport.SocketConfig;
import io.netloop.core.transport.StreamSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Opens outgoing connections on an {@link EventLoop}: a non-blocking connect, completed when
 * the socket turns writable, failed when the kernel says so or the timeout passes.
 *
 * <pre>{@code
 * TcpConnection c = TcpClient.connect(loop, new InetSocketAddress("127.0.0.1", 7007),
 *         Duration.ofSeconds(3), handler).join();
 * }</pre>
 *
 * <p>Threading: {@link #connect} from any thread; the future completes on the loop thread.
 */
public final class TcpClient {
    private TcpClient() {}

    public static CompletableFuture<TcpConnection> connect(
            EventLoop loop, InetSocketAddress remote, Duration timeout, ConnectionHandler handler) {
        return connect(
                loop,
                remote,
                timeout,
                handler,
                ConnectionConfig.DEFAULT,
                SocketConfig.EMPTY.with(NetOption.TCP_NODELAY, true));
    }

    public static CompletableFuture<TcpConnection> connect(
            EventLoop loop,
            InetSocketAddress remote,
            Duration timeout,
            ConnectionHandler handler,
            ConnectionConfig config,
            SocketConfig options) {
        CompletableFuture<TcpConnection> result = new CompletableFuture<>();
        loop.runInLoop(() -> new Attempt(loop, remote, timeout, handler, config, options, result).begin());
        return result;
    }

    /** One connection attempt; lives on the loop thread until it succeeds or fails. */
    private static final class Attempt {
        private final EventLoop loop;
        private final InetSocketAddress remote;
        private final Duration timeout;
        private final ConnectionHandler handler;
        private final ConnectionConfig config;
        private final SocketConfig options;
        private final CompletableFuture<TcpConnection> result;
        private StreamSocket socket;
        private Channel channel;
        private Timer timer;

        Attempt(
                EventLoop loop,
                InetSocketAddress remote,
                Duration timeout,
                ConnectionHandler handler,
                ConnectionConfig config,
                SocketConfig options,
                CompletableFuture<TcpConnection> result) {
            this.loop = loop;
            this.remote = remote;
            this.timeout = timeout;
            this.handler = handler;
            this.config = config;
            this.options = options;
            this.result = result;
        }

        void begin() {
            try {
                socket = loop.transport().connect(remote, options);
                if (socket.finishConnect()) {
                    established();
                    return;
                }
                channel = loop.newChannel(socket, ops -> onWritable());
                channel.enableWriting();
                timer = loop.schedule(this::timedOut, timeout.toNanos(), TimeUnit.NANOSECONDS);
            } catch (IOException | RuntimeException e) {
                fail(e);
            }
        }

        private void onWritable() {
            try {
                if (!socket.finishConnect()) return;
            } catch (IOException | RuntimeException e) {
                fail(e);
                return;
            }
            timer.cancel();
            established();
        }

        private void established() {
            // The connect's channel (if any) becomes the connection's: no second registration.
            TcpConnection c = TcpConnection.connected(loop, socket, handler, config, channel);
            c.start();
            result.complete(c);
        }

        private void timedOut() {
            fail(new SocketTimeoutException("connect to " + remote + " timed out after " + timeout.toMillis() + " ms"));
        }

        private void fail(Exception e) {
            if (timer != null) timer.cancel();
            if (channel != null) channel.remove();
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            result.completeExceptionally(
                    e instanceof IOException
                            ? e
                            : new IOException("connect to " + remote + " failed: " + e.getMessage(), e));
        }
    }
}
