package io.netloop.bench;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * {@code scripts/soak.sh}'s load driver: {@link SoakLoad} against a running server for a
 * while, and {@link SoakChat} against a running chat room at the same time if given one, then
 * a one-line summary of each; exit status 1 if any failure was not an injected one.
 *
 * <p>Threading: the main thread waits; the clients run on virtual threads.
 */
public final class Soak {
    static final String USAGE = """
        usage: Soak --port N [--host 127.0.0.1] [--seconds 600] [--clients 4] [--small /small.txt] [--big /big.bin]
        [--chat-port N --chat-http-port N] [--chat-clients 3]
          runs keep-alive, pipelined, short-connection, large-download and aborted-download clients
          (--clients of each; half as many for the downloads) and prints what they did; with the
          chat's ports, also --chat-clients WebSocket and 2 TCP clients in its room\
        """;

    private Soak() {}

    public static void main(String[] args) throws Exception {
        String[] host = {"127.0.0.1"};
        int[] port = {0};
        double[] seconds = {600};
        int[] clients = {4};
        String[] small = {"/small.txt"};
        String[] big = {"/big.bin"};
        int[] chatPort = {0};
        int[] chatHttpPort = {0};
        int[] chatClients = {3};
        try {
            BenchArgs.parse(args, (name, value) -> {
                switch (name) {
                    case "--host" -> host[0] = value;
                    case "--port" -> port[0] = Integer.parseInt(value);
                    case "--seconds" -> seconds[0] = Double.parseDouble(value);
                    case "--clients" -> clients[0] = Integer.parseInt(value);
                    case "--small" -> small[0] = value;
                    case "--big" -> big[0] = value;
                    case "--chat-port" -> chatPort[0] = Integer.parseInt(value);
                    case "--chat-http-port" -> chatHttpPort[0] = Integer.parseInt(value);
                    case "--chat-clients" -> chatClients[0] = Integer.parseInt(value);
                    default -> throw BenchArgs.unknown(name);
                }
            });
            if (port[0] <= 0) throw new IllegalArgumentException("--port is required");
            if ((chatPort[0] > 0) != (chatHttpPort[0] > 0)) {
                throw new IllegalArgumentException(
                        "--chat-port and --chat-http-port go together (the room's TCP and HTTP ports)");
            }
        } catch (BenchArgs.HelpRequested e) {
            System.out.println(USAGE);
            return;
        } catch (IllegalArgumentException e) {
            System.err.println("soak: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        Duration duration = BenchArgs.seconds(seconds[0]);
        SoakLoad load = new SoakLoad(new InetSocketAddress(host[0], port[0]), small[0], big[0]);
        SoakChat chat = chatPort[0] > 0
                ? new SoakChat(
                        new InetSocketAddress(host[0], chatPort[0]), new InetSocketAddress(host[0], chatHttpPort[0]))
                : null;
        Thread chatting = chat == null
                ? null
                : Thread.ofVirtual().start(() -> {
                    try {
                        chat.run(duration, chatClients[0], 2);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
        load.run(duration, clients[0]);
        if (chatting != null) chatting.join();
        System.out.println("soak: " + load.summary());
        if (chat != null) System.out.println("soak: " + chat.summary());
        for (String f : load.firstFailures()) System.out.println("soak: failure: " + f);
        if (chat != null) for (String f : chat.firstFailures()) System.out.println("soak: chat failure: " + f);
        System.exit(load.failures() == 0 && (chat == null || chat.failures() == 0) ? 0 : 1);
    }
}
