package io.netloop.bench;

import io.netloop.core.loop.IoMode;
import java.time.Duration;

/**
 * What {@link EchoPingPong} runs: where to, how many connections, how big a message, for how
 * long, and whose CPU time to sample.
 *
 * @param serverPid process whose CPU time is read at the edges of the measured window, or
 *     -1 for none (the JSON then says {@code null})
 *
 * <p>Threading: immutable.
 */
record PingPongOptions(
        String host,
        int port,
        int connections,
        int messageBytes,
        Duration warmup,
        Duration duration,
        long serverPid,
        IoMode io,
        Duration connectTimeout) {

    static final String USAGE = """
        usage: java -jar bench/target/netloop-bench.jar --port P [options]
          --host ADDR         echo server address (default 127.0.0.1)
          --port P            echo server port (required)
          --connections C     concurrent connections (default 100)
          --size S            bytes per message (default 16384)
          --warmup W          seconds of load before measuring (default 3)
          --duration D        seconds measured (default 5)
          --server-pid PID    report that process's CPU time over the measured window
          --io MODE           the client's own loop: epoll (default), epoll-et or nio
        Prints one line of JSON on stdout; exit status 1 when an error was seen.\
        """;

    PingPongOptions {
        if (port <= 0 || port > 65535) throw new IllegalArgumentException("--port must be in 1..65535: " + port);
        if (connections <= 0) throw new IllegalArgumentException("--connections must be positive: " + connections);
        if (messageBytes <= 0) throw new IllegalArgumentException("--size must be positive: " + messageBytes);
        if (warmup.isNegative()) throw new IllegalArgumentException("--warmup must not be negative: " + warmup);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("--duration must be positive: " + duration);
        }
    }

    static PingPongOptions parse(String[] args) {
        var o = new Object() {
            String host = "127.0.0.1";
            int port, connections = 100, size = 16 * 1024;
            double warmup = 3, duration = 5;
            long serverPid = -1;
            IoMode io = IoMode.EPOLL;
        };
        BenchArgs.parse(args, (name, value) -> {
            switch (name) {
                case "--host" -> o.host = value;
                case "--port" -> o.port = Integer.parseInt(value);
                case "--connections" -> o.connections = Integer.parseInt(value);
                case "--size" -> o.size = Integer.parseInt(value);
                case "--warmup" -> o.warmup = Double.parseDouble(value);
                case "--duration" -> o.duration = Double.parseDouble(value);
                case "--server-pid" -> o.serverPid = Long.parseLong(value);
                case "--io" -> o.io = IoMode.parse(value);
                default -> throw BenchArgs.unknown(name);
            }
        });
        return new PingPongOptions(
                o.host,
                o.port,
                o.connections,
                o.size,
                BenchArgs.seconds(o.warmup),
                BenchArgs.seconds(o.duration),
                o.serverPid,
                o.io,
                Duration.ofSeconds(10));
    }
}
