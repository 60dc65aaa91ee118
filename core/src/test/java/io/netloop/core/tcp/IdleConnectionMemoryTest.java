package io.netloop.core.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.buffer.Buffer;
import io.netloop.testing.ChildJvm;
import io.netloop.testing.Clients;
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
 * An idle connection holds no buffer: after a request and its answer, what a connection keeps
 * on the heap is its objects alone, the input and output storage having gone back to the
 * loop. Measured as the live heap after a full collection, with the clients in a JVM of their
 * own so that their sockets do not count.
 */
@ExtendWith(LeakCheck.class)
class IdleConnectionMemoryTest {
    private static final int CONNECTIONS = 3000;

    /** Opens N connections, sends a line on each, reads the answer, says HOLDING, holds them until stdin closes. */
    public static final class IdleClients {
        public static void main(String[] args) throws Exception {
            int port = Integer.parseInt(args[0]);
            int n = Integer.parseInt(args[1]);
            List<Socket> held = new ArrayList<>(n);
            byte[] request = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            byte[] answer = new byte[3];
            for (int i = 0; i < n; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                OutputStream out = s.getOutputStream();
                out.write(request);
                InputStream in = s.getInputStream();
                for (int got = 0; got < answer.length; ) got += in.read(answer, got, answer.length - got);
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

    /** Answers each request with "ok\n", keeps nothing. */
    private static final class Answer implements ConnectionHandler {
        private static final byte[] OK = "ok\n".getBytes(StandardCharsets.US_ASCII);

        @Override
        public void onData(TcpConnection c, Buffer in) {
            in.clear();
            c.send(OK);
        }
    }

    @Test
    void anIdleConnectionKeepsAtMostOneKibibyteOfHeap() throws Exception {
        try (TcpServer server = TcpServer.builder().handler(Answer::new).start()) {
            long before = LiveHeap.bytes();
            try (ChildJvm clients = ChildJvm.start(
                    List.of(),
                    IdleClients.class,
                    "HOLDING ",
                    Integer.toString(server.port()),
                    Integer.toString(CONNECTIONS))) {
                clients.awaitReady();
                Clients.await(
                        Duration.ofSeconds(30),
                        "every connection open on the server",
                        () -> server.openCount() == CONNECTIONS);
                long after = LiveHeap.bytes();
                double perConnection = (after - before) / (double) CONNECTIONS;
                System.out.printf(
                        "%.0f bytes of heap per idle connection (%d connections)%n", perConnection, CONNECTIONS);
                assertThat(perConnection).isLessThanOrEqualTo(1024);
            }
            Clients.await(Duration.ofSeconds(30), "every connection closed", () -> server.openCount() == 0);
        }
    }
}
