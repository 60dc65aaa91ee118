package io.netloop.core.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.EventLoop;
import io.netloop.core.loop.IoMode;
import io.netloop.testing.AllTransports;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ExtendWith(LeakCheck.class)
class IdleTimeoutTest {
    private static final long TIMEOUT_MS = 400;
    private static final long TICK_MS = TimeUnit.NANOSECONDS.toMillis(EventLoop.WHEEL_TICK_NANOS);
    /** Scheduling noise on a loaded two-core machine: a loop or this thread may be late this much. */
    private static final long SLACK_MS = 400;

    private static TcpServer echo(IoMode io) throws Exception {
        return TcpServer.builder()
                .io(io)
                .idleTimeout(Duration.ofMillis(TIMEOUT_MS))
                .handler(() -> (c, in) -> c.send(in))
                .start();
    }

    @AllTransports
    void anIdleConnectionIsClosedWithinTheTimeoutPlusOneTick(IoMode io) throws Exception {
        try (TcpServer server = echo(io);
                Socket s = Clients.connect(server.port())) {
            s.getOutputStream().write('x');
            assertThat(s.getInputStream().read()).isEqualTo('x');
            long lastActivity = System.nanoTime();
            assertThat(s.getInputStream().read())
                    .as("end of stream: the server closed")
                    .isEqualTo(-1);
            long idleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastActivity);
            assertThat(idleMs)
                    .isGreaterThanOrEqualTo(TIMEOUT_MS - 5)
                    .isLessThanOrEqualTo(TIMEOUT_MS + TICK_MS + SLACK_MS);
        }
    }

    @AllTransports(edgeTriggered = false)
    void aConnectionThatKeepsTalkingIsNeverClosed(IoMode io) throws Exception {
        try (TcpServer server = echo(io);
                Socket s = Clients.connect(server.port())) {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(4 * TIMEOUT_MS);
            while (System.nanoTime() < end) {
                s.getOutputStream().write('y');
                assertThat(s.getInputStream().read()).isEqualTo('y');
                Thread.sleep(TIMEOUT_MS / 4);
            }
            assertThat(server.openCount()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = HandlerMode.class,
            names = {"WORKERS", "VIRTUAL"}) // blocking on the loop is not a valid setup
    void aConnectionWhoseHandlerIsBusyIsNotIdle(HandlerMode mode) throws Exception {
        try (TcpServer server = TcpServer.builder()
                        .handlers(mode)
                        .idleTimeout(Duration.ofMillis(TIMEOUT_MS))
                        .handler(() -> (c, in) -> {
                            try {
                                Thread.sleep(3 * TIMEOUT_MS); // blocking work, longer than the timeout
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            c.send(in);
                        })
                        .start();
                Socket s = Clients.connect(server.port())) {
            s.getOutputStream().write('z');
            assertThat(s.getInputStream().read()).isEqualTo('z');
        }
    }
}
