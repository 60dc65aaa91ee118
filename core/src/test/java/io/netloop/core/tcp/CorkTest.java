package io.netloop.core.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.EventLoop;
import io.netloop.core.loop.IoMode;
import io.netloop.core.sys.linux.Net;
import io.netloop.core.sys.linux.SysConst;
import io.netloop.testing.AllTransports;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@link TcpConnection#cork}: sends gathered into one write, nothing lost or reordered. */
@ExtendWith(LeakCheck.class)
class CorkTest {

    private static TcpServer start(IoMode io, Supplier<ConnectionHandler> handler) throws Exception {
        return TcpServer.builder().port(0).io(io).threads(1).handler(handler).start();
    }

    /** The loop's write system calls so far, read on the loop. */
    private static long writes(TcpServer server) throws Exception {
        EventLoop loop = server.loops().getFirst();
        CompletableFuture<Long> f = new CompletableFuture<>();
        loop.execute(() -> f.complete(loop.stats().snapshot().writes()));
        return f.get(5, TimeUnit.SECONDS);
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 7 + (i >>> 10));
        return b;
    }

    @AllTransports
    void sendsUnderACorkLeaveInOneWriteAtUncork(IoMode io) throws Exception {
        // Each input byte is answered by its own send; corked or not depends on the first byte.
        ConnectionHandler h = (c, in) -> {
            boolean cork = in.peek(0) == 'c';
            if (cork) c.cork();
            for (byte b : in.readAll()) c.send(new byte[] {b});
            if (cork) c.uncork();
        };
        try (TcpServer server = start(io, () -> h);
                Socket s = Clients.connect(server.port())) {
            long before = writes(server);
            s.getOutputStream().write("uabcdefg".getBytes());
            assertThat(Clients.readExactly(s.getInputStream(), 8)).isEqualTo("uabcdefg".getBytes());
            assertThat(writes(server) - before).as("uncorked: a write per send").isEqualTo(8);

            before = writes(server);
            s.getOutputStream().write("cabcdefg".getBytes());
            assertThat(Clients.readExactly(s.getInputStream(), 8)).isEqualTo("cabcdefg".getBytes());
            assertThat(writes(server) - before).as("corked: one write").isEqualTo(1);
        }
    }

    @AllTransports
    void aCorkForgottenByTheHandlerEndsWithItsCall(IoMode io) throws Exception {
        ConnectionHandler h = (c, in) -> {
            c.cork();
            for (byte b : in.readAll()) c.send(new byte[] {b});
        };
        try (TcpServer server = start(io, () -> h);
                Socket s = Clients.connect(server.port())) {
            long before = writes(server);
            s.getOutputStream().write("hello".getBytes());
            assertThat(Clients.readExactly(s.getInputStream(), 5)).isEqualTo("hello".getBytes());
            assertThat(writes(server) - before).isEqualTo(1);
        }
    }

    @AllTransports
    void aLastOutputFollowedByTheCloseArrivesWholeThenEndOfStream(IoMode io) throws Exception {
        byte[] answer = pattern(3000);
        ConnectionHandler h = (c, in) -> {
            in.readAll();
            c.lastOutput();
            c.send(answer);
            c.closeAfterOutput();
        };
        try (TcpServer server = start(io, () -> h);
                Socket s = Clients.connect(server.port())) {
            s.getOutputStream().write('x');
            InputStream in = s.getInputStream();
            assertThat(Clients.readExactly(in, answer.length)).isEqualTo(answer);
            assertThat(in.read()).as("then the FIN").isEqualTo(-1);
        }
    }

    @AllTransports
    void aFileSentAsTheLastOutputOfAConnectionLeftOpenIsNotHeldPastTheCall(IoMode io, @TempDir Path dir)
            throws Exception {
        // The hold before a file (TCP_CORK) would keep its last bytes up to 200 ms and the
        // next answers' too: the end of the handler call lifts it when no close came.
        Path file = Files.write(dir.resolve("f"), pattern(5000));
        AtomicReference<TcpConnection> conn = new AtomicReference<>();
        ConnectionHandler h = (c, in) -> {
            in.readAll();
            conn.set(c);
            c.lastOutput();
            try {
                c.sendFile(file, 0, 5000);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        try (TcpServer server = start(io, () -> h);
                Socket s = Clients.connect(server.port())) {
            s.getOutputStream().write('x');
            assertThat(Clients.readExactly(s.getInputStream(), 5000)).isEqualTo(Files.readAllBytes(file));
            CompletableFuture<Integer> cork = new CompletableFuture<>();
            server.loops().getFirst().execute(() -> {
                int fd = conn.get().socket().fd();
                try {
                    cork.complete(fd < 0 ? 0 : Net.getInt(fd, SysConst.IPPROTO_TCP, SysConst.TCP_CORK));
                } catch (IOException e) {
                    cork.completeExceptionally(e);
                }
            });
            assertThat(cork.get(5, TimeUnit.SECONDS))
                    .as("TCP_CORK after the call")
                    .isZero();
        }
    }

    @AllTransports
    void moreThanTheSocketTakesIsQueuedAtUncorkAndDrainsWhole(IoMode io) throws Exception {
        byte[] big = pattern(8 << 20);
        ConnectionHandler h = (c, in) -> {
            in.clear();
            c.cork();
            for (int off = 0; off < big.length; off += 65_536) c.send(big, off, Math.min(65_536, big.length - off));
            c.uncork();
            c.shutdownOutput();
        };
        try (TcpServer server = start(io, () -> h);
                Socket s = Clients.connect(server.port())) {
            s.getOutputStream().write('x');
            Thread.sleep(200); // the socket fills before anyone reads: the rest must wait for EPOLLOUT
            InputStream in = s.getInputStream();
            assertThat(Arrays.equals(in.readAllBytes(), big))
                    .as("8 MiB byte-exact, then FIN")
                    .isTrue();
        }
    }

    @AllTransports
    void closingWhileCorkedStillSendsWhatWasSent(IoMode io) throws Exception {
        ConnectionHandler h = (c, in) -> {
            in.clear();
            c.cork();
            c.send("last words");
            c.close();
        };
        try (TcpServer server = start(io, () -> h);
                Socket s = Clients.connect(server.port())) {
            s.getOutputStream().write('x');
            assertThat(new String(Clients.readToEnd(s))).isEqualTo("last words");
        }
    }
}
