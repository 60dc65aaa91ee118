package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.IoMode;
import io.netloop.core.tcp.HandlerMode;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link HttpServer#drain}: readiness first, a pause, then no new connections, and nothing in flight lost. */
@ExtendWith(LeakCheck.class)
class DrainTest {
    private static final Duration PAUSE = Duration.ofMillis(1500);

    @Test
    void noRequestInFlightFailsAndNewConnectionsAreRefusedAfterThePause() throws Exception {
        CountDownLatch slowStarted = new CountDownLatch(3);
        HttpServer s = TestServers.start(
                IoMode.AUTO,
                x -> {
                    x.get("/fast", (req, res) -> res.send("ok"));
                    x.get("/slow", (req, res) -> {
                                slowStarted.countDown();
                                Thread.sleep(PAUSE.toMillis()
                                        + 500); // still running when the pause ends and accepting stops
                                res.send("slow done");
                            })
                            .mode(HandlerMode.VIRTUAL);
                },
                b -> b.threads(2));
        int port = s.port();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger toldToClose = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        List<RawClient> slowClients = new ArrayList<>();
        // Not the common pool: on two cores it has one thread, which the blocking reads would hold.
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        try {
            // Three requests whose handlers are mid-way when the drain starts.
            List<CompletableFuture<RawClient.Resp>> slow = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                RawClient c = new RawClient(port);
                slowClients.add(c);
                c.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
                slow.add(CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return c.read();
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        },
                        threads));
            }
            // A steady load: keep-alive clients sending request after request until told Connection: close.
            CountDownLatch loadRunning = new CountDownLatch(4);
            for (int i = 0; i < 4; i++) {
                clients.add(Thread.ofPlatform().name("load-" + i).start(() -> {
                    try (RawClient c = new RawClient(port)) {
                        boolean counted = false;
                        while (true) {
                            RawClient.Resp r = c.get("/fast");
                            if (r.status() != 200 || !r.text().equals("ok"))
                                failures.add("answered " + r.statusLine() + " " + r.text());
                            answered.incrementAndGet();
                            if (!counted) {
                                counted = true;
                                loadRunning.countDown();
                            }
                            if (r.says("Connection", "close")) {
                                toldToClose.incrementAndGet();
                                return;
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        failures.add(e.toString());
                    }
                }));
            }
            assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(loadRunning.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(s.isReady()).isTrue();

            long drainStart = System.nanoTime();
            CompletableFuture<Boolean> drained = CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            return s.drain(PAUSE, Duration.ofSeconds(10));
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    threads);
            Clients.await(Duration.ofSeconds(5), "readiness to fail", () -> !s.isReady());
            // During the pause the server still accepts (this connect would be refused after it), and says Connection:
            // close.
            try (RawClient late = new RawClient(port)) {
                RawClient.Resp r = late.get("/fast");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.says("Connection", "close")).isTrue();
            }
            Clients.await(Duration.ofSeconds(10), "the pause to end and accepting to stop", () -> !canConnect(port));
            assertThat(System.nanoTime() - drainStart).isGreaterThanOrEqualTo(PAUSE.toNanos());

            for (CompletableFuture<RawClient.Resp> f : slow) {
                RawClient.Resp r = f.get(10, TimeUnit.SECONDS);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.text()).isEqualTo("slow done");
                assertThat(r.says("Connection", "close"))
                        .as(r.statusLine() + " "
                                + r.headers().stream()
                                        .map(h -> h[0] + ": " + h[1])
                                        .toList())
                        .isTrue();
            }
            for (Thread t : clients) t.join(10_000);
            assertThat(drained.get(10, TimeUnit.SECONDS))
                    .as("every connection finished within the timeout")
                    .isTrue();
            assertThat(failures).as("failed requests").isEmpty();
            assertThat(toldToClose.get()).isEqualTo(4);
            assertThat(answered.get()).isGreaterThan(4);
        } finally {
            for (RawClient c : slowClients) c.close();
            s.close();
            for (Thread t : clients) t.join(10_000);
            threads.shutdownNow();
        }
    }

    @Test
    void drainWithoutPauseStopsAcceptingAtOnce() throws Exception {
        HttpServer s = TestServers.start(IoMode.AUTO, TestServers::demoRoutes);
        int port = s.port();
        assertThat(s.drain(Duration.ZERO, Duration.ofSeconds(2))).isTrue();
        assertThat(s.isReady()).isFalse();
        assertThat(canConnect(port)).isFalse();
    }

    private static boolean canConnect(int port) {
        try (RawClient c = new RawClient(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
