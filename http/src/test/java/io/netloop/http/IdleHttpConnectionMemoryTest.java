package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.IoMode;
import io.netloop.testing.ChildJvm;
import io.netloop.testing.LeakCheck;
import io.netloop.testing.LiveHeap;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An idle keep-alive HTTP connection, after one browser-like request, keeps at most 1 KiB of
 * heap: its request slot, buffers and head bytes went back to the loop, and its deadline is
 * one timeout on the wheel. Measured as the live heap after a full collection, with the
 * clients in a JVM of their own so that their sockets do not count.
 */
@ExtendWith(LeakCheck.class)
class IdleHttpConnectionMemoryTest {
    private static final int CONNECTIONS = 3000;

    /** What Firefox sends for a page: a realistic head, so that what it leaves behind shows. */
    static final String BROWSER_REQUEST = "GET / HTTP/1.1\r\n"
            + "Host: localhost\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            + "Accept-Language: en-US,en;q=0.5\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Connection: keep-alive\r\n"
            + "Upgrade-Insecure-Requests: 1\r\n"
            + "Sec-Fetch-Dest: document\r\n"
            + "Sec-Fetch-Mode: navigate\r\n"
            + "Sec-Fetch-Site: none\r\n"
            + "Sec-Fetch-User: ?1\r\n"
            + "Priority: u=0, i\r\n"
            + "\r\n";

    /** Opens N connections, sends a browser's request on each, reads the answer's head, says HOLDING, holds them until stdin closes. */
    public static final class IdleClients {
        public static void main(String[] args) throws Exception {
            int port = Integer.parseInt(args[0]);
            int n = Integer.parseInt(args[1]);
            List<Socket> held = new ArrayList<>(n);
            byte[] request = BROWSER_REQUEST.getBytes(StandardCharsets.US_ASCII);
            byte[] answer = new byte[4096];
            for (int i = 0; i < n; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                OutputStream out = s.getOutputStream();
                out.write(request);
                InputStream in = s.getInputStream();
                // The answer is "hello" with a Content-Length: read until its body's last byte.
                int got = 0;
                while (got < 5 || answer[got - 1] != 'o' || answer[got - 5] != 'h') {
                    int r = in.read(answer, got, answer.length - got);
                    if (r < 0) throw new IllegalStateException("closed after " + got + " bytes");
                    got += r;
                }
                held.add(s);
            }
            System.out.println("HOLDING " + held.size());
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold until the test closes our input
            }
            for (Socket s : held) s.close();
        }
    }

    @Test
    void anIdleKeepAliveConnectionKeepsAtMostOneKibibyteOfHeap() throws Exception {
        try (HttpServer server = TestServers.start(
                IoMode.EPOLL,
                s -> s.get("/", (req, res) -> res.type("text/plain").send("hello")),
                b -> b.threads(1).idleTimeout(Duration.ofMinutes(5)).maxConnections(CONNECTIONS + 100))) {
            long before = LiveHeap.bytes();
            try (ChildJvm clients = ChildJvm.start(
                    List.of(),
                    IdleClients.class,
                    "HOLDING ",
                    Integer.toString(server.port()),
                    Integer.toString(CONNECTIONS))) {
                clients.awaitReady();
                long after = LiveHeap.bytes();
                double perConnection = (after - before) / (double) CONNECTIONS;
                System.out.printf(
                        "%.0f bytes of heap per idle HTTP connection (%d connections)%n", perConnection, CONNECTIONS);
                assertThat(perConnection).isLessThanOrEqualTo(1024);
            }
        }
    }
}
