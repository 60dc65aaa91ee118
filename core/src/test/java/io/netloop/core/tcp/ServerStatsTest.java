package io.netloop.core.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.EventLoop;
import io.netloop.core.loop.IoMode;
import io.netloop.core.loop.LoopStats;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class ServerStatsTest {

    @Test
    void busyTimeCountsTheWorkBetweenWaitsNotTheWaits() throws Exception {
        try (EventLoop loop = EventLoop.open(IoMode.AUTO)) {
            java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
            loop.execute(() -> {
                long until = System.nanoTime() + 50_000_000;
                while (System.nanoTime() < until) Thread.onSpinWait(); // 50 ms of work on the loop
                ran.countDown();
            });
            assertThat(ran.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            Thread.sleep(1000); // the loop waits now: idle time must not count
            loop.execute(() -> {});
            Clients.await(
                    Duration.ofSeconds(5),
                    "the busy time of the task's wake-up recorded",
                    () -> loop.stats().snapshot().busyNanos() >= 50_000_000);
            assertThat(loop.stats().snapshot().busyNanos())
                    .as("not the second of waiting")
                    .isLessThan(1_000_000_000);
        }
    }

    @Test
    void statisticsCountConnectionsBytesWakeupsAndTasks() throws Exception {
        try (TcpServer server = TcpServer.builder()
                .threads(2)
                .accept(AcceptMode.REUSEPORT)
                .handler(() -> (c, in) -> c.send(in))
                .start()) {
            for (int i = 0; i < 10; i++) {
                try (Socket s = Clients.connect(server.port())) {
                    s.getOutputStream().write(new byte[1000]);
                    Clients.readExactly(s.getInputStream(), 1000);
                }
            }
            Clients.await(Duration.ofSeconds(5), "all closed", () -> server.openCount() == 0);
            ServerStats stats = server.stats();
            assertThat(stats.accepted()).isEqualTo(10);
            assertThat(stats.closed()).isEqualTo(10);
            assertThat(stats.open()).isZero();
            assertThat(stats.loops()).hasSize(2);
            LoopStats.Snapshot total = stats.total();
            assertThat(total.bytesIn()).isEqualTo(10_000);
            assertThat(total.bytesOut()).isEqualTo(10_000);
            assertThat(total.wakeups()).isPositive();
            assertThat(total.events()).isPositive();
            assertThat(total.eventsPerWakeup()).isPositive();
            assertThat(total.tasks()).isPositive(); // starting the acceptors ran tasks on the loops
        }
    }

    @Test
    void reuseportSpreadsConnectionsOverEveryLoop() throws Exception {
        try (TcpServer server = TcpServer.builder()
                .threads(4)
                .accept(AcceptMode.REUSEPORT)
                .handler(() -> (c, in) -> c.send(in))
                .start()) {
            assertHandlesConnectionsOnEveryLoop(server);
        }
    }

    @Test
    void handoffSpreadsConnectionsRoundRobin() throws Exception {
        try (TcpServer server = TcpServer.builder()
                .threads(4)
                .accept(AcceptMode.HANDOFF)
                .handler(() -> (c, in) -> c.send(in))
                .start()) {
            assertHandlesConnectionsOnEveryLoop(server);
        }
    }

    private static void assertHandlesConnectionsOnEveryLoop(TcpServer server) throws Exception {
        java.util.List<Socket> open = new java.util.ArrayList<>();
        try {
            // The kernel's REUSEPORT hash is by 4-tuple, so enough connections reach every listener.
            for (int i = 0; i < 64; i++) open.add(Clients.connect(server.port()));
            Clients.await(Duration.ofSeconds(5), "64 accepted", () -> server.openCount() == 64);
            java.util.Set<EventLoop> used = java.util.concurrent.ConcurrentHashMap.newKeySet();
            server.forEachConnection(c -> used.add(c.loop())).join();
            assertThat(used).hasSize(4);
        } finally {
            for (Socket s : open) s.close();
        }
    }
}
