package io.netloop.core.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.loop.IoMode;
import io.netloop.testing.AllTransports;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import io.netloop.testing.LoopAllocations;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.Arrays;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A request-response exchange on a kept connection allocates nothing on the loop once warm:
 * the reads, the writes, the readiness reports and the connection's bookkeeping. The bytes
 * the loop thread allocates are counted by the JVM (no timing is measured). Before the system
 * calls went through staging memory and {@code HotCalls}, each exchange cost 112 bytes on
 * epoll, and on NIO one ByteBuffer per read and per write.
 */
@ExtendWith(LeakCheck.class)
class SteadyStateAllocationTest {
    private static final byte[] REQUEST = "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n".getBytes();
    private static final byte[] RESPONSE = new byte[128];

    /** Answers each request (as many bytes as REQUEST) with RESPONSE: the transport's work alone. */
    private static final class Responder implements ConnectionHandler {
        @Override
        public void onData(TcpConnection c, Buffer in) {
            while (in.readableBytes() >= REQUEST.length) {
                in.skip(REQUEST.length);
                c.send(RESPONSE, 0, RESPONSE.length);
            }
        }
    }

    @AllTransports
    void aKeptConnectionsExchangesAllocateNothingOnTheLoop(IoMode io) throws Exception {
        try (TcpServer server =
                        TcpServer.builder().io(io).handler(Responder::new).start();
                Socket client = Clients.connect(server.port())) {
            LoopAllocations loop = LoopAllocations.ofThread("netloop-loop-");
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            exchange(out, in, 30_000); // warm-up: the JIT compiles the path
            // The least of three windows: a one-off (a method handle's first compilation, a
            // poller's event array growing) lands in one window, a per-exchange cost in all.
            int n = 10_000;
            double perRequest = Double.MAX_VALUE;
            for (int window = 0; window < 3; window++) {
                long before = loop.bytes();
                exchange(out, in, n);
                perRequest = Math.min(perRequest, (loop.bytes() - before) / (double) n);
            }
            System.out.printf("%s: %.2f bytes allocated on the loop per exchange%n", io, perRequest);
            assertThat(perRequest).as("bytes per exchange on " + io).isLessThanOrEqualTo(8);
        }
    }

    private static void exchange(OutputStream out, InputStream in, int n) throws Exception {
        byte[] answer = new byte[RESPONSE.length];
        for (int i = 0; i < n; i++) {
            out.write(REQUEST);
            int got = 0;
            while (got < answer.length) got += in.read(answer, got, answer.length - got);
            assertThat(got).isEqualTo(answer.length);
        }
        assertThat(Arrays.equals(answer, RESPONSE)).isTrue();
    }
}
