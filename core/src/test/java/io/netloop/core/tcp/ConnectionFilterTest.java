package io.netloop.core.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.loop.IoMode;
import io.netloop.testing.AllTransports;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The seam itself, with a toy filter: the peer must first send '!' (then the filter is
 * established and names a made-up client address), after which every byte is XORed with 0x5A
 * both ways. What the handler sees and sends is plaintext; files pass through in chunks.
 */
@ExtendWith(LeakCheck.class)
class ConnectionFilterTest {
    private static final int KEY = 0x5A;
    private static final InetSocketAddress NAMED = new InetSocketAddress("192.0.2.99", 4242);
    private static Path file;
    private static byte[] fileBytes;

    @BeforeAll
    static void aFile() throws IOException {
        fileBytes = new byte[4 * 1024 * 1024 + 5];
        new Random(3).nextBytes(fileBytes);
        file = Files.createTempFile("netloop-filter", ".bin");
        Files.write(file, fileBytes);
    }

    @AfterAll
    static void removeIt() throws IOException {
        Files.deleteIfExists(file);
    }

    static final class Xor implements ConnectionFilter {
        private boolean greeted;

        @Override
        public void inbound(Buffer raw, Buffer plain, Buffer wire) throws IOException {
            if (!greeted) {
                if (raw.peek(0) != '!') throw new IOException("no greeting");
                raw.skip(1);
                greeted = true;
                wire.append(new byte[] {'+'}); // the filter's own answer, before any handler byte
            }
            int n = raw.readableBytes();
            plain.ensureWritable(n);
            for (int i = 0; i < n; i++) plain.array()[plain.writerIndex() + i] = (byte) (raw.peek(i) ^ KEY);
            plain.hasWritten(n);
            raw.skip(n);
        }

        @Override
        public void outbound(byte[] src, int off, int len, Buffer wire) {
            wire.ensureWritable(len);
            for (int i = 0; i < len; i++) wire.array()[wire.writerIndex() + i] = (byte) (src[off + i] ^ KEY);
            wire.hasWritten(len);
        }

        @Override
        public boolean established() {
            return greeted;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return NAMED;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] xor(byte[] b) {
        byte[] out = b.clone();
        for (int i = 0; i < out.length; i++) out[i] ^= KEY;
        return out;
    }

