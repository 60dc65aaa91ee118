package io.netloop.bench;

import io.netloop.core.loop.IoMode;
import java.time.Duration;

/**
 * What {@link ConnectRate} runs: where to, how many slots, how big a request, for how long,
 * how to close, and whose CPU time to sample.
 *
 * @param slots connections in progress at any time; each slot opens the next one as soon
 *     as its last one is done
 * @param closeWithReset SO_LINGER 0: close sends RST and leaves no TIME_WAIT socket behind
 * @param timeout a connection not echoed this long after its connect began is given up
 * @param serverPid process whose CPU time is read at the edges of the measured window, or
 *     -1 for none (the JSON then says {@code null})
 *
 * <p>Threading: immutable.
 */
record ConnectRateOptions(
        String host,
        int port,
        int slots,
        int requestBytes,
        Duration warmup,
        Duration duration,
        long serverPid,
        IoMode io,
        boolean closeWithReset,
        Duration timeout) {

    static final String USAGE = """
        usage: java -cp bench/target/netloop-bench.jar io.netloop.bench.ConnectRate --port P [options]
          --host ADDR         echo server address (default 127.0.0.1)
          --port P            echo server port (required)
          --slots K           connections in progress at once (default 64)
          --size S            request bytes, echoed back (default 32)
          --warmup W          seconds of load before measuring (default 3)
          --duration D        seconds measured (default 5)
          --close rst|fin     rst (default): SO_LINGER 0, no TIME_WAIT; fin: an orderly close,
                              which leaves the client's port in TIME_WAIT for 60 s
          --timeout T         seconds before a connection without its echo counts as timed out (default 5)
          --server-pid PID    report that process's CPU time over the measured window
          --io MODE           the client's own loop: epoll-et (default) or epoll
        Prints one line of JSON on stdout; exit status 1 when an error was seen.\
        """;

    ConnectRateOptions {
        if (port <= 0 || port > 65535) throw new IllegalArgumentException("--port must be in 1..65535: " + port);
        if (slots <= 0) throw new IllegalArgumentException("--slots must be positive: " + slots);
        if (requestBytes <= 0 || requestBytes > 65536) {
            throw new IllegalArgumentException("--size must be in 1..65536: " + requestBytes);
        }
        if (warmup.isNegative()) throw new IllegalArgumentException("--warmup must not be negative: " + warmup);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("--duration must be positive: " + duration);
        }
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("--timeout must be positive");
        // ConnectSlot takes the kernel's writability report as proof of a connection, which holds
        // for epoll only: a NIO channel needs finishConnect() first.
        if (io != IoMode.EPOLL && io != IoMode.EPOLL_ET) {
            throw new IllegalArgumentException("--io must be epoll or epoll-et: " + io);
        }
    }

    static ConnectRateOptions parse(String[] args) {
        var o = new Object() {
            String host = "127.0.0.1";
            int port, slots = 64, size = 32;
            double warmup = 3, duration = 5, timeout = 5;
            long serverPid = -1;
            IoMode io = IoMode.EPOLL_ET;
            boolean reset = true;
        };
        BenchArgs.parse(args, (name, value) -> {
            switch (name) {
                case "--host" -> o.host = value;
                case "--port" -> o.port = Integer.parseInt(value);
                case "--slots" -> o.slots = Integer.parseInt(value);
                case "--size" -> o.size = Integer.parseInt(value);
                case "--warmup" -> o.warmup = Double.parseDouble(value);
                case "--duration" -> o.duration = Double.parseDouble(value);
                case "--timeout" -> o.timeout = Double.parseDouble(value);
                case "--server-pid" -> o.serverPid = Long.parseLong(value);
                case "--io" -> o.io = IoMode.parse(value);
                case "--close" ->
                    o.reset = switch (value) {
                        case "rst" -> true;
                        case "fin" -> false;
                        default -> throw new IllegalArgumentException("--close wants rst or fin, not '" + value + "'");
                    };
                default -> throw BenchArgs.unknown(name);
            }
        });
        return new ConnectRateOptions(
                o.host,
                o.port,
                o.slots,
                o.size,
                BenchArgs.seconds(o.warmup),
                BenchArgs.seconds(o.duration),
                o.serverPid,
                o.io,
                o.reset,
                BenchArgs.seconds(o.timeout));
    }
}
