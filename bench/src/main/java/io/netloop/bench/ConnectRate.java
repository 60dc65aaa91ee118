package io.netloop.bench;

import io.netloop.core.loop.EventLoop;
import io.netloop.core.transport.NetOption;
import io.netloop.core.transport.SocketConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Accept rate with short connections, one request each (like webbench without keep-alive):
 * K slots each open a connection to an echo server, send an S-byte request, read the echo,
 * close, and open the next, for W seconds of warm-up and then D measured seconds. Prints one
 * line of JSON:
 *
 * <pre>{@code
 * {"slots":64,"requestBytes":32,"close":"rst","clientIo":"epoll-et","seconds":5.000,"connections":N,
 *  "connectionsPerSec":X,"latencyP50Us":..,"latencyP90Us":..,"latencyP99Us":..,"latencyMaxUs":..,
 *  "errors":{"refused":0,"reset":0,...},"errorsInWindow":0,"errorsTotal":0,
 *  "serverCpuSeconds":..,"serverLoopCpuSeconds":{..},"clientCpuSeconds":..,"machineCpuSeconds":..,
 *  "machineCpus":2,"timeWaitAtEnd":..}
 * }</pre>
 *
 * {@code connections} were completed (echo checked) in the window; latency runs from the
 * {@code socket()} call to the last byte of the echo, so it includes the handshake, the
 * server's accept and any wait in its queue, and, this being a closed loop of K slots on one
 * thread, about K / rate of queueing here. {@code errors} counts each failed connection of the
 * window once, by kind ({@link ConnectTally.Failure}); {@code errorsTotal} also those of the
 * warm-up. {@code timeWaitAtEnd} is the machine's TIME_WAIT sockets ({@code /proc/net/sockstat})
 * at the end of the window: with {@code --close fin} they pile up, one per connection of the
 * last 60 s, and may use up the ephemeral ports.
 *
 * <p>The client is one netloop {@link EventLoop} on epoll (edge-triggered by default) with
 * bare channels, not {@link io.netloop.core.tcp.TcpClient}; {@link ConnectSlot} says why.
 *
 * <p>Threading: the main thread sets up, sleeps through the phases and prints; slots and
 * tally live on the loop thread, reached through {@link LoopTasks#call}.
 */
public final class ConnectRate {
    private final ConnectRateOptions options;
    private final ConnectTally tally = new ConnectTally();
    private final List<ConnectSlot> slots = new ArrayList<>();

    ConnectRate(ConnectRateOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        ConnectRateOptions options;
        try {
            options = ConnectRateOptions.parse(args);
        } catch (BenchArgs.HelpRequested e) {
            System.out.println(ConnectRateOptions.USAGE);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("connect-rate: " + e.getMessage());
            System.err.println(ConnectRateOptions.USAGE);
            System.exit(2);
            return;
        }
        System.exit(new ConnectRate(options).run());
    }

    /** A point in time as the loop saw it. */
    private record Mark(
            long nanos,
            long completed,
            long[] failures,
            long serverCpuNanos,
            long clientCpuNanos,
            MachineCpu.Sample machine,
            Map<String, Long> serverLoopNanos) {}

    int run() throws Exception {
        EventLoop loop = EventLoop.open(options.io());
        try {
            byte[] request = new byte[options.requestBytes()];
            new SplittableRandom(0x6e65746c6f6f70L).nextBytes(request);
            // No TCP_NODELAY: Nagle holds back a small segment only while earlier data is unacknowledged,
            // and the request is the first and only one; the setsockopt would be a system call for nothing.
            SocketConfig socketOptions =
                    options.closeWithReset() ? SocketConfig.EMPTY.with(NetOption.SO_LINGER, 0) : SocketConfig.EMPTY;
            InetSocketAddress remote = new InetSocketAddress(options.host(), options.port());
            for (int i = 0; i < options.slots(); i++) {
                slots.add(new ConnectSlot(
                        loop, remote, socketOptions, request, options.timeout().toNanos(), tally));
            }
            // Loads and warms the /proc readers now, so that the first mark is no slower than the last.
            LoopTasks.call(loop, this::mark);
            LoopTasks.call(loop, () -> {
                // A sweep rather than a timer per connection: K checks every 100 ms cost nothing.
                loop.scheduleAtFixedRate(
                        () -> {
                            long now = System.nanoTime();
                            for (ConnectSlot s : slots) s.checkTimeout(now);
                        },
                        100,
                        100,
                        TimeUnit.MILLISECONDS);
                slots.forEach(ConnectSlot::start);
                return null;
            });
            TimeUnit.NANOSECONDS.sleep(options.warmup().toNanos());
            Mark start = LoopTasks.call(loop, () -> {
                tally.measuring = true;
                return mark();
            });
            TimeUnit.NANOSECONDS.sleep(options.duration().toNanos());
            Mark end = LoopTasks.call(loop, () -> {
                Mark m = mark();
                tally.measuring = false;
                slots.forEach(ConnectSlot::stop);
                return m;
            });
            long[] latencies = LoopTasks.call(loop, () -> tally.percentiles(50, 90, 99, 100));
            long errorsTotal = LoopTasks.call(loop, this::describeErrors);
            System.out.println(json(start, end, latencies, errorsTotal));
            return errorsTotal == 0 ? 0 : 1;
        } finally {
            LoopTasks.stop(loop, "connect-rate");
        }
    }

    private Mark mark() {
        return new Mark(
                System.nanoTime(),
                tally.completed,
                tally.failures.clone(),
                CpuClock.nanos(options.serverPid()),
                CpuClock.selfNanos(),
                MachineCpu.sample(),
                ThreadCpu.loopNanos(options.serverPid()));
    }

    private long describeErrors() {
        for (String d : tally.described) System.err.println("connect-rate: error: " + d);
        long total = tally.failedTotal();
        if (total > tally.described.size()) {
            System.err.println("connect-rate: ... " + (total - tally.described.size()) + " more errors");
        }
        return total;
    }

    private String json(Mark start, Mark end, long[] latencies, long errorsTotal) {
        double seconds = (end.nanos - start.nanos) / 1e9;
        long connections = end.completed - start.completed;
        StringBuilder errors = new StringBuilder("{");
        long inWindow = 0;
        for (ConnectTally.Failure f : ConnectTally.Failure.values()) {
            long n = end.failures[f.ordinal()] - start.failures[f.ordinal()];
            inWindow += n;
            if (errors.length() > 1) errors.append(',');
            errors.append('"').append(f.key).append("\":").append(n);
        }
        errors.append('}');
        return String.format(
                Locale.ROOT,
                "{\"slots\":%d,\"requestBytes\":%d,\"close\":\"%s\",\"clientIo\":\"%s\",\"seconds\":%.3f,"
                        + "\"connections\":%d,\"connectionsPerSec\":%.1f,\"latencyP50Us\":%s,\"latencyP90Us\":%s,"
                        + "\"latencyP99Us\":%s,\"latencyMaxUs\":%s,\"errors\":%s,\"errorsInWindow\":%d,"
                        + "\"errorsTotal\":%d,\"serverCpuSeconds\":%s,\"serverLoopCpuSeconds\":%s,"
                        + "\"clientCpuSeconds\":%s,\"machineCpuSeconds\":%s,\"machineCpus\":%d,\"timeWaitAtEnd\":%s}",
                options.slots(),
                options.requestBytes(),
                options.closeWithReset() ? "rst" : "fin",
                options.io().label(),
                seconds,
                connections,
                connections / seconds,
                micros(latencies[0]),
                micros(latencies[1]),
                micros(latencies[2]),
                micros(latencies[3]),
                errors,
                inWindow,
                errorsTotal,
                cpuSeconds(start.serverCpuNanos, end.serverCpuNanos),
                ThreadCpu.json(start.serverLoopNanos, end.serverLoopNanos),
                cpuSeconds(start.clientCpuNanos, end.clientCpuNanos),
                machine(end.machine.busySecondsSince(start.machine, seconds)),
                end.machine.cpus(),
                timeWait());
    }

    private static String micros(long nanos) {
        return nanos < 0 ? "null" : String.format(Locale.ROOT, "%.1f", nanos / 1e3);
    }

    private static String machine(double seconds) {
        return Double.isNaN(seconds) ? "null" : String.format(Locale.ROOT, "%.2f", seconds);
    }

    private static String cpuSeconds(long before, long after) {
        return before < 0 || after < 0 ? "null" : String.format(Locale.ROOT, "%.2f", (after - before) / 1e9);
    }

    /** The "tw" count of /proc/net/sockstat, as a JSON number or null. */
    private static String timeWait() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/net/sockstat"))) {
                if (!line.startsWith("TCP:")) continue;
                String[] f = line.trim().split("\\s+");
                for (int i = 1; i + 1 < f.length; i++) if (f[i].equals("tw")) return f[i + 1];
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc not mounted: say unknown
        }
        return "null";
    }
}
