package io.netloop.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@link NettyHttpServer} serves, where, and on how many threads.
 *
 * @param root directory that {@code /static/...} paths resolve under, as nginx's {@code root}
 *     does: {@code GET /static/4k.bin} reads {@code <root>/static/4k.bin}
 *
 * <p>Threading: immutable.
 */
record NettyHttpOptions(String host, int port, NettyTransport transport, int threads, Path root) {

    static final String USAGE = """
        usage: java -cp bench/target/netloop-bench.jar io.netloop.bench.NettyHttpServer [options]
          --host ADDR     address to listen on (default 127.0.0.1)
          --port P        port (default 8080; 0 picks a free one, printed in the banner)
          --io T          transport: epoll (default), nio or io_uring
          --threads N     event-loop threads, accepting included (default 1)
          --root DIR      directory that /static/... is served from (default .)
        Answers GET /plaintext with "Hello, World!" and GET /static/NAME with the file
        DIR/static/NAME, keep-alive, until SIGTERM. Prints one banner line on stdout:
          netty-http: listening on 127.0.0.1:PORT (io epoll, 1 thread)\
        """;

    NettyHttpOptions {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be in 0..65535: " + port);
        if (threads <= 0) throw new IllegalArgumentException("--threads must be positive: " + threads);
        if (!Files.isDirectory(root)) throw new IllegalArgumentException("--root is not a directory: " + root);
        root = root.toAbsolutePath().normalize();
    }

    static NettyHttpOptions parse(String[] args) {
        var o = new Object() {
            String host = "127.0.0.1";
            int port = 8080, threads = 1;
            NettyTransport transport = NettyTransport.EPOLL;
            Path root = Path.of(".");
        };
        BenchArgs.parse(args, (name, value) -> {
            switch (name) {
                case "--host" -> o.host = value;
                case "--port" -> o.port = Integer.parseInt(value);
                case "--io" -> o.transport = NettyTransport.parse(value);
                case "--threads" -> o.threads = Integer.parseInt(value);
                case "--root" -> o.root = Path.of(value);
                default -> throw BenchArgs.unknown(name);
            }
        });
        return new NettyHttpOptions(o.host, o.port, o.transport, o.threads, o.root);
    }
}
