package io.netloop.core.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.loop.IoMode;
import io.netloop.core.transport.NetOption;
import io.netloop.testing.AllTransports;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link TcpConnection#sendFile}: file ranges queued behind buffered bytes, sent with
 * sendfile(2) (NIO: transferTo), through partial writes, in order, closing the file after.
 */
@ExtendWith(LeakCheck.class)
class SendFileTest {
    private static final int SIZE = 8 * 1024 * 1024 + 123;
    /** Small, so that every write goes partial; not tiny, or delayed ACKs make each window cost 40 ms. */
    private static final int SEND_BUFFER = 128 * 1024;

    private static Path dir;
    private static Path file;
    private static byte[] content;

    @BeforeAll
    static void createFile() throws IOException {
        dir = Files.createTempDirectory("netloop-sendfile");
        file = dir.resolve("data.bin");
        content = new byte[SIZE];
        new java.util.Random(42).nextBytes(content);
        Files.write(file, content);
    }

    @AfterAll
    static void deleteFile() throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
    }

    /** A server whose handler runs {@code onOpen} when a client connects; a small send buffer forces partial writes. */
    private static TcpServer server(
            IoMode io,
            BiConsumer<TcpConnection, CompletableFuture<Throwable>> onOpen,
            CompletableFuture<Throwable> closed)
            throws IOException {
        return TcpServer.builder()
                .io(io)
                .childOption(NetOption.SO_SNDBUF, SEND_BUFFER)
                .handler(() -> new ConnectionHandler() {
                    public void onOpen(TcpConnection c) {
                        onOpen.accept(c, closed);
                    }

                    public void onData(TcpConnection c, Buffer in) {
                        in.clear();
                    }

                    public void onClose(TcpConnection c, Throwable cause) {
                        closed.complete(cause);
                    }
                })
                .start();
    }

    private static void sendFile(TcpConnection c, long position, long count) {
        try {
            c.sendFile(file, position, count);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AllTransports
    void largeFileArrivesWholeBetweenTheBytesQueuedAroundIt(IoMode io) throws Exception {
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        try (TcpServer s = server(
                        io,
                        (c, done) -> {
                            c.send("HEAD\n");
                            sendFile(c, 0, SIZE);
                            c.send("TAIL\n");
                            c.shutdownOutput();
                        },
                        closed);
                Socket client = Clients.connect(s.port())) {
            Thread.sleep(200); // the peer is slow: the server's writes go partial and wait for EPOLLOUT
            byte[] got = client.getInputStream().readAllBytes();
            assertThat(got.length).isEqualTo(SIZE + 10);
            assertThat(new String(got, 0, 5)).isEqualTo("HEAD\n");
            assertThat(new String(got, SIZE + 5, 5)).isEqualTo("TAIL\n");
            assertThat(digest(Arrays.copyOfRange(got, 5, SIZE + 5))).isEqualTo(digest(content));
        }
        assertThat(closed.get(10, TimeUnit.SECONDS)).isNull();
        Clients.await(Duration.ofSeconds(5), "the file to be closed", () -> openDescriptorsOf(file) == 0);
    }

    @AllTransports
    void rangesAndBytesInterleaveInQueueOrder(IoMode io) throws Exception {
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        try (TcpServer s = server(
                        io,
                        (c, done) -> {
                            c.send(new byte[300_000]); // fills the socket: everything after is queued
                            sendFile(c, 1000, 5000);
                            c.send("|");
                            sendFile(c, SIZE - 10, 10);
                            sendFile(c, 0, 0);
                            c.send("end");
                            c.shutdownOutput();
                        },
                        closed);
                Socket client = Clients.connect(s.port())) {
            byte[] got = client.getInputStream().readAllBytes();
            byte[] expected = concat(
                    new byte[300_000],
                    Arrays.copyOfRange(content, 1000, 6000),
                    "|".getBytes(),
                    Arrays.copyOfRange(content, SIZE - 10, SIZE),
                    "end".getBytes());
            assertThat(got).isEqualTo(expected);
        }
    }

    @AllTransports
    void fileBytesCountTowardTheWaterMarks(IoMode io) throws Exception {
        AtomicInteger high = new AtomicInteger();
        AtomicInteger low = new AtomicInteger();
        CompletableFuture<Integer> queuedAfterSend = new CompletableFuture<>();
        try (TcpServer s = TcpServer.builder()
                        .io(io)
                        .childOption(NetOption.SO_SNDBUF, SEND_BUFFER)
                        .handler(() -> new ConnectionHandler() {
                            public void onOpen(TcpConnection c) {
                                sendFile(c, 0, SIZE);
                                queuedAfterSend.complete(c.queuedOutputBytes());
                                c.shutdownOutput();
                            }

                            public void onData(TcpConnection c, Buffer in) {
                                in.clear();
                            }

                            public void onHighWater(TcpConnection c, int queued) {
                                high.incrementAndGet();
                            }

                            public void onLowWater(TcpConnection c) {
                                low.incrementAndGet();
                            }
                        })
                        .start();
                Socket client = Clients.connect(s.port())) {
            assertThat(queuedAfterSend.get(10, TimeUnit.SECONDS)).isGreaterThan(SIZE / 2);
            assertThat(high.get()).isEqualTo(1);
            assertThat(low.get()).isZero();
            assertThat(client.getInputStream().readAllBytes()).hasSize(SIZE);
            Clients.await(Duration.ofSeconds(5), "onLowWater", () -> low.get() == 1);
        }
    }

    @AllTransports
    void aFileShorterThanItsRangeClosesTheConnection(IoMode io) throws Exception {
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        try (TcpServer s = server(io, (c, done) -> sendFile(c, SIZE - 100, 1000), closed);
                Socket client = Clients.connect(s.port())) {
            InputStream in = client.getInputStream();
            assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(content, SIZE - 100, SIZE));
        }
        assertThat(closed.get(10, TimeUnit.SECONDS)).isInstanceOf(EOFException.class);
        Clients.await(Duration.ofSeconds(5), "the file to be closed", () -> openDescriptorsOf(file) == 0);
    }

    @AllTransports(edgeTriggered = false)
    void closingWithAFileQueuedClosesTheFile(IoMode io) throws Exception {
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        CompletableFuture<TcpConnection> conn = new CompletableFuture<>();
        try (TcpServer s = server(
                        io,
                        (c, done) -> {
                            sendFile(c, 0, SIZE);
                            conn.complete(c);
                        },
                        closed);
                Socket client = Clients.connect(s.port())) {
            TcpConnection c = conn.get(10, TimeUnit.SECONDS);
            assertThat(openDescriptorsOf(file)).isEqualTo(1);
            c.close();
            closed.get(10, TimeUnit.SECONDS);
            assertThat(openDescriptorsOf(file)).isZero();
        }
    }

    @AllTransports(edgeTriggered = false)
    void aMissingFileThrowsAndQueuesNothing(IoMode io) throws Exception {
        CompletableFuture<Throwable> closed = new CompletableFuture<>();
        CompletableFuture<Exception> thrown = new CompletableFuture<>();
        try (TcpServer s = server(
                        io,
                        (c, done) -> {
                            try {
                                c.sendFile(dir.resolve("missing"), 0, 10);
                                thrown.complete(null);
                            } catch (IOException e) {
                                thrown.complete(e);
                            }
                            c.send("ok");
                            c.shutdownOutput();
                        },
                        closed);
                Socket client = Clients.connect(s.port())) {
            assertThat(thrown.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
            assertThat(new String(client.getInputStream().readAllBytes())).isEqualTo("ok");
        }
    }

    private static long openDescriptorsOf(Path p) {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                        try {
                            return Files.readSymbolicLink(fd).equals(p);
                        } catch (IOException gone) {
                            return false;
                        }
                    })
                    .count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : List.of(parts)) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static String digest(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
