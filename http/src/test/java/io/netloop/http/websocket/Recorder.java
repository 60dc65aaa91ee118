package io.netloop.http.websocket;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A handler for tests: echoes every message (unless told not to) and records what happened,
 * so a test thread can wait for it.
 *
 * <p>Threading: callbacks on the loop thread; the queues and counters are read by the test thread.
 */
class Recorder implements WebSocketHandler {
    record Closed(int code, String reason) {}

    final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    final BlockingQueue<Closed> closes = new LinkedBlockingQueue<>();
    final AtomicInteger opens = new AtomicInteger();
    final AtomicInteger closeCalls = new AtomicInteger();
    private final boolean echo;

    Recorder(boolean echo) {
        this.echo = echo;
    }

    @Override
    public void onOpen(WebSocket ws) {
        opens.incrementAndGet();
    }

    @Override
    public void onText(WebSocket ws, String text) {
        texts.add(text);
        if (echo) ws.sendText(text);
    }

    @Override
    public void onBinary(WebSocket ws, byte[] data) {
        if (echo) ws.sendBinary(data);
    }

    @Override
    public void onClose(WebSocket ws, int code, String reason) {
        closeCalls.incrementAndGet();
        closes.add(new Closed(code, reason));
    }

    Closed awaitClose() throws InterruptedException {
        Closed c = closes.poll(10, TimeUnit.SECONDS);
        if (c == null) throw new AssertionError("onClose was not called within 10 s");
        return c;
    }
}
