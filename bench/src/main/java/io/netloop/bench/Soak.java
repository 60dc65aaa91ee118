package io.netloop.bench;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * {@code scripts/soak.sh}'s load driver: {@link SoakLoad} against a running server for a
 * while, then a one-line summary; exit status 1 if any failure was not an injected one.
 *
 * <p>Threading: the main thread waits; the clients run on virtual threads.
 */
public final class Soak {
    static final String USAGE = """
            usage: Soak --port N [--host 127.0.0.1] [--seconds 600] [--clients 4] [--small /small.txt] [--big /big.bin]
              runs keep-alive, pipelined, short-connection, large-download and aborted-download clients
              (--clients of each; half as many for the downloads) and prints what they did""";

    private Soak() {}

    public static void main(String[] args) throws Exception {
        String[] host = {"127.0.0.1"};
        int[] port = {0};
        double[] seconds = {600};
        int[] clients = {4};
        String[] small = {"/small.txt"};
        String[] big = {"/big.bin"};
        try {
            BenchArgs.parse(args, (name, value) -> {
                switch (name) {
                    case "--host" -> host[0] = value;
                    case "--port" -> port[0] = Integer.parseInt(value);
                    case "--seconds" -> seconds[0] = Double.parseDouble(value);
                    case "--clients" -> clients[0] = Integer.parseInt(value);
                    case "--small" -> small[0] = value;
                    case "--big" -> big[0] = value;
                    default -> throw BenchArgs.unknown(name);
                }
            });
            if (port[0] <= 0) throw new IllegalArgumentException("--port is required");
        } catch (BenchArgs.HelpRequested e) {
            System.out.println(USAGE);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("soak: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        SoakLoad load = new SoakLoad(new InetSocketAddress(host[0], port[0]), small[0], big[0]);
        load.run(BenchArgs.seconds(seconds[0]), clients[0]);
        System.out.println("soak: " + load.summary());
        for (String f : load.firstFailures()) System.out.println("soak: failure: " + f);
        System.exit(load.failures() == 0 ? 0 : 1);
    }
}
