package io.netloop.core.transport.linux;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.loop.IoMode;
import io.netloop.core.tcp.ConnectionHandler;
import io.netloop.core.tcp.TcpConnection;
import io.netloop.core.tcp.TcpServer;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** select(2)'s FD_SETSIZE: past descriptor 1023 a connection is refused with a clear reason, and the server goes on. */
@ExtendWith(LeakCheck.class)
class SelectLimitTest {

    @Test
    void connectionsPastFdSetSizeAreClosedWithAClearReasonAndTheRestAreServed() throws Exception {
        Queue<Throwable> causes = new ConcurrentLinkedQueue<>();
        try (TcpServer server = TcpServer.builder()
                .io(IoMode.SELECT)
                .handler(() -> new ConnectionHandler() {
                    @Override
                    public void onData(TcpConnection c, Buffer in) {
                        c.send(in);
                    }

                    @Override
                    public void onClose(TcpConnection c, Throwable cause) {
                        if (cause != null) causes.add(cause);
                    }
                })
                .start()) {
            List<Socket> clients = new ArrayList<>();
            try {
                // Each connection costs two descriptors in this JVM (client and server side).
                for (int i = 0; i < 560; i++) clients.add(Clients.connect(server.port()));
                Clients.await(Duration.ofSeconds(10), "refusals past FD_SETSIZE", () -> !causes.isEmpty());
                assertThat(causes.peek())
                        .hasStackTraceContaining("select(2) cannot watch fd")
                        .hasStackTraceContaining("use --io poll or --io epoll");
                Socket first = clients.getFirst();
                first.getOutputStream().write("alive".getBytes());
                assertThat(Clients.readExactly(first.getInputStream(), 5))
                        .asString()
                        .isEqualTo("alive");
            } finally {
                for (Socket s : clients) s.close();
            }
        }
    }
}