    @AllTransports
    void theHandlerOpensOnceEstablishedAndSeesPlaintextOnly(IoMode io) throws Exception {
        ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
        try (TcpServer server = TcpServer.builder()
                        .io(io)
                        .filter(peer -> new Xor())
                        .handler(() -> new ConnectionHandler() {
                            @Override
                            public void onOpen(TcpConnection c) {
                                events.add("open " + c.remoteAddress() + " via "
                                        + c.peerAddress().getAddress().getHostAddress());
                                c.send("hi ");
                            }

                            @Override
                            public void onData(TcpConnection c, Buffer in) {
                                events.add("data " + in.readAllAsString());
                                c.send("ok");
                            }
                        })
                        .start();
                Socket s = Clients.connect(server.port())) {
            Thread.sleep(100);
            assertThat(events)
                    .as("no handler call before the filter is established")
                    .isEmpty();
            s.getOutputStream().write('!');
            assertThat(Clients.readExactly(s.getInputStream(), 4))
                    .isEqualTo(new byte[] {'+', 'h' ^ KEY, 'i' ^ KEY, ' ' ^ KEY});
            s.getOutputStream().write(xor("ping".getBytes(StandardCharsets.US_ASCII)));
            assertThat(xor(Clients.readExactly(s.getInputStream(), 2)))
                    .asString()
                    .isEqualTo("ok");
            assertThat(events).containsExactly("open " + NAMED + " via 127.0.0.1", "data ping");
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = HandlerMode.class,
            names = {"WORKERS", "VIRTUAL"})
    void handlersOffTheLoopOpenAfterTheFilterAndSendThroughIt(HandlerMode mode) throws Exception {
        try (TcpServer server = TcpServer.builder()
                        .handlers(mode)
                        .filter(peer -> new Xor())
                        .handler(() -> new ConnectionHandler() {
                            @Override
                            public void onOpen(TcpConnection c) {
                                c.send("[" + c.remoteAddress().getPort() + "]");
                            }

                            @Override
                            public void onData(TcpConnection c, Buffer in) {
                                c.send(in.readAllAsString().toUpperCase());
                            }
                        })
                        .start();
                Socket s = Clients.connect(server.port())) {
            s.getOutputStream().write(concat(new byte[] {'!'}, xor("abc".getBytes(StandardCharsets.US_ASCII))));
            assertThat(s.getInputStream().read()).isEqualTo('+');
            assertThat(xor(Clients.readExactly(s.getInputStream(), 9)))
                    .asString()
                    .isEqualTo("[4242]ABC");
        }
    }

    @AllTransports(edgeTriggered = false)
    void aFileUnderAFilterIsReadInChunksAsTheSocketDrainsAndKeepsItsPlaceInLine(IoMode io) throws Exception {
        AtomicReference<TcpConnection> conn = new AtomicReference<>();
        AtomicInteger highWater = new AtomicInteger();
        AtomicInteger lowWater = new AtomicInteger();
        try (TcpServer server = TcpServer.builder()
                        .io(io)
                        .filter(peer -> new Xor())
                        .handler(() -> new ConnectionHandler() {
                            @Override
                            public void onOpen(TcpConnection c) {
                                conn.set(c);
                                c.send("<");
                                try {
                                    c.sendFile(file, 0, fileBytes.length);
                                } catch (IOException e) {
                                    throw new java.io.UncheckedIOException(e);
                                }
                                c.send(">");
                            }

                            @Override
                            public void onData(TcpConnection c, Buffer in) {
                                in.clear();
                            }

                            @Override
                            public void onHighWater(TcpConnection c, int queued) {
                                highWater.incrementAndGet();
                            }

                            @Override
                            public void onLowWater(TcpConnection c) {
                                lowWater.incrementAndGet();
                            }
                        })
                        .start();
                Socket s = Clients.connect(server.port())) {
            s.setReceiveBufferSize(64 * 1024);
            s.getOutputStream().write('!');
            InputStream in = s.getInputStream();
            assertThat(in.read()).isEqualTo('+');
            // Not reading: the socket fills, and what waits in memory is one chunk at most, not the file.
            Clients.await(Duration.ofSeconds(10), "the connection", () -> conn.get() != null);
            long before = -1;
            for (int i = 0; i < 50; i++) {
                Thread.sleep(20);
                long now = onLoop(conn.get(), TcpConnection::queuedOutputBytes);
                if (now == before) break;
                before = now;
            }
            assertThat(onLoop(conn.get(), TcpConnection::bufferedOutputBytes))
                    .as("encoded bytes waiting")
                    .isLessThanOrEqualTo(16 * 1024);
            assertThat(highWater.get())
                    .as("the file counts toward the high-water mark")
                    .isEqualTo(1);
            byte[] got = xor(Clients.readExactly(in, fileBytes.length + 2));
            assertThat(got[0]).isEqualTo((byte) '<');
            assertThat(Arrays.equals(got, 1, fileBytes.length + 1, fileBytes, 0, fileBytes.length))
                    .as("byte-exact")
                    .isTrue();
            assertThat(got[fileBytes.length + 1]).isEqualTo((byte) '>');
            Clients.await(Duration.ofSeconds(10), "low water", () -> lowWater.get() == 1);
        }
    }

    private static <T> T onLoop(TcpConnection c, java.util.function.Function<TcpConnection, T> f) throws Exception {
        CompletableFuture<T> r = new CompletableFuture<>();
        c.loop().execute(() -> r.complete(f.apply(c)));
        return r.get(10, TimeUnit.SECONDS);
    }
}
