package io.netloop.bench;

import io.netloop.core.loop.EventLoop;
import io.netloop.core.tcp.TcpClient;
import io.netloop.core.tcp.TcpConnection;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Echo throughput by muduo's ping-pong method: C connections each keep one S-byte message
 * in flight to an echo server, for W seconds of warm-up and then D measured seconds.
 * Prints one line of JSON:
 *
 * <pre>{@code
 * {"connections":100,"messageBytes":16384,"seconds":5.000,"bytes":N,"mibPerSec":X,"messagesPerSec":Y,
 *  "serverCpuSeconds":..,"clientCpuSeconds":..,"serverLoopCpuSeconds":{"netloop-g1-0":..,..},
 *  "machineCpuSeconds":..,"machineCpus":2,
 *  "minConnMessages":..,"maxConnMessages":..,"errors":0}
 * }</pre>
 *
 * {@code seconds} is the window as measured on the loop thread (D plus a few microseconds);
 * {@code bytes} counts echoed bytes received in it, {@code messagesPerSec} completed round
 * trips. The CPU times cover exactly that window: the server's ({@code --server-pid}), this
 * process's, each of the server's loop threads' ({@link ThreadCpu}: how evenly several loops
 * shared the work), and the whole machine's ({@link MachineCpu}; the rest of it is someone
 * else's load, or kernel work charged to no process). {@code min/maxConnMessages} are the round
 * trips of the slowest and fastest connection in it: a connection at 0 is starved.
 *
 * <p>The client runs on netloop's own {@link TcpClient} and a single {@link EventLoop} (epoll
 * by default), since the harness pins it to one core (or, against a server of several loops,
 * lets it share every core with the server); a second loop would only compete for them.
 *
 * <p>Threading: the main thread connects, sleeps through the phases and prints; all
 * connection state lives on the loop thread, reached through tasks ({@link LoopTasks#call}).
 */
public final class EchoPingPong {
    private final PingPongOptions options;
    private final PingPongTally tally = new PingPongTally();
    private final List<PingPongSession> sessions = new ArrayList<>();
    private final byte[] message;

    EchoPingPong(PingPongOptions options) {
        this.options = options;
        // Random rather than constant bytes, so that a shifted or repeated chunk does not match by luck.
        this.message = new byte[options.messageBytes()];
        new SplittableRandom(0x6e65746c6f6f70L).nextBytes(message);
    }

    public static void main(String[] args) throws Exception {
        PingPongOptions options;
        try {
            options = PingPongOptions.parse(args);
        } catch (BenchArgs.HelpRequested e) {
            System.out.println(PingPongOptions.USAGE);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("echo-pingpong: " + e.getMessage());
            System.err.println(PingPongOptions.USAGE);
            System.exit(2);
            return;
        }
        System.exit(new EchoPingPong(options).run());
    }

    /** A point in time as the loop saw it. */
    private record Mark(
            long nanos,
            long bytes,
            long messages,
            long serverCpuNanos,
            long clientCpuNanos,
            MachineCpu.Sample machine,
            Map<String, Long> serverLoopNanos) {}

    int run() throws Exception {
        EventLoop loop = EventLoop.open(options.io());
        try {
            if (!connectAll(loop)) return 1;
            // Loads and warms the /proc readers now, so that the first mark is no slower than the last.
            LoopTasks.call(loop, this::mark);
            LoopTasks.call(loop, () -> {
                sessions.forEach(PingPongSession::start);
                return null;
            });
            TimeUnit.NANOSECONDS.sleep(options.warmup().toNanos());
            Mark start = LoopTasks.call(loop, () -> {
                sessions.forEach(PingPongSession::mark);
                return mark();
            });
            TimeUnit.NANOSECONDS.sleep(options.duration().toNanos());
            Mark end = LoopTasks.call(loop, this::mark);
            long[] spread = LoopTasks.call(loop, this::stopAll);
            long errors = LoopTasks.call(loop, this::checkAndDescribe);
            System.out.println(json(start, end, spread, errors));
            return errors == 0 ? 0 : 1;
        } finally {
            LoopTasks.stop(loop, "echo-pingpong");
        }
    }

    private boolean connectAll(EventLoop loop) throws InterruptedException {
        InetSocketAddress remote = new InetSocketAddress(options.host(), options.port());
        List<CompletableFuture<TcpConnection>> pending = new ArrayList<>(options.connections());
        for (int i = 0; i < options.connections(); i++) {
            PingPongSession s = new PingPongSession(message, tally);
            sessions.add(s);
            pending.add(TcpClient.connect(loop, remote, options.connectTimeout(), s));
        }
        int failed = 0;
        Throwable first = null;
        for (CompletableFuture<TcpConnection> f : pending) {
            try {
                f.get(options.connectTimeout().toSeconds() + 5, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                failed++;
                if (first == null) first = e instanceof ExecutionException ? e.getCause() : e;
            }
        }
        if (failed > 0) {
            System.err.println("echo-pingpong: " + failed + " of " + options.connections() + " connections to " + remote
                    + " failed, the first with: " + first);
            return false;
        }
        return true;
    }

    private Mark mark() {
        return new Mark(
                System.nanoTime(),
                tally.bytes,
                tally.messages,
                CpuClock.nanos(options.serverPid()),
                CpuClock.selfNanos(),
                MachineCpu.sample(),
                ThreadCpu.loopNanos(options.serverPid()));
    }

    /** Closes every connection; returns the fewest and most round trips one made in the window. */
    private long[] stopAll() {
        long min = Long.MAX_VALUE, max = 0;
        for (PingPongSession s : sessions) {
            min = Math.min(min, s.messagesSinceMark());
            max = Math.max(max, s.messagesSinceMark());
            s.stop();
        }
        return new long[] {min, max};
    }

    /** Adds the window-level errors to the per-connection ones and prints the first few. */
    private long checkAndDescribe() {
        if (tally.messages == 0) tally.error("no round trip completed at all: the server never echoed?");
        for (String d : tally.described) System.err.println("echo-pingpong: error: " + d);
        if (tally.errors > tally.described.size()) {
            System.err.println("echo-pingpong: ... " + (tally.errors - tally.described.size()) + " more errors");
        }
        return tally.errors;
    }

    private String json(Mark start, Mark end, long[] spread, long errors) {
        double seconds = (end.nanos - start.nanos) / 1e9;
        long bytes = end.bytes - start.bytes;
        long messages = end.messages - start.messages;
        if (spread[0] == 0) {
            System.err.println("echo-pingpong: warning: at least one connection completed no round trip"
                    + " in the measured window (starved or stalled)");
        }
        return String.format(
                Locale.ROOT,
                "{\"connections\":%d,\"messageBytes\":%d,\"seconds\":%.3f,\"bytes\":%d,\"mibPerSec\":%.1f,"
                        + "\"messagesPerSec\":%.1f,\"serverCpuSeconds\":%s,\"clientCpuSeconds\":%s,"
                        + "\"serverLoopCpuSeconds\":%s,\"machineCpuSeconds\":%s,\"machineCpus\":%d,"
                        + "\"minConnMessages\":%d,\"maxConnMessages\":%d,\"errors\":%d}",
                options.connections(),
                options.messageBytes(),
                seconds,
                bytes,
                bytes / 1048576.0 / seconds,
                messages / seconds,
                cpuSeconds(start.serverCpuNanos, end.serverCpuNanos),
                cpuSeconds(start.clientCpuNanos, end.clientCpuNanos),
                ThreadCpu.json(start.serverLoopNanos, end.serverLoopNanos),
                machine(end.machine.busySecondsSince(start.machine, seconds)),
                end.machine.cpus(),
                spread[0],
                spread[1],
                errors);
    }

    private static String machine(double seconds) {
        return Double.isNaN(seconds) ? "null" : String.format(Locale.ROOT, "%.2f", seconds);
    }

    private static String cpuSeconds(long before, long after) {
        return before < 0 || after < 0 ? "null" : String.format(Locale.ROOT, "%.2f", (after - before) / 1e9);
    }
}
