package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.IoMode;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Clients that fail: a reset (SO_LINGER 0) in the middle of a request or of a large response
 * (streamed or sent from a file), and a half-close (FIN) at every stage of a request. The
 * server closes what cannot be answered at once rather than at a timeout, answers what
 * can, releases everything, and goes on serving.
 */
@ExtendWith(LeakCheck.class)
class FaultsTest {
    private static final long DOWNLOAD = 8L << 20;

    @TempDir
    static Path root;

    private static Path file;
    private static HttpServer server;

    @BeforeAll
    static void start() throws Exception {
        file = root.resolve("big.bin");
        byte[] b = new byte[251 << 12]; // whole periods of the pattern, so that byte i of the file is i % 251
        for (int i = 0; i < b.length; i++) b[i] = (byte) (i % 251);
        try (var out = Files.newOutputStream(file)) {
            for (int i = 0; i < 32; i++) out.write(b);
        }
        // The default header timeout (10 s) is far longer than any wait here: a close that
        // comes in time comes from the half-close or reset, not from a timeout.
        server = TestServers.start(IoMode.AUTO, s -> {
            TestServers.demoRoutes(s);
            s.get("/stream", (req, res) -> TestServers.streamPattern(res, DOWNLOAD, 16 * 1024));
            // No open-file cache: it would keep the file's descriptor, which the reset test counts.
            s.staticFiles("/files", root).cache(0, java.time.Duration.ZERO);
        });
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void reset(Socket s) throws IOException {
        s.setSoLinger(true, 0);
        s.close();
    }

    private static void servedAfterwards() throws Exception {
        Clients.await(
                Duration.ofSeconds(5),
                "the failed connection to be closed",
                () -> server.tcp().openCount() == 0);
        try (RawClient c = RawClient.connect(server)) {
            assertThat(c.get("/hello").status()).isEqualTo(200);
        }
    }

    private static long openFileDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(p -> {
                        try {
                            return Files.readSymbolicLink(p).toString().startsWith(root.toString());
                        } catch (IOException gone) {
                            return false;
                        }
                    })
                    .count();
        }
    }

    @Test
    void aResetInTheMiddleOfARequestHeadClosesTheConnection() throws Exception {
        RawClient c = RawClient.connect(server);
        c.send("GET /hello HTTP/1.1\r\nHost: t\r\nX-Half");
        Clients.await(
                Duration.ofSeconds(5),
                "the server to see the connection",
                () -> server.tcp().openCount() == 1);
        reset(c.socket);
        servedAfterwards();
    }

    @Test
    void aResetInTheMiddleOfARequestBodyClosesTheConnection() throws Exception {
        RawClient c = RawClient.connect(server);
        c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(5000));
        Clients.await(
                Duration.ofSeconds(5),
                "the server to see the connection",
                () -> server.tcp().openCount() == 1);
        reset(c.socket);
        servedAfterwards();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/stream", "/files/big.bin"})
    void aResetInTheMiddleOfALargeResponseReleasesEverything(String target) throws Exception {
        long filesBefore = openFileDescriptors();
        RawClient c = RawClient.connect(server);
        c.send("GET " + target + " HTTP/1.1\r\nHost: t\r\n\r\n");
        Clients.readExactly(c.input(), 1 << 20); // a MiB in, then the client is gone
        reset(c.socket);
        servedAfterwards();
        assertThat(openFileDescriptors())
                .as("the file's descriptor is closed with the connection")
                .isEqualTo(filesBefore);
    }

    /** Half-closes after {@code sent}: the server must close without waiting for a timeout, answering nothing it cannot finish. */
    private static RawClient halfClosedAfter(String sent) throws IOException {
        RawClient c = RawClient.connect(server);
        c.send(sent);
        c.socket.shutdownOutput();
        return c;
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "GET /hello HTTP/1.1\r\n", // after the request line
                "GET /hello HTTP/1.1\r\nHost: t\r\n", // in the header section
                "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n", // after the head, before the body
                "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabcd", // in the body
                "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nab"
            }) // in a chunk
    void aHalfCloseBeforeTheRequestIsCompleteClosesAtOnceWithoutA2xx(String sent) throws Exception {
        long start = System.nanoTime();
        try (RawClient c = halfClosedAfter(sent)) {
            byte[] rest = c.input().readAllBytes(); // up to the server's close
            long millis = (System.nanoTime() - start) / 1_000_000;
            String answer = new String(rest, java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(answer)
                    .as("nothing, or an error status")
                    .satisfiesAnyOf(
                            a -> assertThat(a).isEmpty(), a -> assertThat(a).startsWith("HTTP/1.1 4"));
            assertThat(millis)
                    .as("closed at the half-close, not at the 10 s header timeout")
                    .isLessThan(5_000);
        }
        servedAfterwards();
    }

    @Test
    void aHalfCloseAfterACompleteRequestStillGetsTheResponse() throws Exception {
        try (RawClient c = halfClosedAfter("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n")) {
            RawClient.Resp r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("hello");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aHalfCloseAfterPipelinedRequestsStillGetsEveryResponse() throws Exception {
        try (RawClient c = halfClosedAfter("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n".repeat(3)
                + "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc")) {
            for (int i = 0; i < 3; i++) assertThat(c.read().text()).isEqualTo("hello");
            assertThat(c.read().text()).isEqualTo("abc");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/stream", "/files/big.bin"})
    void aHalfCloseAfterRequestingALargeDownloadStillGetsAllOfIt(String target) throws Exception {
        try (RawClient c = halfClosedAfter("GET " + target + " HTTP/1.1\r\nHost: t\r\n\r\n")) {
            RawClient.Resp r = c.read();
            assertThat(r.status()).isEqualTo(200);
            long expected = target.equals("/stream") ? DOWNLOAD : Files.size(file);
            assertThat((long) r.body().length).isEqualTo(expected);
            for (int i = 0; i < r.body().length; i += 4099) {
                assertThat(r.body()[i]).as("byte %d", i).isEqualTo((byte) (i % 251));
            }
            assertThat(c.closedByServer()).isTrue();
        }
    }
}
