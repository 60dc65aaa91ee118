package io.netloop.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Slow-client attackers on blocking sockets, one per (virtual) thread: each holds a
 * connection as long as the server lets it, then connects again, until told to stop.
 *
 * <ul>
 *   <li>{@link Kind#SLOWLORIS}: a request head trickled a header line at a time, never ended.</li>
 *   <li>{@link Kind#SLOW_BODY}: a complete head announcing a large body, trickled a few bytes at a time.</li>
 *   <li>{@link Kind#SLOW_READ}: a request for a large response, read a few bytes at a time
 *       through a tiny receive window.</li>
 * </ul>
 *
 * <p>Threading: {@link #run} on the attacker's own thread; the counters from any thread.
 */
final class SlowAttackers {
    enum Kind {
        SLOWLORIS,
        SLOW_BODY,
        SLOW_READ
    }

    final AtomicBoolean stop = new AtomicBoolean();
    /** Connections made, and connections the server ended (close, reset, or a 408). */
    final AtomicLong connects = new AtomicLong();

    final AtomicLong endedByServer = new AtomicLong();
    private final int port;
    private final String bigPath;
    private final long pauseMillis;

    SlowAttackers(int port, String bigPath, long pauseMillis) {
        this.port = port;
        this.bigPath = bigPath;
        this.pauseMillis = pauseMillis;
    }

    void run(Kind kind) {
        while (!stop.get()) {
            try (Socket s = new Socket()) {
                if (kind == Kind.SLOW_READ) s.setReceiveBufferSize(1024); // a tiny window, set before connecting
                s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                s.setSoTimeout((int) pauseMillis);
                connects.incrementAndGet();
                switch (kind) {
                    case SLOWLORIS -> slowloris(s);
                    case SLOW_BODY -> slowBody(s);
                    case SLOW_READ -> slowRead(s);
                }
                if (!stop.get()) endedByServer.incrementAndGet();
            } catch (IOException ended) {
                if (!stop.get()) endedByServer.incrementAndGet();
            }
        }
    }

    private void slowloris(Socket s) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(ascii("GET /hello HTTP/1.1\r\nHost: attack\r\n"));
        for (int i = 0; !stop.get(); i++) {
            if (serverAnswered(s)) return;
            out.write(ascii("X-Drip-" + i + ": x\r\n"));
        }
    }

    private void slowBody(Socket s) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(ascii("POST /upload HTTP/1.1\r\nHost: attack\r\nContent-Length: 1000000\r\n\r\n"));
        while (!stop.get()) {
            if (serverAnswered(s)) return;
            out.write(ascii("0123456789"));
        }
    }

    private void slowRead(Socket s) throws IOException {
        s.getOutputStream().write(ascii("GET " + bigPath + " HTTP/1.1\r\nHost: attack\r\n\r\n"));
        InputStream in = s.getInputStream();
        byte[] b = new byte[256]; // a few bytes per pause: far under any useful rate
        while (!stop.get()) {
            sleep();
            int n;
            try {
                n = in.read(b);
            } catch (SocketTimeoutException nothingYet) {
                continue;
            }
            if (n < 0) return;
        }
    }

    /** Waits a pause for the server's answer (a 408, or the close): true when the server ended the exchange. */
    private boolean serverAnswered(Socket s) throws IOException {
        try {
            return s.getInputStream().read() >= -1; // any byte or the end: the server has answered
        } catch (SocketTimeoutException stillWaiting) {
            return false;
        }
    }

    private void sleep() {
        try {
            Thread.sleep(pauseMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.set(true);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
