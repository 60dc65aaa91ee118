package io.netloop.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak's chat load on one {@code netloop chat} room: WebSocket clients (the JDK's
 * {@link WebSocket}, speaking the page's JSON) and TCP line clients, each joining under a
 * nickname of its own, saying a message every {@link #INTERVAL} and waiting for the room's
 * broadcast of it to come back intact, then leaving after a session's messages (50 by default) and
 * joining again under a new nickname. Every third WebSocket session ends with
 * {@link WebSocket#abort} instead of {@code /quit}: the injected failure. A message that does
 * not come back within {@link #TIMEOUT}, comes back changed, or is refused is a failure.
 *
 * <p>Threading: {@link #run} blocks its caller and runs the clients on virtual threads; the
 * counters may be read from any thread.
 */
public final class SoakChat {
    static final Duration INTERVAL = Duration.ofMillis(100);
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Letters that JSON escapes or UTF-8 spreads over several bytes, so that mangling either shows. */
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789 \"\\<>&'/é€ü😀";

    private final InetSocketAddress tcp;
    private final URI ws;
    private final int session;
    /** Keeps the nicknames of two drivers on one room (the warm-up's and the run's) apart. */
    private final String run = Long.toString(System.nanoTime() % (36L * 36 * 36), 36);

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong echoed = new AtomicLong();
    private final AtomicLong heard = new AtomicLong();
    private final AtomicLong joins = new AtomicLong();
    private final AtomicLong leaves = new AtomicLong();
    private final AtomicLong aborts = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final ConcurrentLinkedQueue<String> firstFailures = new ConcurrentLinkedQueue<>();
    private volatile boolean stop;

    /** {@code tcp}: the room's line port; {@code http}: its HTTP port, whose {@code /ws} is the WebSocket. */
    public SoakChat(InetSocketAddress tcp, InetSocketAddress http) {
        this(tcp, http, 50);
    }

    /** As above, each client leaving and joining again after {@code session} messages. */
    public SoakChat(InetSocketAddress tcp, InetSocketAddress http, int session) {
        if (session < 1) throw new IllegalArgumentException("a session needs at least one message, not " + session);
        this.session = session;
        this.tcp = tcp;
        this.ws = URI.create("ws://" + http.getHostString() + ":" + http.getPort() + "/ws");
    }

    /** Runs the clients for {@code duration}, then waits for them to leave the room. */
    public void run(Duration duration, int webSocketClients, int tcpClients) throws InterruptedException {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
                HttpClient http = HttpClient.newBuilder()
                        .executor(threads)
                        .connectTimeout(TIMEOUT)
                        .build()) {
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < webSocketClients; i++) {
                    int id = i;
                    clients.execute(() -> loop(
                            "w" + id,
                            session -> webSocketSession(http, "w" + id + run + "x" + session, session % 3 == 2)));
                }
                for (int i = 0; i < tcpClients; i++) {
                    int id = i;
                    clients.execute(() -> loop("t" + id, session -> tcpSession("t" + id + run + "x" + session)));
                }
                Thread.sleep(duration.toMillis());
                stop = true;
            }
        }
    }

    private interface Session {
        void run(int number) throws Exception;
    }

    private void loop(String client, Session session) {
        Random pause = new Random(client.hashCode());
        for (int n = 0; !stop; n++) {
            try {
                session.run(n);
            } catch (Exception e) {
                if (e instanceof InterruptedException) return;
                fail(client + ": " + e);
                sleep(Duration.ofMillis(500 + pause.nextInt(500))); // a failing room is not hammered
            }
        }
    }

    private void fail(String what) {
        failed.incrementAndGet();
        if (firstFailures.size() < 10) firstFailures.add(what);
    }

    // --- WebSocket clients: the page's JSON ---------------------------------------------------

    private void webSocketSession(HttpClient http, String nick, boolean abort) throws Exception {
        Inbox inbox = new Inbox();
        WebSocket socket = http.newWebSocketBuilder()
                .connectTimeout(TIMEOUT)
                .buildAsync(ws, inbox)
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        boolean over = false;
        try {
            send(socket, "{\"type\":\"nick\",\"name\":\"" + nick + "\"}");
            inbox.await(nick, m -> "nickSet".equals(field(m, "type")) && nick.equals(field(m, "nick")), "its nickSet");
            joins.incrementAndGet();
            Random random = new Random(nick.hashCode());
            for (int i = 0; i < session && !stop; i++) {
                String text = message(nick, i, random);
                send(socket, "{\"type\":\"line\",\"text\":\"" + jsonEscape(text) + "\"}");
                sent.incrementAndGet();
                inbox.await(
                        nick,
                        m -> {
                            if (!"said".equals(field(m, "type")) || !nick.equals(field(m, "from"))) return false;
                            if (!text.equals(field(m, "text")))
                                throw new IllegalStateException(nick + " got its message back changed: " + m);
                            return true;
                        },
                        "message " + i + " back");
                echoed.incrementAndGet();
                sleep(INTERVAL);
            }
            if (abort && !stop) {
                socket.abort(); // the injected failure: the connection dropped without a close frame
                aborts.incrementAndGet();
            } else {
                send(socket, "{\"type\":\"line\",\"text\":\"/quit\"}");
                inbox.await(nick, m -> "goodbye".equals(field(m, "type")), "its goodbye");
                inbox.closed.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS); // the server's close frame
                leaves.incrementAndGet();
            }
            over = true;
        } finally {
            if (!over) socket.abort();
            heard.addAndGet(inbox.count);
        }
    }

    private static void send(WebSocket socket, String json) throws Exception {
        socket.sendText(json, true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private interface Match {
        boolean test(String message) throws IOException;
    }

    /** Whole text messages as they arrive, one requested at a time; a close or an error ends the queue. */
    private static final class Inbox implements WebSocket.Listener {
        private static final String END = new String("end"); // compared by identity
        final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        private volatile String why = "";
        volatile long count;

        @Override
        public void onOpen(WebSocket socket) {
            socket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                queue.add(partial.toString());
                partial.setLength(0);
                count++;
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
            why = "closed by the server: " + code + " " + reason;
            closed.complete(code);
            queue.add(END);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            why = "error: " + error;
            closed.completeExceptionally(error);
            queue.add(END);
        }

        /** Reads messages until one matches; a refusal, the end of the connection or a timeout fails. */
        void await(String nick, Match match, String what) throws Exception {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            for (; ; ) {
                String m = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (m == null) throw new TimeoutException(nick + " waited " + TIMEOUT.toSeconds() + " s for " + what);
                if (m == END) throw new IOException(nick + " waiting for " + what + ": " + why);
                if ("refused".equals(field(m, "type"))) throw new IOException(nick + " waiting for " + what + ": " + m);
                if (match.test(m)) return;
            }
        }
    }

    // --- TCP line clients ---------------------------------------------------------------------

    private void tcpSession(String nick) throws IOException, InterruptedException {
        try (Socket sock = new Socket()) {
            sock.connect(tcp, (int) TIMEOUT.toMillis());
            sock.setSoTimeout((int) TIMEOUT.toMillis());
            sock.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(sock.getInputStream());
            OutputStream out = sock.getOutputStream();
            out.write((nick + "\n").getBytes(StandardCharsets.UTF_8));
            awaitLine(in, nick, "*** you are " + nick + ";");
            joins.incrementAndGet();
            Random random = new Random(nick.hashCode());
            for (int i = 0; i < session && !stop; i++) {
                String text = message(nick, i, random);
                out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
                sent.incrementAndGet();
                String back = awaitLine(in, nick, "<" + nick + "> ");
                if (!back.equals("<" + nick + "> " + text))
                    throw new IOException(nick + " got its message back changed: " + back);
                echoed.incrementAndGet();
                sleep(INTERVAL);
            }
            out.write("/quit\n".getBytes(StandardCharsets.UTF_8));
            awaitLine(in, nick, "*** disconnected: ");
            if (in.read() >= 0) throw new IOException(nick + ": the server sent more after its goodbye");
            leaves.incrementAndGet();
        }
    }

    /** Reads lines until one starts with {@code prefix}; a refusal ({@code !!!}) fails. */
    private String awaitLine(InputStream in, String nick, String prefix) throws IOException {
        for (; ; ) {
            String line = line(in);
            if (line == null)
                throw new IOException(nick + ": the server closed the connection while waiting for '" + prefix + "'");
            heard.incrementAndGet();
            if (line.startsWith("!!! ")) throw new IOException(nick + " was refused: " + line);
            if (line.startsWith(prefix)) return line;
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) return null;
            if (c != '\r') b.write(c);
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    // --- messages -----------------------------------------------------------------------------

    /** Starts with the nickname (never '/': not a command), ends in '.' (never a space the server could trim). */
    private static String message(String nick, int i, Random random) {
        StringBuilder b = new StringBuilder(nick).append(" #").append(i).append(' ');
        int[] letters = ALPHABET.codePoints().toArray();
        for (int n = 10 + random.nextInt(200); n > 0; n--) b.appendCodePoint(letters[random.nextInt(letters.length)]);
        return b.append('.').toString();
    }

    private static String jsonEscape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** The string value of {@code name} in a flat JSON object, unescaped; null if absent or not a string. */
    static String field(String json, String name) throws IOException {
        int at = json.indexOf("\"" + name + "\":\"");
        if (at < 0) return null;
        StringBuilder b = new StringBuilder();
        for (int i = at + name.length() + 4; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"') return b.toString();
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = json.charAt(++i);
            switch (e) {
                case 'u' -> {
                    b.append((char) Integer.parseInt(json, i + 1, i + 5, 16));
                    i += 4;
                }
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                default -> b.append(e); // \" \\ \/
            }
        }
        throw new IOException("unterminated string in " + json);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Failures that were not injected: each is a defect. */
    public long failures() {
        return failed.get();
    }

    public long sent() {
        return sent.get();
    }

    public long echoed() {
        return echoed.get();
    }

    public long joins() {
        return joins.get();
    }

    public long aborts() {
        return aborts.get();
    }

    public List<String> firstFailures() {
        return new ArrayList<>(firstFailures);
    }

    /** Messages sent and received back, others' events heard, joins, clean leaves, injected aborts, failures. */
    public String summary() {
        return "chat sent=" + sent + " echoed=" + echoed + " heard=" + heard + " joins=" + joins + " leaves=" + leaves
                + " aborted=" + aborts + " failures=" + failed;
    }
}
