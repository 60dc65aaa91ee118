package io.netloop.bench;

import io.netloop.core.loop.Channel;
import io.netloop.core.loop.EventLoop;
import io.netloop.core.loop.IoHandler;
import io.netloop.core.transport.Interest;
import io.netloop.core.transport.SocketConfig;
import io.netloop.core.transport.StreamSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * One of {@link ConnectRate}'s K slots: opens a connection, sends the request once it is
 * connected, reads the echo, closes, and at once opens the next. A failure counts in the
 * {@link ConnectTally} and the slot starts over a millisecond later (so that a server that
 * is down is not hammered in a tight loop).
 *
 * <p>Why not {@link io.netloop.core.tcp.TcpClient}: its general path costs a connection ~6 more
 * system calls and a heap timer (SO_ERROR, getpeername, a second epoll registration for the
 * {@code TcpConnection}, a 16 KiB input buffer), which would make this generator, not the
 * server, the limit. Here one channel is registered once for READ|WRITE; on epoll a
 * writability report means the handshake is done (a failed one reports EPOLLERR, read with
 * SO_ERROR), so the request goes out without asking. Per connection: socket, setsockopt
 * (SO_LINGER, for --close rst), connect, epoll_ctl ADD, send, read, epoll_ctl DEL, close, plus
 * the epoll_wait calls they share; level-triggered, one epoll_ctl MOD more to stop watching
 * writability. Measured against the server on loopback, this still costs the client more CPU
 * per connection than the server, since the kernel runs much of the handshake in the
 * context of the connect() that starts it.
 *
 * <p>Threading: the client loop's thread only (an {@link IoHandler}).
 */
final class ConnectSlot implements IoHandler {
    private final EventLoop loop;
    private final InetSocketAddress remote;
    private final SocketConfig options;
    private final byte[] request;
    private final byte[] echo;
    private final long timeoutNanos;
    private final ConnectTally tally;
    private final Runnable startAgain = this::start;

    private StreamSocket socket;
    private Channel channel;
    private long startedNanos;
    private int sent;
    private int received;
    private boolean stopped;

    ConnectSlot(
            EventLoop loop,
            InetSocketAddress remote,
            SocketConfig options,
            byte[] request,
            long timeoutNanos,
            ConnectTally tally) {
        this.loop = loop;
        this.remote = remote;
        this.options = options;
        this.request = request;
        this.echo = new byte[request.length];
        this.timeoutNanos = timeoutNanos;
        this.tally = tally;
    }

    /** Opens the next connection. */
    void start() {
        if (stopped) return;
        startedNanos = System.nanoTime();
        sent = 0;
        received = 0;
        try {
            socket = loop.transport().connect(remote, options);
            channel = loop.newChannel(socket, this);
            channel.setInterest(Interest.READ | Interest.WRITE);
        } catch (IOException | RuntimeException e) {
            fail(ConnectTally.Failure.of(e instanceof java.io.UncheckedIOException u ? u.getCause() : e), e);
        }
    }

    @Override
    public void onReady(int ops) {
        try {
            if ((ops & Interest.ERROR) != 0) {
                // SO_ERROR says why: ECONNREFUSED while connecting, ECONNRESET after.
                socket.finishConnect();
                fail(ConnectTally.Failure.RESET, new IOException("EPOLLERR without a pending error"));
                return;
            }
            if (sent < request.length && (ops & Interest.WRITE) != 0) {
                sent += socket.write(request, sent, request.length - sent);
                if (sent == request.length && !channel.isEdgeTriggered()) channel.disableWriting();
            }
            if (sent == request.length && (ops & (Interest.READ | Interest.PEER_SHUTDOWN | Interest.HANGUP)) != 0) {
                read();
            }
        } catch (IOException | RuntimeException e) {
            fail(ConnectTally.Failure.of(e), e);
        }
    }

    /** Reads until the echo is complete or the socket is drained (edge-triggered needs the latter). */
    private void read() throws IOException {
        while (received < echo.length) {
            int n = socket.read(echo, received, echo.length - received);
            if (n == 0) return;
            if (n == StreamSocket.EOF) {
                fail(
                        ConnectTally.Failure.CLOSED_EARLY,
                        new IOException("end of stream after " + received + " of " + echo.length + " bytes"));
                return;
            }
            received += n;
        }
        if (!Arrays.equals(echo, request)) {
            fail(ConnectTally.Failure.WRONG_ECHO, new IOException("the echo differs from the request"));
            return;
        }
        long latency = System.nanoTime() - startedNanos;
        closeQuietly();
        tally.completed(latency);
        start();
    }

    /** Called by {@link ConnectRate}'s sweep: gives up a connection older than the timeout. */
    void checkTimeout(long nowNanos) {
        if (socket == null || stopped || nowNanos - startedNanos < timeoutNanos) return;
        fail(
                sent < request.length ? ConnectTally.Failure.CONNECT_TIMEOUT : ConnectTally.Failure.RESPONSE_TIMEOUT,
                new IOException("no echo " + TimeUnit.NANOSECONDS.toMillis(nowNanos - startedNanos)
                        + " ms after connect" + (sent < request.length ? " (not connected)" : " (request sent)")));
    }

    private void fail(ConnectTally.Failure kind, Exception cause) {
        if (stopped) return;
        tally.failed(kind, remote + ": " + cause.getMessage());
        closeQuietly();
        loop.schedule(startAgain, 1, TimeUnit.MILLISECONDS);
    }

    /** Closes what is in flight; its end is then no error. */
    void stop() {
        stopped = true;
        closeQuietly();
    }

    private void closeQuietly() {
        if (channel != null) channel.remove();
        channel = null;
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Closing a socket only fails for a bad descriptor: nothing left to release.
            }
        }
        socket = null;
    }
}
