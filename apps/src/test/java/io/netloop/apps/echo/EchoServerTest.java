package io.netloop.apps.echo;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.loop.IoMode;
import io.netloop.core.tcp.AcceptMode;
import io.netloop.core.tcp.ConnectionConfig;
import io.netloop.core.tcp.ConnectionHandler;
import io.netloop.core.tcp.HandlerMode;
import io.netloop.core.tcp.TcpConnection;
import io.netloop.core.tcp.TcpServer;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The echo server's promises, on every poller, with one and four loops, each accept mode
 * and each handler mode (all combinations on epoll, a spread of them on the others).
 */
@ExtendWith(LeakCheck.class)
class EchoServerTest {
    private static final int MIB = 1024 * 1024;

    record Setup(IoMode io, int threads, AcceptMode accept, HandlerMode handlers) {
        TcpServer.Builder configure(TcpServer.Builder b) {
            return b.io(io).threads(threads).accept(accept).handlers(handlers).workers(8, 64);
        }

        TcpServer start() throws java.io.IOException {
            return configure(EchoServer.builder()).start();
        }

        @Override
        public String toString() {
            return io + " x" + threads + " " + accept + " " + handlers;
        }
    }

    static List<Setup> setups() {
        List<Setup> all = new ArrayList<>();
        for (int threads : new int[] {1, 4}) {
            for (AcceptMode accept : AcceptMode.values()) {
                for (HandlerMode handlers : HandlerMode.values())
                    all.add(new Setup(IoMode.EPOLL, threads, accept, handlers));
            }
        }
        all.add(new Setup(IoMode.EPOLL_ET, 1, AcceptMode.HANDOFF, HandlerMode.LOOP));
        all.add(new Setup(IoMode.EPOLL_ET, 4, AcceptMode.REUSEPORT, HandlerMode.WORKERS));
        all.add(new Setup(IoMode.EPOLL_ET, 4, AcceptMode.HANDOFF, HandlerMode.VIRTUAL));
        all.add(new Setup(IoMode.IO_URING, 1, AcceptMode.HANDOFF, HandlerMode.LOOP));
        all.add(new Setup(IoMode.IO_URING, 4, AcceptMode.REUSEPORT, HandlerMode.WORKERS));
        all.add(new Setup(IoMode.IO_URING, 4, AcceptMode.HANDOFF, HandlerMode.VIRTUAL));
        all.add(new Setup(IoMode.NIO, 1, AcceptMode.HANDOFF, HandlerMode.LOOP));
        all.add(new Setup(IoMode.NIO, 4, AcceptMode.HANDOFF, HandlerMode.WORKERS));
        all.add(new Setup(IoMode.NIO, 4, AcceptMode.REUSEPORT, HandlerMode.VIRTUAL));
        all.add(new Setup(IoMode.POLL, 1, AcceptMode.HANDOFF, HandlerMode.LOOP));
        all.add(new Setup(IoMode.POLL, 4, AcceptMode.REUSEPORT, HandlerMode.WORKERS));
        return all;
    }

