package io.netloop.bench;

import io.netloop.core.IoMode;
import io.netloop.http.HttpServer;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak in miniature (scripts/soak.sh runs it for minutes against {@code netloop serve}):
 * a few seconds of the mixed load against an in-process server, after which descriptors,
 * threads and the heap after a full GC are back to their steady state, measured after a
 * warm-up, and every failure counted is an injected one.
 */
@ExtendWith(LeakCheck.class)
class SoakTest {
    @Test
    void afterAMixedLoadDescriptorsThreadsAndHeapAreBackToTheirSteadyState(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("small.txt"), "hello, soak\n");
        byte[] block = new byte[1 << 20];
        new java.util.Random(1).nextBytes(block);
        try (var out = Files.newOutputStream(root.resolve("big.bin"))) {
            for (int i = 0; i < 8; i++) out.write(block);
        }
        HttpServer server = HttpServer.builder().port(0).io(IoMode.AUTO).build();
        server.staticFiles("/", root);
        server.start();
        try {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
            new SoakLoad(address, "/small.txt", "/big.bin").run(Duration.ofSeconds(1), 2); // warm-up
            Clients.await(Duration.ofSeconds(10), "the warm-up's connections to close", () -> server.tcp().openCount() == 0);
            State steady = State.now();

            SoakLoad load = new SoakLoad(address, "/small.txt", "/big.bin");
            load.run(Duration.ofSeconds(5), 2);
            Clients.await(Duration.ofSeconds(10), "the soak's connections to close", () -> server.tcp().openCount() == 0);
            State after = State.now();

            System.out.println("SoakTest: " + load.summary() + "; steady " + steady + "; after " + after);
            assertThat(load.failures()).as("failures that were not injected: %s", load.firstFailures()).isZero();
            for (SoakLoad.Scenario s : SoakLoad.Scenario.values()) assertThat(load.completed(s)).as("%s runs", s).isPositive();
            assertThat(after.fds).as("descriptors").isLessThanOrEqualTo(steady.fds + 2);
            assertThat(after.threads).as("platform threads").isLessThanOrEqualTo(steady.threads + 2);
            assertThat(after.heap).as("heap after GC").isLessThan(steady.heap + (16L << 20));
        } finally {
            server.close();
        }
    }

    /** This process's descriptors, platform threads, and heap used after a full GC. */
    record State(long fds, int threads, long heap) {
        static State now() throws IOException {
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                return new State(fds.count(), ManagementFactory.getThreadMXBean().getThreadCount(), heap);
            }
        }

        @Override
        public String toString() {
            return fds + " fds, " + threads + " threads, heap " + (heap >> 20) + " MiB";
        }
    }
}
