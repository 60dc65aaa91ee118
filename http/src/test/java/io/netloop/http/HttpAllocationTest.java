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

    @TempDir
    Path site;

    private static byte[] request(String path, boolean close) {
        return ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nUser-Agent: wrk\r\nAccept: */*\r\n"
                        + (close ? "Connection: close\r\n" : "") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private HttpServer start() throws Exception {
        Files.writeString(site.resolve("4k.txt"), "x".repeat(4096));
        return TestServers.start(
                IoMode.EPOLL,
                s -> {
                    s.get("/plaintext", (req, res) -> res.type("text/plain").send("Hello, World!"));
                    s.staticFiles("/files", site);
                },
                b -> b.threads(1).maxRequestsPerConnection(1_000_000));
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

    @Test
    void aConnectionCarryingOneRequestAllocatesAtMostOneKibibyte() throws Exception {
        try (HttpServer server = start()) {
            LoopAllocations loop = LoopAllocations.ofThread("netloop-");
            shortConnections(server.port(), 3_000);
            int n = 2_000;
            double perConnection = Double.MAX_VALUE;
            for (int window = 0; window < 3; window++) {
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
        for (int i = 0; i < 20_000; i++) exchange(out, in, request, answer); // the JIT compiles the path
        int n = 10_000;
        double perRequest = Double.MAX_VALUE;
        for (int window = 0; window < 3; window++) {
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
