package io.netloop.core.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.tcp.ConnectionHandler;
import io.netloop.core.tcp.TcpConnection;
import io.netloop.core.tcp.TcpServer;
import io.netloop.testing.ChildJvm;
import io.netloop.testing.Clients;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two failures the rule lets stop the process: an OutOfMemoryError or an InternalError
 * from a handler halts it, loudly (the error and its stack on standard error), with the
 * status of {@code -XX:+ExitOnOutOfMemoryError}. In a child JVM, since it does stop.
 */
class FatalErrorTest {

    /** A server whose handler throws the named error on the first byte. Prints PORT n when ready. */
    public static final class FatalServer {
        public static void main(String[] args) throws Exception {
            String kind = args[0];
            TcpServer server = TcpServer.builder()
                    .handler(() -> new ConnectionHandler() {
                        @Override
                        public void onData(TcpConnection c, Buffer in) {
                            throw kind.equals("oom")
                                    ? new OutOfMemoryError("simulated: Java heap space")
                                    : new InternalError("simulated");
                        }
                    })
                    .start();
            System.out.println("PORT " + server.port());
            System.out.flush();
            Thread.sleep(60_000); // the error halts the process long before
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"oom", "internal"})
    void anOutOfMemoryOrInternalErrorStopsTheProcessLoudly(String kind) throws Exception {
        try (ChildJvm child = ChildJvm.start(List.of(), FatalServer.class, "PORT ", kind)) {
            int port = Integer.parseInt(child.awaitReady()[1]);
            try (Socket s = Clients.connect(port)) {
                s.getOutputStream().write('x');
                assertThat(child.waitFor(20, TimeUnit.SECONDS))
                        .as("the process stopped")
                        .isTrue();
            }
            assertThat(child.exitValue()).isEqualTo(FailureRule.FATAL_EXIT_STATUS);
            Clients.await(
                    java.time.Duration.ofSeconds(5),
                    "the child's last words",
                    () -> child.output().stream().anyMatch(l -> l.contains("at io.netloop")));
            String error = kind.equals("oom")
                    ? "java.lang.OutOfMemoryError: simulated: Java heap space"
                    : "java.lang.InternalError: simulated";
            assertThat(child.output())
                    .anySatisfy(line -> assertThat(line)
                            .startsWith("netloop: fatal " + error)
                            .contains("onData of TcpConnection"));
            assertThat(child.output())
                    .as("with its stack")
                    .anySatisfy(line -> assertThat(line).contains("at io.netloop"));
        }
    }
}
