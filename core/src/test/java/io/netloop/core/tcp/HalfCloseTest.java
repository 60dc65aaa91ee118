package io.netloop.core.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.loop.IoMode;
import io.netloop.testing.AllTransports;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A refusal's half-close (answer, FIN, read the rest, close at the peer's end) over many short
 * connections at once, whose descriptor numbers the kernel hands out again at once.
 */
@ExtendWith(LeakCheck.class)
class HalfCloseTest {
    private static final byte[] ANSWER = "refused\n".getBytes(StandardCharsets.US_ASCII);

    /**
     * Each client gets the whole answer before the end. On io_uring a FIN used to go as
     * IORING_OP_SHUTDOWN, which an io-wq worker ran late, after the close, on whichever
     * connection then had the descriptor number: that one's answer was lost and its client read
     * EOF (1 to 10 of 2,000 clients here, in every run).
     */
    @AllTransports(edgeTriggered = false)
    void everyAnswerArrivesBeforeTheFinWhileDescriptorsAreReused(IoMode io) throws Exception {
        byte[] request = new byte[60_000]; // more than the server reads before it answers
        try (TcpServer server = TcpServer.builder()
                        .port(0)
                        .io(io)
                        .threads(1)
                        .handler(() -> new ConnectionHandler() {
                            private boolean answered;

                            @Override
                            public void onData(TcpConnection c, Buffer in) {
                                in.clear(); // the rest is read and thrown away until the peer's end
                                if (answered) return;
                                answered = true;
                                c.send(ANSWER);
                                c.shutdownOutput();
                            }
                        })
                        .start();
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<String>>> clients = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                clients.add(pool.submit(() -> {
                    List<String> wrong = new ArrayList<>();
                    for (int i = 0; i < 1000; i++) {
                        try (Socket s = Clients.connect(server.port())) {
                            try {
                                s.getOutputStream().write(request);
                            } catch (IOException cutOff) {
                                // the server may be done before all of it is written
                            }
                            String got =
                                    new String(s.getInputStream().readNBytes(ANSWER.length), StandardCharsets.US_ASCII);
                            if (!got.equals("refused\n")) wrong.add("'" + got + "'");
                        }
                    }
                    return wrong;
                }));
            }
            List<String> wrong = new ArrayList<>();
            for (Future<List<String>> f : clients) wrong.addAll(f.get());
            assertThat(wrong).as("answers that did not arrive, of 4,000").isEmpty();
        }
    }
}