    /** select(2) cannot hold a thousand connections (FD_SETSIZE): it joins the smaller tests only. */
    static List<Setup> setupsWithSelect() {
        List<Setup> all = setups();
        all.add(new Setup(IoMode.SELECT, 1, AcceptMode.HANDOFF, HandlerMode.LOOP));
        all.add(new Setup(IoMode.SELECT, 4, AcceptMode.HANDOFF, HandlerMode.VIRTUAL));
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("setups")
    void aThousandConcurrentClientsEachGetBackExactlyTheirMegabyte(Setup setup) throws Exception {
        int clients = 1000;
        try (TcpServer server = setup.start();
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Socket> sockets = new ArrayList<>();
            try {
                // All connected before any data flows: the server holds 1,000 at once.
                for (int i = 0; i < clients; i++) sockets.add(Clients.connect(server.port()));
                Clients.await(Duration.ofSeconds(10), "1000 accepted connections", () -> server.openCount() == clients);
                List<Future<long[]>> results = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    Socket s = sockets.get(i);
                    long seed = 1000L + i;
                    Future<Long> sent = threads.submit(() -> sendRandomPieces(s.getOutputStream(), MIB, seed));
                    results.add(threads.submit(
                            () -> new long[] {sent.get(), receiveChecksum(s.getInputStream(), MIB)}));
                }
                for (int i = 0; i < clients; i++) {
                    long[] r = results.get(i).get(120, TimeUnit.SECONDS);
                    assertThat(r[1])
                            .as("client %d: checksum of the echo equals that of what it sent", i)
                            .isEqualTo(r[0]);
                }
            } finally {
                for (Socket s : sockets) s.close();
            }
            Clients.await(Duration.ofSeconds(10), "server to see every close", () -> server.openCount() == 0);
            assertThat(server.acceptedCount()).isEqualTo(clients);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("setupsWithSelect")
    void aClientThatNeverReadsIsPausedWithBoundedMemoryWhileOthersAreServed(Setup setup) throws Exception {
        try (TcpServer server = setup.start();
                ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
                Socket hog = Clients.connect(server.port())) {
            AtomicLong pushed = new AtomicLong();
            threads.submit(() -> {
                byte[] chunk = new byte[64 * 1024];
                OutputStream out = hog.getOutputStream();
                while (pushed.get() < 256L * MIB) { // far more than any buffer: it must block
                    out.write(chunk);
                    pushed.addAndGet(chunk.length);
                }
                return null;
            });
            Clients.await(
                    Duration.ofSeconds(20), "the server to pause reading from the hog", () -> hogState(server)[1] == 1);
            Thread.sleep(300);
            long[] state = hogState(server);
            long bound = EchoServer.HIGH_WATER_MARK + ConnectionConfig.DEFAULT.readBudget() + 64 * 1024;
            assertThat(state[0]).as("bytes queued for the hog").isLessThanOrEqualTo(bound);
            assertThat(state[1]).as("reading paused").isEqualTo(1);
            long before = pushed.get();
            Thread.sleep(300);
            assertThat(pushed.get())
                    .as("the hog is blocked by TCP flow control")
                    .isEqualTo(before);

            try (Socket polite = Clients.connect(server.port())) {
                polite.getOutputStream().write("still here".getBytes(StandardCharsets.US_ASCII));
                assertThat(Clients.readExactly(polite.getInputStream(), 10))
                        .asString()
                        .isEqualTo("still here");
            }
            hog.close(); // unblocks the writer with an exception, ending its task
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("setupsWithSelect")
    void afterTheClientsHalfCloseTheServerEchoesTheRestThenCloses(Setup setup) throws Exception {
        try (TcpServer server = setup.start();
                Socket s = Clients.connect(server.port())) {
            byte[] tail = new byte[200_000];
            new SplittableRandom(7).nextBytes(tail);
            s.getOutputStream().write(tail);
            s.shutdownOutput();
            assertThat(Clients.readToEnd(s)).isEqualTo(tail); // then end of stream: the server closed
            Clients.await(Duration.ofSeconds(5), "server-side close", () -> server.openCount() == 0);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("setupsWithSelect")
    void aResetMidStreamClosesThatConnectionOnceAndTheOthersGoOn(Setup setup) throws Exception {
        AtomicInteger closes = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> causes = new ConcurrentLinkedQueue<>();
        try (TcpServer server = setup.configure(TcpServer.builder())
                        .handler(() -> new CountingEcho(closes, causes))
                        .start();
                Socket bystander = Clients.connect(server.port())) {
            Socket rude = Clients.connect(server.port());
            OutputStream out = rude.getOutputStream();
            out.write(new byte[300_000]); // echo traffic in flight both ways
            rude.setSoLinger(true, 0);
            rude.close(); // RST
            Clients.await(Duration.ofSeconds(5), "the reset connection to close", () -> closes.get() >= 1);
            Thread.sleep(200);
            assertThat(closes.get()).as("onClose calls").isEqualTo(1);

            bystander.getOutputStream().write("ok?".getBytes(StandardCharsets.US_ASCII));
            assertThat(Clients.readExactly(bystander.getInputStream(), 3))
                    .asString()
                    .isEqualTo("ok?");
            Clients.await(Duration.ofSeconds(5), "one open connection left", () -> server.openCount() == 1);
        }
    }

    /** [queued output bytes, 1 if reading is paused] of the server's only connection. */
    private static long[] hogState(TcpServer server) {
        long[] r = new long[2];
        server.forEachConnection(c -> {
                    r[0] = c.queuedOutputBytes();
                    r[1] = c.isReadingPaused() ? 1 : 0;
                })
                .join();
        return r;
    }

    private static long sendRandomPieces(OutputStream out, int total, long seed) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        CRC32C crc = new CRC32C();
        byte[] piece = new byte[32 * 1024];
        int sent = 0;
        while (sent < total) {
            int n = Math.min(total - sent, 1 + rnd.nextInt(piece.length));
            rnd.nextBytes(piece);
            crc.update(piece, 0, n);
            out.write(piece, 0, n);
            sent += n;
        }
        out.flush();
        return crc.getValue();
    }

    private static long receiveChecksum(InputStream in, int total) throws Exception {
        CRC32C crc = new CRC32C();
        byte[] buf = new byte[64 * 1024];
        int got = 0;
        while (got < total) {
            int n = in.read(buf, 0, Math.min(buf.length, total - got));
            if (n < 0) throw new AssertionError("end of stream after " + got + " bytes");
            crc.update(buf, 0, n);
            got += n;
        }
        return crc.getValue();
    }

    /** Echo that counts its onClose calls. */
    private static final class CountingEcho implements ConnectionHandler {
        private final EchoHandler echo = new EchoHandler();
        private final AtomicInteger closes;
        private final ConcurrentLinkedQueue<Throwable> causes;

        CountingEcho(AtomicInteger closes, ConcurrentLinkedQueue<Throwable> causes) {
            this.closes = closes;
            this.causes = causes;
        }

        @Override
        public void onData(TcpConnection c, Buffer in) {
            echo.onData(c, in);
        }

        @Override
        public void onHighWater(TcpConnection c, int queued) {
            echo.onHighWater(c, queued);
        }

        @Override
        public void onLowWater(TcpConnection c) {
            echo.onLowWater(c);
        }

        @Override
        public void onClose(TcpConnection c, Throwable cause) {
            closes.incrementAndGet();
            if (cause != null) causes.add(cause);
        }
    }
}
