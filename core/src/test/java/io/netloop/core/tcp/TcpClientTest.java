package io.netloop.core.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netloop.core.loop.EventLoop;
import io.netloop.core.loop.IoMode;
import io.netloop.core.sys.Errno;
import io.netloop.core.sys.ErrnoException;
import io.netloop.testing.AllTransports;
import io.netloop.testing.LeakCheck;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class TcpClientTest {

    @AllTransports
    void connectsAndExchangesBytes(IoMode io) throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
                EventLoop loop = EventLoop.open(io)) {
            CompletableFuture<String> reply = new CompletableFuture<>();
            TcpConnection c = TcpClient.connect(
                            loop,
                            (InetSocketAddress) ss.getLocalSocketAddress(),
                            Duration.ofSeconds(5),
                            (conn, in) -> reply.complete(in.readAllAsString()))
                    .get(5, TimeUnit.SECONDS);
            try (Socket peer = ss.accept()) {
                c.send("hi");
                assertThat(peer.getInputStream().readNBytes(2)).asString().isEqualTo("hi");
                peer.getOutputStream().write("yo".getBytes());
                assertThat(reply.get(5, TimeUnit.SECONDS)).isEqualTo("yo");
            }
        }
    }

    @AllTransports(edgeTriggered = false)
    void aRefusedConnectionFailsTheFuture(IoMode io) throws Exception {
        int port;
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = ss.getLocalPort(); // closed again: nothing listens there now
        }
        try (EventLoop loop = EventLoop.open(io)) {
            CompletableFuture<TcpConnection> f = TcpClient.connect(
                    loop,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                    Duration.ofSeconds(5),
                    (c, in) -> {});
            assertThatThrownBy(() -> f.get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(IOException.class)
                    .satisfies(e -> {
                        if (e instanceof ErrnoException ee)
                            assertThat(ee.errno()).isEqualTo(Errno.ECONNREFUSED);
                        else assertThat(e).hasMessageContaining("refused");
                    });
        }
    }

    @AllTransports(edgeTriggered = false)
    void aConnectThatCompletesLaterGivesAWorkingConnection(IoMode io) throws Exception {
        // The accept queue is full, so the SYN is dropped; once room is made, the kernel's
        // retransmitted SYN (about 1 s later) completes the connect asynchronously: the path
        // where the socket turns writable instead of connecting at once.
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                EventLoop loop = EventLoop.open(io)) {
            InetSocketAddress target = (InetSocketAddress) ss.getLocalSocketAddress();
            java.util.List<TcpConnection> fillers = new java.util.ArrayList<>();
            CompletableFuture<String> reply = new CompletableFuture<>();
            CompletableFuture<TcpConnection> pending = null;
            for (int attempt = 0; attempt < 16 && pending == null; attempt++) {
                CompletableFuture<TcpConnection> f = TcpClient.connect(
                        loop, target, Duration.ofSeconds(10), (c, in) -> reply.complete(in.readAllAsString()));
                try {
                    fillers.add(f.get(300, TimeUnit.MILLISECONDS)); // connected: the queue still had room
                } catch (java.util.concurrent.TimeoutException hanging) {
                    pending = f;
                }
            }
            assertThat(pending)
                    .as("a connect that waits for room in the accept queue")
                    .isNotNull();
            java.util.List<Socket> accepted = new java.util.ArrayList<>();
            try {
                ss.setSoTimeout(10_000);
                for (int i = 0; i <= fillers.size(); i++) accepted.add(ss.accept()); // room: the retried SYN gets in
                TcpConnection c = pending.get(10, TimeUnit.SECONDS);
                assertThat(c.isOpen()).isTrue();
                c.send("late");
                Socket peer = accepted.getLast();
                assertThat(peer.getInputStream().readNBytes(4)).asString().isEqualTo("late");
                peer.getOutputStream().write("ok".getBytes());
                assertThat(reply.get(5, TimeUnit.SECONDS)).isEqualTo("ok");
            } finally {
                for (Socket s : accepted) s.close();
            }
        }
    }

    @AllTransports(edgeTriggered = false)
    void aConnectThatHangsTimesOut(IoMode io) throws Exception {
        // A listener that never accepts: once its accept queue is full, the kernel drops SYNs
        // and connects hang. How many it takes to fill the queue is the kernel's business, so
        // connect until one hangs; that one must fail with the timeout.
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                EventLoop loop = EventLoop.open(io)) {
            InetSocketAddress target = (InetSocketAddress) ss.getLocalSocketAddress();
            Throwable failure = null;
            for (int attempt = 0; attempt < 16 && failure == null; attempt++) {
                CompletableFuture<TcpConnection> f =
                        TcpClient.connect(loop, target, Duration.ofMillis(300), (c, in) -> {});
                try {
                    f.get(5, TimeUnit.SECONDS); // connected: the queue had room; keep it, try again
                } catch (ExecutionException e) {
                    failure = e.getCause();
                }
            }
            assertThat(failure)
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining("timed out after 300 ms");
        }
    }
}
