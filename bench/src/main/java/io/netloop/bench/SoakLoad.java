package io.netloop.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak's mixed load on one HTTP server, on blocking JDK sockets: keep-alive requests,
 * pipelined bursts, short connections (one request each), large downloads read to the end,
 * and downloads aborted with a reset part-way (the injected failures). Every response is
 * checked (status 200, the declared length read in full); anything else is a failure.
 *
 * <p>The server must serve {@code small} (a few bytes) and {@code big} (several MiB), as
 * {@code netloop serve --root DIR} does for files in DIR.
 *
 * <p>Threading: {@link #run} blocks its caller and runs the clients on virtual threads; the
 * counters may be read from any thread.
 */
public final class SoakLoad {
    public enum Scenario {
        KEEP_ALIVE,
        PIPELINED,
        SHORT,
        LARGE,
        ABORTED
    }

    private final InetSocketAddress server;
    private final String small;
    private final String big;
    private final Map<Scenario, AtomicLong> done = new EnumMap<>(Scenario.class);
    private final Map<Scenario, AtomicLong> failed = new EnumMap<>(Scenario.class);
    private final ConcurrentLinkedQueue<String> firstFailures = new ConcurrentLinkedQueue<>();
    private final AtomicLong bytes = new AtomicLong();
    private volatile boolean stop;

    public SoakLoad(InetSocketAddress server, String small, String big) {
        this.server = server;
        this.small = small;
        this.big = big;
        for (Scenario s : Scenario.values()) {
            done.put(s, new AtomicLong());
            failed.put(s, new AtomicLong());
        }
    }

    /** Runs {@code clientsPerScenario} clients of each scenario for {@code duration}, then waits for them to stop. */
    public void run(Duration duration, int clientsPerScenario) throws InterruptedException {
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Scenario s : Scenario.values()) {
                int n = s == Scenario.LARGE || s == Scenario.ABORTED
                        ? Math.max(1, clientsPerScenario / 2)
                        : clientsPerScenario;
                for (int i = 0; i < n; i++) clients.execute(() -> loop(s));
            }
            Thread.sleep(duration.toMillis());
            stop = true;
        }
    }

    private void loop(Scenario s) {
        while (!stop) {
            try {
                switch (s) {
                    case KEEP_ALIVE -> keepAlive();
                    case PIPELINED -> pipelined();
                    case SHORT -> shortConnection();
                    case LARGE -> download(false);
                    case ABORTED -> download(true);
                }
                done.get(s).incrementAndGet();
            } catch (IOException | RuntimeException e) {
                if (stop && e instanceof IOException) return; // cut short by the end of the run, not by the server
                failed.get(s).incrementAndGet();
                if (firstFailures.size() < 10) firstFailures.add(s + ": " + e);
            }
        }
    }

    private Socket connect() throws IOException {
        Socket sock = new Socket();
        sock.connect(server, 10_000);
        sock.setSoTimeout(30_000);
        sock.setTcpNoDelay(true);
        return sock;
    }

    private static byte[] get(String path, boolean close) {
        return ("GET " + path + " HTTP/1.1\r\nHost: soak\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Twenty requests on one connection, one at a time. */
    private void keepAlive() throws IOException {
        try (Socket sock = connect()) {
            InputStream in = new BufferedInputStream(sock.getInputStream());
            OutputStream out = sock.getOutputStream();
            for (int i = 0; i < 20 && !stop; i++) {
                out.write(get(small, false));
                readResponse(in, Long.MAX_VALUE);
            }
        }
    }

    /** Ten requests written at once, then their ten responses. */
    private void pipelined() throws IOException {
        try (Socket sock = connect()) {
            InputStream in = new BufferedInputStream(sock.getInputStream());
            byte[] one = get(small, false);
            byte[] ten = new byte[one.length * 10];
            for (int i = 0; i < 10; i++) System.arraycopy(one, 0, ten, i * one.length, one.length);
            sock.getOutputStream().write(ten);
            for (int i = 0; i < 10; i++) readResponse(in, Long.MAX_VALUE);
        }
    }

    private void shortConnection() throws IOException {
        try (Socket sock = connect()) {
            sock.getOutputStream().write(get(small, true));
            readResponse(new BufferedInputStream(sock.getInputStream()), Long.MAX_VALUE);
        }
    }

    /** The big file, read to the end, or (aborted) reset after its first MiB. */
    private void download(boolean abort) throws IOException {
        Socket sock = connect();
        try {
            sock.getOutputStream().write(get(big, false));
            readResponse(new BufferedInputStream(sock.getInputStream(), 64 * 1024), abort ? 1 << 20 : Long.MAX_VALUE);
            if (abort) sock.setSoLinger(true, 0); // the injected failure: a reset with the response half read
        } finally {
            sock.close();
        }
    }

    /** Reads one response; fails unless it is a 200 with a Content-Length; stops after {@code limit} body bytes. */
    private void readResponse(InputStream in, long limit) throws IOException {
        String status = line(in);
        if (!status.startsWith("HTTP/1.1 200")) throw new IOException("unexpected status line: " + status);
        long length = -1;
        for (String l; !(l = line(in)).isEmpty(); ) {
            if (l.regionMatches(true, 0, "Content-Length:", 0, 15))
                length = Long.parseLong(l.substring(15).trim());
        }
        if (length < 0) throw new IOException("no Content-Length");
        long want = Math.min(length, limit);
        byte[] b = new byte[64 * 1024];
        for (long left = want; left > 0; ) {
            int n = in.read(b, 0, (int) Math.min(b.length, left));
            if (n < 0) throw new IOException("end of stream with " + left + " of " + length + " body bytes to go");
            left -= n;
        }
        bytes.addAndGet(want);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) throw new IOException("end of stream in a response head");
            if (c != '\r') b.append((char) c);
        }
        return b.toString();
    }

    public long completed(Scenario s) {
        return done.get(s).get();
    }

    /** Failures that were not injected: each is a defect. */
    public long failures() {
        return failed.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public List<String> firstFailures() {
        return new ArrayList<>(firstFailures);
    }

    /** Completed runs per scenario (an aborted download that was reset as planned counts as completed), bytes, failures. */
    public String summary() {
        StringBuilder b = new StringBuilder();
        for (Scenario s : Scenario.values()) {
            b.append(s.name().toLowerCase(java.util.Locale.ROOT))
                    .append('=')
                    .append(done.get(s).get());
            if (failed.get(s).get() > 0)
                b.append(" (failed ").append(failed.get(s).get()).append(')');
            b.append(' ');
        }
        return b.append("body_bytes=")
                .append(bytes.get())
                .append(" failures=")
                .append(failures())
                .toString();
    }
}
