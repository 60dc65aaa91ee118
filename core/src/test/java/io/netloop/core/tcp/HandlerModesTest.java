package io.netloop.core.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.buffer.Buffer;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Handler code off the loop: blocking is allowed, and a connection is never handled twice at once. */
@ExtendWith(LeakCheck.class)
class HandlerModesTest {

    /** Sleeps 50 ms per message (blocking work), then answers; detects overlapping calls. */
    static final class SlowHandler implements ConnectionHandler {
        static final AtomicInteger overlaps = new AtomicInteger();
        static final AtomicInteger onLoopCalls = new AtomicInteger();
        static final Set<String> threads = ConcurrentHashMap.newKeySet();
        private final AtomicInteger inside = new AtomicInteger();

        private void enter(TcpConnection c) {
            if (inside.incrementAndGet() != 1) overlaps.incrementAndGet();
            if (c.loop().inLoop()) onLoopCalls.incrementAndGet();
            threads.add(
                    Thread.currentThread().isVirtual()
                            ? "virtual"
                            : Thread.currentThread().getName());
        }

        private void exit() {
            inside.decrementAndGet();
        }

        @Override
        public void onOpen(TcpConnection c) {
            enter(c);
            exit();
        }

        @Override
        public void onData(TcpConnection c, Buffer in) {
            enter(c);
            try {
                Thread.sleep(50);
                c.send(in);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exit();
            }
        }

        @Override
        public void onInputClosed(TcpConnection c) {
            enter(c);
            c.shutdownOutput();
            exit();
        }

        @Override
        public void onClose(TcpConnection c, Throwable cause) {
            enter(c);
            exit();
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(HandlerMode.class)
    void anErrorThrownByAHandlerClosesThatConnectionAndTheServerGoesOn(HandlerMode mode) throws Exception {
        AtomicInteger closes = new AtomicInteger();
        try (TcpServer server = TcpServer.builder()
                .handlers(mode)
                .handler(() -> new ConnectionHandler() {
                    @Override
                    public void onData(TcpConnection c, Buffer in) {
                        if (in.peek(0) == '!') throw new AssertionError("a handler bug (expected in this test)");
                        c.send(in);
                    }

                    @Override
                    public void onClose(TcpConnection c, Throwable cause) {
                        closes.incrementAndGet();
                    }
                })
                .start()) {
            try (Socket bad = Clients.connect(server.port())) {
                bad.getOutputStream().write('!');
                assertThat(bad.getInputStream().read())
                        .as("closed by the server")
                        .isEqualTo(-1);
            }
            try (Socket good = Clients.connect(server.port())) {
                good.getOutputStream().write('x');
                assertThat(good.getInputStream().read()).isEqualTo('x');
            }
            Clients.await(java.time.Duration.ofSeconds(5), "both closes seen", () -> closes.get() == 2);
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(
            value = HandlerMode.class,
            names = {"WORKERS", "VIRTUAL"})
    void aHangupWhileAWorkerOwnsTheConnectionDoesNotSpinTheLoop(HandlerMode mode) throws Exception {
        java.util.concurrent.CountDownLatch working = new java.util.concurrent.CountDownLatch(1);
        try (TcpServer server = TcpServer.builder()
                .handlers(mode)
                .handler(() -> (c, in) -> {
                    in.clear();
                    c.shutdownOutput(); // our side is done: with the peer's FIN, both directions close (EPOLLHUP)
                    working.countDown();
                    try {
                        Thread.sleep(1_500); // the worker keeps the connection while the hang-up is reported
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                })
                .start()) {
            java.util.concurrent.CompletableFuture<Long> tid = new java.util.concurrent.CompletableFuture<>();
            server.loop().execute(() -> tid.complete(Thread.currentThread().threadId()));
            var mx = java.lang.management.ManagementFactory.getThreadMXBean();
            try (Socket s = Clients.connect(server.port())) {
                s.getOutputStream().write('x');
                assertThat(working.await(5, TimeUnit.SECONDS)).isTrue();
                assertThat(s.getInputStream().read()).as("the server's FIN").isEqualTo(-1);
                s.shutdownOutput(); // our FIN: now neither direction works
                Thread.sleep(100);
                long before = mx.getThreadCpuTime(tid.get(5, TimeUnit.SECONDS));
                Thread.sleep(700);
                long used = mx.getThreadCpuTime(tid.get()) - before;
                // Re-arming on EPOLLHUP while the worker holds the input would burn the whole 700 ms.
                assertThat(used)
                        .as("loop CPU ns during 700 ms of a reported hang-up")
                        .isLessThan(150_000_000L);
            }
            Clients.await(
                    java.time.Duration.ofSeconds(10),
                    "the connection closed after the worker",
                    () -> server.openCount() == 0);
        }
    }

    @ParameterizedTest(name = "{0} on {1} loop(s), {2} workers, queue {3}")
    @CsvSource({"WORKERS, 1, 8, 1024", "WORKERS, 4, 8, 1024", "WORKERS, 2, 2, 4", "VIRTUAL, 1, 1, 1", "VIRTUAL, 4, 1, 1"
    })
    void twoHundredClientsWithABlockingHandlerAllCompleteAndNoConnectionIsHandledTwiceAtOnce(
            HandlerMode mode, int loops, int workers, int queue) throws Exception {
        SlowHandler.overlaps.set(0);
        SlowHandler.onLoopCalls.set(0);
        SlowHandler.threads.clear();
        int clients = 200;
        try (TcpServer server = TcpServer.builder()
                        .threads(loops)
                        .handlers(mode)
                        .workers(workers, queue)
                        .handler(SlowHandler::new)
                        .start();
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> replies = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String msg = "message " + i;
                replies.add(pool.submit(() -> {
                    try (Socket s = Clients.connect(server.port())) {
                        s.setSoTimeout(60_000);
                        // Three pieces, so one connection sees several handler calls.
                        for (String part : new String[] {msg.substring(0, 3), msg.substring(3, 6), msg.substring(6)}) {
                            s.getOutputStream().write(part.getBytes(StandardCharsets.US_ASCII));
                            Thread.sleep(5);
                        }
                        s.shutdownOutput();
                        InputStream in = s.getInputStream();
                        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                    }
                }));
            }
            for (int i = 0; i < clients; i++) {
                assertThat(replies.get(i).get(60, TimeUnit.SECONDS)).isEqualTo("message " + i);
            }
            Clients.await(java.time.Duration.ofSeconds(60), "every connection closed", () -> server.openCount() == 0);
        }
        assertThat(SlowHandler.overlaps.get())
                .as("handler calls overlapping on one connection")
                .isZero();
        assertThat(SlowHandler.onLoopCalls.get())
                .as("handler calls on a loop thread")
                .isZero();
        if (mode == HandlerMode.WORKERS) {
            assertThat(SlowHandler.threads)
                    .allMatch(n -> n.startsWith("netloop-worker-"))
                    .hasSizeLessThanOrEqualTo(workers);
        } else {
            assertThat(SlowHandler.threads).containsExactly("virtual");
        }
    }
}
