package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.IoMode;
import io.netloop.core.tcp.ConnectionConfig;
import io.netloop.http.codec.HttpLimits;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A thousand slow clients at once (slowloris, slow body, slow read: {@link SlowAttackers})
 * against one single-loop server, while an ordinary client keeps asking: the ordinary client
 * is served throughout with a p99 under a second, every attacker is cut off by a timeout and
 * comes back, and the server's buffered bytes stay under a bound computed from its limits,
 * with the heap after a full GC not growing with the attack's length.
 */
@ExtendWith(LeakCheck.class)
class SlowClientsTest {
    private static final int PER_KIND = 333;
    /** A slow reader asks for this much, streamed under flow control (far more than the kernel's buffers take). */
    private static final long BIG = 64L << 20;

    private static final int PIECE = 16 * 1024;
    private static final int HIGH_WATER = 64 * 1024;
    private static final long ATTACK_MILLIS = 12_000;
    private static final long PAUSE_MILLIS = 1_000;
    private static final long BASELINE_MILLIS = 2_000;

    @Test
    void aThousandSlowClientsNeitherStarveAnOrdinaryClientNorGrowTheServer() throws Exception {
        HttpServer server = TestServers.start(
                IoMode.AUTO,
                s -> {
                    s.get("/hello", (req, res) -> res.send("hello"));
                    s.get("/big", (req, res) -> TestServers.streamPattern(res, BIG, PIECE));
                    s.post("/upload", (req, res) -> res.send("got " + req.body().length));
                },
                b -> b.headerTimeout(Duration.ofSeconds(2))
                        .writeTimeout(Duration.ofSeconds(1), 4096)
                        .minBodyRate(1024)
                        .connectionConfig(ConnectionConfig.DEFAULT.withHighWaterMark(HIGH_WATER, HIGH_WATER / 4)));
        // Output: a slow reader's stream stops at the high-water mark (plus the piece that
        // crossed it and a head); input: the head limit and one read's worth. Anything above
        // this sum would be memory an attacker pins.
        long bound = PER_KIND * (HIGH_WATER + PIECE + 1024L)
                + 3L * PER_KIND * (HttpLimits.DEFAULT.maxHeaderSectionSize() + 64 * 1024);

        OrdinaryClient.Latencies baseline =
                OrdinaryClient.measure(server, BASELINE_MILLIS); // the machine's own noise, before the attack
        SlowAttackers attackers = new SlowAttackers(server.port(), "/big", PAUSE_MILLIS);
        AtomicLong maxBuffered = new AtomicLong();
        AtomicLong maxOpen = new AtomicLong();
        long[] heap = new long[3];
        OrdinaryClient.Latencies attacked;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (SlowAttackers.Kind kind : SlowAttackers.Kind.values()) {
                for (int i = 0; i < PER_KIND; i++) pool.execute(() -> attackers.run(kind));
            }
            // The measurement starts once the attack is in full swing, not during its first burst of connects.
            Clients.await(
                    Duration.ofSeconds(15),
                    "the attackers to connect",
                    () -> server.tcp().openCount() >= 3 * PER_KIND * 9 / 10);
            Thread sampler = Thread.ofPlatform().name("sampler").start(() -> {
                long start = System.nanoTime();
                try {
                    for (int taken = 0; taken < heap.length; ) {
                        Thread.sleep(500);
                        sample(server, maxBuffered, maxOpen);
                        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                        if (elapsed > (taken + 1) * (ATTACK_MILLIS - 1_000) / heap.length)
                            heap[taken++] = OrdinaryClient.heapAfterGc();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            attacked = OrdinaryClient.measure(server, ATTACK_MILLIS);
            sampler.join();
            attackers.stop.set(true);
        } finally {
            server.close();
        }

        System.out.printf(
                "SlowClientsTest: %d attackers (slowloris, slow body, slow read) for %d s: %d attacker connections, %d"
                        + " ended by the server; ordinary client before the attack: %s; during: %s; open connections at"
                        + " most %d; buffered bytes at most %d (bound %d); heap after GC %d, %d, %d MiB (at 1/3, 2/3,"
                        + " 3/3); load average %s%n",
                3 * PER_KIND,
                ATTACK_MILLIS / 1000,
                attackers.connects.get(),
                attackers.endedByServer.get(),
                baseline,
                attacked,
                maxOpen.get(),
                maxBuffered.get(),
                bound,
                heap[0] >> 20,
                heap[1] >> 20,
                heap[2] >> 20,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

        assertThat(attacked.failures()).as("ordinary requests that failed").isZero();
        // Under a second, or, on a machine so loaded that even the unattacked p99 is near that,
        // within a few times the unattacked p99: the attack must not be what slows the client.
        assertThat(attacked.p99Micros())
                .as("ordinary client's p99 in microseconds (unattacked: %d)", baseline.p99Micros())
                .isLessThan(Math.max(1_000_000, 4 * baseline.p99Micros()));
        assertThat(maxOpen.get())
                .as("the attack was on: connections open at once")
                .isGreaterThan(3 * PER_KIND / 2);
        assertThat(attackers.endedByServer.get())
                .as("attacker connections cut off by the server's timeouts")
                .isGreaterThan(3L * PER_KIND);
        assertThat(maxBuffered.get()).as("bytes buffered across connections").isLessThan(bound);
        // A heap that grew with the attack's length would keep rising between the last two samples;
        // half the buffer bound allows for connections coming and going.
        assertThat(heap[2])
                .as("heap after GC at the end vs two thirds of the way in")
                .isLessThan(heap[1] + bound / 2);
    }

    /** Sums, on the loop, what every connection holds in its buffers. */
    private static void sample(HttpServer server, AtomicLong maxBuffered, AtomicLong maxOpen) throws Exception {
        AtomicLong sum = new AtomicLong();
        server.tcp()
                .forEachConnection(c -> sum.addAndGet(c.queuedOutputBytes() + c.bufferedInputBytes()))
                .get(10, TimeUnit.SECONDS);
        maxBuffered.accumulateAndGet(sum.get(), Math::max);
        maxOpen.accumulateAndGet(server.tcp().openCount(), Math::max);
    }
}
