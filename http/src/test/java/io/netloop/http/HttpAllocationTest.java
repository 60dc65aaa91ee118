package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.IoMode;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import io.netloop.testing.LoopAllocations;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The garbage the loop thread makes per request, counted by the JVM
 * ({@code ThreadMXBean.getThreadAllocatedBytes}), on the three paths a server lives on: a
 * small response on a kept connection, a static file on a kept connection, and a connection
 * that carries one request. No timing is measured: only bytes, the least of three windows,
 * so that a one-off (a compilation, a table growing) cannot pass for a per-request cost.
 */
@ExtendWith(LeakCheck.class)
class HttpAllocationTest {
    private static final byte[] PLAINTEXT = request("/plaintext", false);
    private static final byte[] STATIC = request("/files/4k.txt", false);
    private static final byte[] SHORT = request("/plaintext", true);

    private static final int WARM_UP = 20_000, WINDOW = 10_000, WINDOWS = 6;
    /** Exchanges on a kept connection: the first, the warm-up, the windows. */
    private static final long KEPT_EXCHANGES = 1 + WARM_UP + (long) WINDOW * WINDOWS;

    @TempDir
    Path site;

    private static byte[] request(String path, boolean close) {
        return ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUser-Agent: wrk\r\nAccept: */*\r\n"
                        + (close ? "Connection: close\r\n" : "") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private HttpServer start() throws Exception {
        return start(s -> {}, b -> b);
    }

    private HttpServer start(TestServers.Routes filters) throws Exception {
        return start(filters, b -> b);
    }

    private HttpServer start(TestServers.Routes filters, java.util.function.UnaryOperator<HttpServer.Builder> more)
            throws Exception {
        Files.writeString(site.resolve("4k.txt"), "x".repeat(4096));
        return TestServers.start(
                IoMode.EPOLL,
                s -> {
                    filters.add(s);
                    s.get("/plaintext", (req, res) -> res.type("text/plain").send("Hello, World!"));
                    s.staticFiles("/files", site);
                },
                b -> more.apply(b.threads(1).maxRequestsPerConnection(1_000_000)));
    }

    @Test
    void aSmallResponseOnAKeptConnectionAllocatesAtMost64Bytes() throws Exception {
        try (HttpServer server = start();
                Socket client = Clients.connect(server.port())) {
            double perRequest = keptConnection(client, PLAINTEXT, "Hello, World!");
            report("plaintext, kept connection", perRequest);
            assertThat(perRequest).isLessThanOrEqualTo(64);
        }
    }

    /** Each route's filters are chosen when the server starts: walking them makes no garbage. */
    @Test
    void filtersAroundASmallResponseAllocateNothingMore() throws Exception {
        AtomicLong after = new AtomicLong();
        try (HttpServer server = start(s -> {
                    s.before("/*", (req, res) -> res.header("X-Content-Type-Options", "nosniff"));
                    s.before("/api/*", (req, res) -> res.status(403).send()); // covers no route here
                    s.after("/plaintext", (req, res) -> after.incrementAndGet());
                });
                Socket client = Clients.connect(server.port())) {
            double perRequest = keptConnection(client, PLAINTEXT, "Hello, World!");
            report("plaintext with filters, kept connection", perRequest);
            assertThat(perRequest).isLessThanOrEqualTo(64);
            assertThat(after.get()).isPositive();
        }
    }

    @Test
    void aStaticFileOnAKeptConnectionAllocatesAtMost64Bytes() throws Exception {
        try (HttpServer server = start();
                Socket client = Clients.connect(server.port())) {
            double perRequest = keptConnection(client, STATIC, "x".repeat(4096));
            report("static 4 KiB, kept connection", perRequest);
            assertThat(perRequest).isLessThanOrEqualTo(64);
        }
    }

    @Test
    void aStaticFileWrittenToTheAccessLogAllocatesAtMost64Bytes() throws Exception {
        Path file = site.resolve("access.log");
        AccessLog log = AccessLog.toFile(file);
        try (HttpServer server = start(s -> {}, b -> b.accessLog(log));
                Socket client = Clients.connect(server.port())) {
            double perRequest = keptConnection(client, STATIC, "x".repeat(4096));
            report("static 4 KiB with an access log, kept connection", perRequest);
            assertThat(perRequest).isLessThanOrEqualTo(64);
        } finally {
            log.close();
        }
        try (var lines = Files.lines(file)) {
            long written = lines.filter(l -> l.endsWith("\"GET /files/4k.txt HTTP/1.1\" 200 4096 \"-\" \"wrk\""))
                    .count();
            // Every answer is in the log, or counted as dropped (when the writer thread was starved).
            assertThat(written + log.droppedCount()).isEqualTo(KEPT_EXCHANGES);
        }
    }

    @Test
    void aConnectionCarryingOneRequestAllocatesAtMostOneKibibyte() throws Exception {
        try (HttpServer server = start()) {
            LoopAllocations loop = LoopAllocations.ofThread("netloop-");
            shortConnections(server.port(), 3_000);
            int n = 2_000;
            double perConnection = Double.MAX_VALUE;
            // The least of several windows: until C2 has compiled the FFM downcalls (later on a busy
            // machine), each call may allocate a slice of its errno segment: warm-up, not steady state.
            for (int window = 0; window < WINDOWS; window++) {
                long before = loop.bytes();
                shortConnections(server.port(), n);
                perConnection = Math.min(perConnection, (loop.bytes() - before) / (double) n);
            }
            report("plaintext, one request per connection", perConnection);
            assertThat(perConnection).isLessThanOrEqualTo(1024);
        }
    }

    private static double keptConnection(Socket client, byte[] request, String body) throws Exception {
        LoopAllocations loop = LoopAllocations.ofThread("netloop-");
        OutputStream out = client.getOutputStream();
        InputStream in = client.getInputStream();
        byte[] answer = new byte[16 << 10];
        int length = exchange(out, in, request, answer);
        assertThat(new String(answer, 0, length, StandardCharsets.US_ASCII)).endsWith("\r\n\r\n" + body);
        for (int i = 0; i < WARM_UP; i++) exchange(out, in, request, answer); // the JIT compiles the path
        int n = WINDOW;
        double perRequest = Double.MAX_VALUE;
        // The least of several windows: until C2 has compiled the FFM downcalls (later on a busy
        // machine), each call may allocate a slice of its errno segment: warm-up, not steady state.
        for (int window = 0; window < WINDOWS; window++) {
            long before = loop.bytes();
            for (int i = 0; i < n; i++) exchange(out, in, request, answer);
            perRequest = Math.min(perRequest, (loop.bytes() - before) / (double) n);
        }
        return perRequest;
    }

    /** Sends one request and reads its whole response (Content-Length framed); returns its length. */
    private static int exchange(OutputStream out, InputStream in, byte[] request, byte[] answer) throws Exception {
        out.write(request);
        int got = 0;
        int end = -1;
        while (end < 0 || got < end) {
            int n = in.read(answer, got, answer.length - got);
            if (n < 0) throw new AssertionError("closed after " + got + " bytes");
            got += n;
            if (end < 0) end = responseLength(answer, got);
        }
        assertThat(got).isEqualTo(end);
        return got;
    }

    /** The head's length plus its Content-Length, once the head is complete; else -1. */
    private static int responseLength(byte[] b, int n) {
        for (int i = 3; i < n; i++) {
            if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
                String head = new String(b, 0, i + 1, StandardCharsets.US_ASCII).toLowerCase();
                int at = head.indexOf("content-length: ") + "content-length: ".length();
                int length = Integer.parseInt(
                        head.substring(at, head.indexOf('\r', at)).trim());
                return i + 1 + length;
            }
        }
        return -1;
    }

    private static void shortConnections(int port, int n) throws Exception {
        byte[] answer = new byte[4096];
        for (int i = 0; i < n; i++) {
            try (Socket s = Clients.connect(port)) {
                s.getOutputStream().write(SHORT);
                InputStream in = s.getInputStream();
                int got = 0;
                for (int r; (r = in.read(answer, got, answer.length - got)) > 0; ) got += r;
                assertThat(new String(answer, 0, got, StandardCharsets.US_ASCII))
                        .endsWith("Hello, World!");
            }
        }
    }

    private static void report(String path, double bytes) {
        System.out.printf("%s: %.1f bytes allocated on the loop per request%n", path, bytes);
    }
}
