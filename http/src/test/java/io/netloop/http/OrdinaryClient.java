package io.netloop.http;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The ordinary client of the attack tests, and how they read the heap: a forced GC is the
 * measurement's own pause, so requests it overlaps are left out of the latencies.
 *
 * <p>Threading: {@link #measure} on the calling thread; {@link #heapAfterGc} from any.
 */
final class OrdinaryClient {
    private OrdinaryClient() {}

    /**
     * A full GC stops every thread, the server's loop too: the ordinary client's requests that
     * overlap one are the measurement's own doing and are left out ({@link Latencies}).
     */
    private static final java.util.concurrent.atomic.AtomicInteger GC_EPOCH =
            new java.util.concurrent.atomic.AtomicInteger();

    static long heapAfterGc() {
        GC_EPOCH.incrementAndGet(); // odd: a forced GC is under way
        try {
            System.gc();
            return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        } finally {
            GC_EPOCH.incrementAndGet();
        }
    }

    /** Requests made, failed, and the latencies of those no forced GC overlapped. */
    record Latencies(long requests, long connections, long failures, long p50Micros, long p99Micros, long maxMicros) {
        @Override
        public String toString() {
            return requests + " requests on " + connections + " connections, " + failures + " failed, p50 " + p50Micros
                    + " us, p99 " + p99Micros + " us, max " + maxMicros + " us";
        }
    }

    /**
     * An ordinary client's requests: GET /hello every 10 ms on a keep-alive connection, every
     * tenth on a new one. Failures count all; latencies leave out the requests a forced GC overlapped.
     */
    static Latencies measure(HttpServer server, long millis) throws IOException, InterruptedException {
        List<Long> nanos = new ArrayList<>();
        long failures = 0;
        long connections = 0;
        long start = System.nanoTime();
        RawClient client = null;
        try {
            for (int i = 0; System.nanoTime() - start < TimeUnit.MILLISECONDS.toNanos(millis); i++) {
                int epoch = GC_EPOCH.get();
                long t0 = System.nanoTime();
                try {
                    if (client == null || i % 10 == 0) {
                        if (client != null) client.close();
                        client = RawClient.connect(server);
                        connections++;
                    }
                    if (client.get("/hello").status() != 200) failures++;
                } catch (IOException e) {
                    failures++;
                    client = null;
                }
                long took = System.nanoTime() - t0;
                if (epoch % 2 == 0 && GC_EPOCH.get() == epoch) nanos.add(took); // else a forced GC overlapped it
                Thread.sleep(10);
            }
        } finally {
            if (client != null) client.close();
        }
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        return new Latencies(
                sorted.length,
                connections,
                failures,
                sorted[sorted.length / 2] / 1000,
                sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1000,
                sorted[sorted.length - 1] / 1000);
    }
}
