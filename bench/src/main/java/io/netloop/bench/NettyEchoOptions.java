package io.netloop.bench;

/**
 * Where {@link NettyEchoServer} listens, on which transport and how many threads.
 *
 * <p>Threading: immutable.
 */
record NettyEchoOptions(String host, int port, NettyTransport transport, int threads) {

    static final String USAGE = """
        usage: java -cp bench/target/netloop-bench.jar io.netloop.bench.NettyEchoServer [options]
          --host ADDR     address to listen on (default 127.0.0.1)
          --port P        port (default 7007; 0 picks a free one, printed in the banner)
          --io T          transport: epoll (default), nio or io_uring
          --threads N     event-loop threads, accepting included (default 1)
        Echoes every byte back until SIGTERM. Prints one banner line on stdout:
          netty-echo: listening on 127.0.0.1:PORT (io epoll, 1 thread)\
        """;

    NettyEchoOptions {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be in 0..65535: " + port);
        if (threads <= 0) throw new IllegalArgumentException("--threads must be positive: " + threads);
    }

    static NettyEchoOptions parse(String[] args) {
        var o = new Object() {
            String host = "127.0.0.1";
            int port = 7007, threads = 1;
            NettyTransport transport = NettyTransport.EPOLL;
        };
        BenchArgs.parse(args, (name, value) -> {
            switch (name) {
                case "--host" -> o.host = value;
                case "--port" -> o.port = Integer.parseInt(value);
                case "--io" -> o.transport = NettyTransport.parse(value);
                case "--threads" -> o.threads = Integer.parseInt(value);
                default -> throw BenchArgs.unknown(name);
            }
        });
        return new NettyEchoOptions(o.host, o.port, o.transport, o.threads);
    }
}
