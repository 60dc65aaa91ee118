package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.IoMode;
import io.netloop.http.codec.HttpLimits;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Running the server out of what it has: connections (503 over the limit), descriptors and
 * memory under a flood of short connections, an upload without end (413, then cut off), and
 * header bombs (431 at once, with bounded memory).
 */
@ExtendWith(LeakCheck.class)
class ExhaustionTest {
    private static final int LIMIT = 5;
    private static final long BODY_LIMIT = 64 * 1024;
    private static HttpServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(
                IoMode.AUTO, TestServers::demoRoutes, b -> b.limits(HttpLimits.DEFAULT.withMaxBodySize(BODY_LIMIT)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void awaitNoConnections() throws InterruptedException {
        Clients.await(
                Duration.ofSeconds(10),
                "every connection to close",
                () -> server.tcp().openCount() == 0);
    }

    @Test
    void overTheConnectionLimitAClientGets503WithRetryAfterAndTheConnectionCloses() throws Exception {
        List<RawClient> held = new ArrayList<>();
        try (HttpServer server =
                TestServers.start(IoMode.AUTO, TestServers::demoRoutes, b -> b.maxConnections(LIMIT))) {
            for (int i = 0; i < LIMIT; i++) {
                RawClient c = RawClient.connect(server);
                held.add(c);
                assertThat(c.get("/hello").status()).isEqualTo(200);
            }
            try (RawClient over = RawClient.connect(server)) {
                RawClient.Resp r = over.get("/hello");
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.header("Retry-After")).isEqualTo("1");
                assertThat(r.header("Connection")).isEqualTo("close");
                assertThat(r.text()).contains("try again");
                assertThat(over.closedByServer()).isTrue();
            }
            assertThat(server.tcp().rejectedCount()).isEqualTo(1);
            for (RawClient c : held)
                assertThat(c.get("/hello").status())
                        .as("those within the limit are still served")
                        .isEqualTo(200);

            held.removeFirst().close();
            Clients.await(
                    Duration.ofSeconds(5),
                    "a place to free up",
                    () -> server.tcp().openCount() < LIMIT);
            try (RawClient again = RawClient.connect(server)) {
                assertThat(again.get("/hello").status()).isEqualTo(200);
            }
        } finally {
            for (RawClient c : held) c.close();
        }
    }

    @Test
    void aFloodOfShortConnectionsLeavesNoDescriptorsAndNoGrowth() throws Exception {
        HttpServer flooded = TestServers.start(IoMode.AUTO, TestServers::demoRoutes); // the default limit
        int total = 20_000;
        int clients = 8;
        int fdsBefore = LeakCheck.ioDescriptors().size();
        long heapBefore = heapAfterGc();
        long start = System.nanoTime();
        AtomicLong ok = new AtomicLong();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> all = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                all.add(pool.submit(() -> {
                    for (int i = 0; i < total / clients; i++) {
                        try (RawClient c = RawClient.connect(flooded)) {
                            c.send("GET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
                            if (c.read().status() == 200 && c.closedByServer()) ok.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Clients.await(
                Duration.ofSeconds(10),
                "every connection to close",
                () -> flooded.tcp().openCount() == 0);
        int fdsServing = LeakCheck.ioDescriptors().size();
        flooded.close();
        long heapAfter = heapAfterGc();
        System.out.printf(
                "ExhaustionTest: %d short connections (connect, GET, close) in %.1f s (%.0f/s); io descriptors %d"
                        + " before, %d after with the server still up (its listener, loop and wake-up), %d after it"
                        + " closed; heap after GC %d MiB before, %d MiB after%n",
                total,
                seconds,
                total / seconds,
                fdsBefore,
                fdsServing,
                LeakCheck.ioDescriptors().size(),
                heapBefore >> 20,
                heapAfter >> 20);
        assertThat(ok.get()).isEqualTo(total);
        assertThat(fdsServing - fdsBefore)
                .as("descriptors held by the idle server after the flood")
                .isLessThanOrEqualTo(4);
        assertThat(heapAfter).as("heap after GC").isLessThan(heapBefore + (32L << 20));
    }

    @Test
    void anEndlessUploadGets413AtTheLimitAndIsCutOffSoonAfter() throws Exception {
        awaitNoConnections();
        try (RawClient c = RawClient.connect(server)) {
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n");
            AtomicLong sent = new AtomicLong();
            Thread uploader = Thread.ofVirtual().start(() -> {
                byte[] chunk = ("4000\r\n" + "x".repeat(0x4000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                try {
                    OutputStream out = c.socket.getOutputStream();
                    while (true) { // without end, until the server cuts it off
                        out.write(chunk);
                        sent.addAndGet(chunk.length);
                    }
                } catch (IOException cutOff) {
                    // what the test waits for
                }
            });
            RawClient.Resp r = c.read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.header("Connection")).isEqualTo("close");
            uploader.join(Duration.ofSeconds(15));
            assertThat(uploader.isAlive()).as("the server cut the upload off").isFalse();
            System.out.printf(
                    "ExhaustionTest: an endless upload was cut off after %d bytes (body limit %d)%n",
                    sent.get(), BODY_LIMIT);
            // The limit, what the server reads and throws away after answering, and the two kernels' buffers.
            assertThat(sent.get()).isLessThan(BODY_LIMIT + Lingering.MAX_DISCARD + (48L << 20));
        }
    }

    @Test
    void aHugeDeclaredBodyGets413WithoutBeingRead() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            RawClient.Resp r = c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10000000000\r\n\r\n")
                    .read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void headerBombsGet431AtOnceWithBoundedMemory() throws Exception {
        awaitNoConnections();
        String bomb = "GET /hello HTTP/1.1\r\nHost: t\r\n" + "a: b\r\n".repeat(10_000) + "\r\n";
        long heapBefore = heapAfterGc();
        long start = System.nanoTime();
        int bombs = 200;
        int clients = 4;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<List<Integer>>> statuses = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                statuses.add(pool.submit(() -> {
                    List<Integer> got = new ArrayList<>();
                    for (int i = 0; i < bombs / clients; i++) {
                        try (Socket s = Clients.connect(server.port())) {
                            try {
                                s.getOutputStream().write(bomb.getBytes(StandardCharsets.US_ASCII));
                            } catch (IOException cutOff) {
                                // the server may answer and close before the bomb is all written
                            }
                            String head = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                            got.add(Integer.parseInt(head.substring(9, 12)));
                        }
                    }
                    return got;
                }));
            }
            for (Future<List<Integer>> f : statuses)
                assertThat(f.get()).hasSize(bombs / clients).containsOnly(431);
        }
        double millis = (System.nanoTime() - start) / 1e6;
        long heapAfter = heapAfterGc();
        System.out.printf(
                "ExhaustionTest: %d header bombs of 10,000 fields (%d bytes each) answered 431 in %.0f ms in all; heap"
                        + " after GC %d MiB before, %d after%n",
                bombs, bomb.length(), millis, heapBefore >> 20, heapAfter >> 20);
        assertThat(heapAfter).isLessThan(heapBefore + (32L << 20));
    }

    private static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
