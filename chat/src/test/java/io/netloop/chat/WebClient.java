package io.netloop.chat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;

/**
 * A WebSocket chat client on the JDK's {@link java.net.http.WebSocket}: sends the page's JSON
 * messages and queues what arrives, raw, for the test to read.
 *
 * <p>Threading: the JDK's threads fill the queue; one test thread reads it.
 */
final class WebClient implements AutoCloseable {
    private static final String CLOSED = "\u0000closed";

    private final HttpClient http;
    private final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final WebSocket ws;
    private volatile boolean reading = true;
    final List<String> seen = new ArrayList<>();

    WebClient(int httpPort) {
        this(HttpClient.newHttpClient(), URI.create("ws://127.0.0.1:" + httpPort + ChatServer.WEBSOCKET_PATH));
    }

    /** Over wss, trusting what {@code trusting} trusts. */
    static WebClient overTls(int httpPort, SSLContext trusting) {
        return new WebClient(
                HttpClient.newBuilder().sslContext(trusting).build(),
                URI.create("wss://localhost:" + httpPort + ChatServer.WEBSOCKET_PATH));
    }

    private WebClient(HttpClient http, URI uri) {
        this.http = http;
        this.ws = http.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            received.add(text.toString());
                            text.setLength(0);
                        }
                        if (reading) w.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
                        closeCode.complete(statusCode);
                        received.add(CLOSED);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket w, Throwable error) {
                        closeCode.completeExceptionally(error);
                        received.add(CLOSED);
                    }
                })
                .orTimeout(20, TimeUnit.SECONDS)
                .join();
    }

    /** Connects and joins as {@code nick}; returns once the room confirmed it. */
    static WebClient join(int httpPort, String nick) throws InterruptedException {
        return join(new WebClient(httpPort), nick);
    }

    /** As {@link #join(int, String)}, on a client already connected (over wss, say). */
    static WebClient join(WebClient c, String nick) throws InterruptedException {
        c.send(Json.object("type", "nick", "name", nick));
        c.expect(m -> m.equals(Json.object("type", "nickSet", "nick", nick)));
        return c;
    }

    /** Asks for no more messages: the client stops reading its socket, as a stalled browser tab would. */
    void stopReading() {
        reading = false;
    }

    void send(String json) {
        ws.sendText(json, true).orTimeout(20, TimeUnit.SECONDS).join();
    }

    void say(String line) {
        send(Json.object("type", "line", "text", line));
    }

    /** Reads messages until one matches, skipping the others. */
    String expect(Predicate<String> wanted) throws InterruptedException {
        for (; ; ) {
            String m = received.poll(20, TimeUnit.SECONDS);
            if (m == null) throw new AssertionError("timed out waiting for a message; received: " + seen);
            if (m.equals(CLOSED)) throw new AssertionError("the socket closed; received: " + seen);
            seen.add(m);
            if (wanted.test(m)) return m;
        }
    }

    /** The next message of {@code type}, read as an object of strings. */
    Map<String, String> expectType(String type) throws InterruptedException {
        return Json.parseFlatObject(expect(m -> m.startsWith("{\"type\":\"" + type + "\"")));
    }

    /** Waits for the server's close; the code it sent. */
    int awaitClose() {
        return closeCode.orTimeout(20, TimeUnit.SECONDS).join();
    }

    @Override
    public void close() {
        if (reading && !ws.isOutputClosed()) { // a client that stopped reading would never see the answer
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "")
                    .orTimeout(10, TimeUnit.SECONDS)
                    .exceptionally(e -> null)
                    .join();
            closeCode
                    .completeOnTimeout(-1, 10, TimeUnit.SECONDS)
                    .exceptionally(e -> -1)
                    .join();
        }
        ws.abort();
        http.close();
    }
}
