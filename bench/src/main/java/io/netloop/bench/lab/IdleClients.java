package io.netloop.bench.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Leaves idle keep-alive connections on a server the way browsers do: each connection sends one
 * {@code GET /} with a browser's headers, reads the whole answer, then says nothing. For
 * {@code bench/idle.sh}, which measures what such connections cost the server; driven by one
 * command a line on standard input, each answered by one line on standard output:
 *
 * <pre>
 *   warm N    N exchanges, each on a connection of its own, reset after the answer
 *             (the server's request path runs before its memory is measured)
 *   open N    opens connections until N are held
 *   probe     counts the held connections the server has closed since
 *   quit      (or the end of input) resets every held connection and exits
 *
 *   -> OK held=N done=D failed=F status=200:N saidClose=C ms=T
 *                            (status: the answers of this warm, or of every held connection; probe: closed=C)
 *   -> FAILED held=N error=...                              (the first failure of an open)
 * </pre>
 *
 * It prints {@code READY} first. Up to {@code --parallel} exchanges are in flight at once, all
 * non-blocking on one selector; a held connection leaves the selector. Connections close with a
 * reset (SO_LINGER 0) so that no TIME_WAIT is left to use up ephemeral ports from run to run.
 * With {@code --sources K} the i-th connection binds to 127.0.0.(1 + i mod K) first, for more
 * connections than one source address has ephemeral ports (loopback answers all of 127/8).
 *
 * <pre>java -cp bench/target/netloop-bench.jar io.netloop.bench.lab.IdleClients --port P [--host H] [--path /]
 *      [--parallel 32] [--sources K]</pre>
 *
 * <p>Threading: one thread, the main one, does everything.
 */
public final class IdleClients {
    private static final long STALL_NANOS = 30_000_000_000L;

    private final InetSocketAddress server;
    private final byte[] request;
    private final int parallel;
    private final int sources;
    private final List<SocketChannel> held = new ArrayList<>();
    private final Map<Integer, Integer> heldStatuses = new TreeMap<>(); // the answers of the held ones
    private int opened; // connections started so far, for the choice of source address

    private IdleClients(InetSocketAddress server, String path, int parallel, int sources) {
        this.server = server;
        this.request = browserRequest(server, path);
        this.parallel = parallel;
        this.sources = sources;
    }

    public static void main(String[] args) throws IOException {
        String host = "127.0.0.1";
        String path = "/";
        int port = -1;
        int parallel = 32;
        int sources = 1;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--host" -> host = args[i + 1];
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--path" -> path = args[i + 1];
                case "--parallel" -> parallel = Integer.parseInt(args[i + 1]);
                case "--sources" -> sources = Integer.parseInt(args[i + 1]);
                default -> throw usage("unknown option " + args[i]);
            }
        }
        if (port < 0 || args.length % 2 != 0) throw usage("--port is required");
        if (parallel < 1 || sources < 1 || sources > 254) throw usage("--parallel >= 1, --sources 1..254");
        IdleClients clients = new IdleClients(new InetSocketAddress(host, port), path, parallel, sources);
        System.out.println("READY");
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        for (String line; (line = in.readLine()) != null; ) {
            String[] w = line.trim().split("\\s+");
            String answer = switch (w[0]) {
                case "warm" -> clients.exchange(Integer.parseInt(w[1]), false);
                case "open" -> clients.exchange(Integer.parseInt(w[1]) - clients.held.size(), true);
                case "probe" -> clients.probe();
                case "quit" -> null;
                default -> "FAILED error=unknown command '" + line + "'";
            };
            if (answer == null) break;
            System.out.println(answer);
            System.out.flush();
        }
        clients.resetAll();
        System.out.println("BYE");
        System.out.flush();
    }

    private static IllegalArgumentException usage(String why) {
        return new IllegalArgumentException(
                why + "; usage: IdleClients --port P [--host H] [--path /] [--parallel 32] [--sources K]");
    }

    /** What Firefox 128 sends when a page is typed into the address bar. */
    static byte[] browserRequest(InetSocketAddress server, String path) {
        String r = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + server.getHostString() + ":" + server.getPort() + "\r\n"
                + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
                + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
                + "image/png,image/svg+xml,*/*;q=0.8\r\n"
                + "Accept-Language: en-US,en;q=0.5\r\n"
                + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
                + "Connection: keep-alive\r\n"
                + "Upgrade-Insecure-Requests: 1\r\n"
                + "Sec-Fetch-Dest: document\r\n"
                + "Sec-Fetch-Mode: navigate\r\n"
                + "Sec-Fetch-Site: none\r\n"
                + "Sec-Fetch-User: ?1\r\n"
                + "Priority: u=0, i\r\n"
                + "\r\n";
        return r.getBytes(StandardCharsets.US_ASCII);
    }

    /** One connection's exchange in flight. */
    private static final class Exchange {
        final SocketChannel channel;
        final ByteBuffer out;
        byte[] in = new byte[4096];
        int len;

        Exchange(SocketChannel channel, byte[] request) {
            this.channel = channel;
            this.out = ByteBuffer.wrap(request);
        }
    }

    /**
     * Runs {@code n} exchanges, each on a new connection; keeps the connections ({@code hold})
     * or resets them after the answer. An open stops at its first failure.
     */
    private String exchange(int n, boolean hold) throws IOException {
        long t0 = System.nanoTime();
        Map<Integer, Integer> statuses = new TreeMap<>();
        int started = 0;
        int done = 0;
        int failed = 0;
        int saidClose = 0;
        String firstError = null;
        try (Selector selector = Selector.open()) {
            long lastProgress = System.nanoTime();
            while (done + failed < started || (started < n && (failed == 0 || !hold))) {
                while (started < n && selector.keys().size() < parallel && (failed == 0 || !hold)) {
                    started++;
                    try {
                        start(selector);
                    } catch (IOException e) {
                        failed++;
                        if (firstError == null) firstError = "connection " + (held.size() + done + 1) + ": " + e;
                    }
                }
                if (selector.select(1000) == 0) {
                    if (System.nanoTime() - lastProgress > STALL_NANOS) {
                        firstError =
                                "no answer within 30 s on " + selector.keys().size() + " connection(s)";
                        failed += selector.keys().size();
                        for (SelectionKey k : selector.keys()) reset(((Exchange) k.attachment()).channel);
                        break;
                    }
                    continue;
                }
                lastProgress = System.nanoTime();
                for (SelectionKey key : selector.selectedKeys()) {
                    Exchange x = (Exchange) key.attachment();
                    try {
                        ResponseFraming.Framed framed = step(key, x);
                        if (framed == null) continue;
                        key.cancel();
                        done++;
                        statuses.merge(framed.status(), 1, Integer::sum);
                        if (framed.saysClose()) saidClose++;
                        if (hold) {
                            held.add(x.channel);
                            heldStatuses.merge(framed.status(), 1, Integer::sum);
                        } else {
                            reset(x.channel);
                        }
                    } catch (IOException | RuntimeException e) {
                        key.cancel();
                        reset(x.channel);
                        failed++;
                        if (firstError == null) firstError = "connection " + (held.size() + done + 1) + ": " + e;
                    }
                }
                selector.selectedKeys().clear();
            }
            selector.selectNow(); // deregisters the cancelled keys before the selector closes
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;
        StringBuilder b = new StringBuilder();
        (hold ? heldStatuses : statuses)
                .forEach((s, c) ->
                        b.append(b.isEmpty() ? "" : ",").append(s).append(':').append(c));
        String counts = "held=" + held.size() + " done=" + done + " failed=" + failed + " status="
                + (b.isEmpty() ? "-" : b) + " saidClose=" + saidClose + " ms=" + ms;
        if (firstError != null && (hold || done == 0)) {
            return "FAILED " + counts + " error=" + firstError.replace('\n', ' ');
        }
        return "OK " + counts + (firstError == null ? "" : " error=" + firstError.replace('\n', ' '));
    }

    private void start(Selector selector) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (sources > 1) {
                byte[] a = {127, 0, 0, (byte) (1 + opened % sources)};
                ch.bind(new InetSocketAddress(InetAddress.getByAddress(a), 0));
            }
            opened++;
            Exchange x = new Exchange(ch, request);
            if (ch.connect(server)) ch.register(selector, SelectionKey.OP_WRITE, x);
            else ch.register(selector, SelectionKey.OP_CONNECT, x);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    /** Advances one exchange by what its key is ready for; the response once it is complete. */
    private static ResponseFraming.Framed step(SelectionKey key, Exchange x) throws IOException {
        if (key.isConnectable()) {
            x.channel.finishConnect();
            key.interestOps(SelectionKey.OP_WRITE);
            return null;
        }
        if (key.isWritable()) {
            x.channel.write(x.out);
            if (!x.out.hasRemaining()) key.interestOps(SelectionKey.OP_READ);
            return null;
        }
        if (x.len == x.in.length) x.in = Arrays.copyOf(x.in, x.in.length * 2);
        int n = x.channel.read(ByteBuffer.wrap(x.in, x.len, x.in.length - x.len));
        if (n < 0) throw new IOException("closed by the server before a whole answer (" + x.len + " bytes)");
        x.len += n;
        ResponseFraming.Framed framed = ResponseFraming.complete(x.in, x.len);
        if (framed != null && framed.length() != x.len) {
            throw new IOException((x.len - framed.length()) + " bytes after the answer");
        }
        return framed;
    }

    /** Held connections the server has closed (or sent anything on) since they were opened. */
    private String probe() {
        int closed = 0;
        ByteBuffer one = ByteBuffer.allocate(1);
        for (SocketChannel ch : held) {
            try {
                one.clear();
                if (ch.read(one) != 0) closed++;
            } catch (IOException e) {
                closed++; // reset by the server
            }
        }
        return "OK held=" + held.size() + " closed=" + closed;
    }

    private void resetAll() {
        for (SocketChannel ch : held) reset(ch);
        held.clear();
    }

    private static void reset(SocketChannel ch) {
        try {
            ch.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException | RuntimeException ignored) {
            // already closed or never connected: close() below is all there is to do
        }
        try {
            ch.close();
        } catch (IOException ignored) {
            // exiting or moving on; the kernel frees it either way
        }
    }
}
