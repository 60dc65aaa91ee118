package io.netloop.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.chat.ChatServer;
import io.netloop.core.loop.IoMode;
import io.netloop.http.HttpServer;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak in miniature (scripts/soak.sh runs it for minutes against {@code netloop serve} and
 * {@code netloop chat}): a few seconds of the mixed load against an in-process server, and of
 * the chat load (short sessions, so that some end aborted) against an in-process chat room at
 * the same time, after which descriptors,
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
        ChatServer chat = ChatServer.builder()
                .host("127.0.0.1")
                .port(0)
                .httpPort(0)
                .threads(1)
                .start();
        try {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
            new SoakLoad(address, "/small.txt", "/big.bin").run(Duration.ofSeconds(1), 2); // warm-up
            new SoakChat(chat.tcpAddress(), chat.httpAddress(), 4).run(Duration.ofSeconds(1), 2, 1);
            Clients.await(
                    Duration.ofSeconds(10), "the warm-up's connections to close", () -> openCount(server, chat) == 0);
            State steady = State.now();

            SoakLoad load = new SoakLoad(address, "/small.txt", "/big.bin");
            SoakChat chatLoad = new SoakChat(chat.tcpAddress(), chat.httpAddress(), 4);
            Thread chatting = Thread.ofVirtual().start(() -> {
                try {
                    chatLoad.run(Duration.ofSeconds(5), 2, 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            load.run(Duration.ofSeconds(5), 2);
            chatting.join();
            Clients.await(
                    Duration.ofSeconds(10), "the soak's connections to close", () -> openCount(server, chat) == 0);
            State after = State.now();

            System.out.println("SoakTest: " + load.summary() + "; " + chatLoad.summary() + "; steady " + steady
                    + "; after " + after);
            assertThat(load.failures())
                    .as("failures that were not injected: %s", load.firstFailures())
                    .isZero();
            for (SoakLoad.Scenario s : SoakLoad.Scenario.values())
                assertThat(load.completed(s)).as("%s runs", s).isPositive();
            assertThat(chatLoad.failures())
                    .as("chat failures that were not injected: %s", chatLoad.firstFailures())
                    .isZero();
            assertThat(chatLoad.echoed()).as("chat messages back").isPositive().isEqualTo(chatLoad.sent());
            assertThat(chatLoad.aborts()).as("aborted WebSocket sessions").isPositive();
            assertThat(after.fds).as("descriptors").isLessThanOrEqualTo(steady.fds + 2);
            assertThat(after.threads).as("platform threads").isLessThanOrEqualTo(steady.threads + 2);
            assertThat(after.heap).as("heap after GC").isLessThan(steady.heap + (16L << 20));
        } finally {
            chat.close();
            server.close();
        }
    }

    private static long openCount(HttpServer server, ChatServer chat) {
        return server.tcp().openCount()
                + chat.tcp().openCount()
                + chat.http().tcp().openCount();
    }

    /** This process's descriptors, platform threads, and heap used after a full GC. */
    record State(long fds, int threads, long heap) {
        static State now() throws IOException {
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
                return new State(
                        fds.count(), ManagementFactory.getThreadMXBean().getThreadCount(), heap);
            }
        }

        @Override
        public String toString() {
            return fds + " fds, " + threads + " threads, heap " + (heap >> 20) + " MiB";
        }
    }
}
