package io.netloop.http;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The access log, one line per response in the combined log format:
 * {@code host - - [time] "request line" status bytes "referer" "user-agent"}.
 *
 * <p>Logging never blocks a loop: a loop thread offers the line to a bounded queue and
 * returns; one background thread writes the lines out. When the queue is full (the disk or
 * terminal is slower than the traffic) the line is dropped and counted, and the writer puts
 * a line saying how many were dropped into the log once it catches up.
 *
 * <p>Owns its writer thread and, for a file, the file; {@link #close} drains the queue,
 * flushes and stops the thread. Threading: {@link #log} from any thread.
 */
public final class AccessLog implements AutoCloseable {
    private static final int QUEUE_CAPACITY = 16 * 1024;
    private static final String STOP = new String("stop"); // identity-compared marker

    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final Writer out;
    private final boolean closeOut;
    private final Thread writer;
    private volatile boolean closed;

    private AccessLog(Writer out, boolean closeOut) {
        this.out = out;
        this.closeOut = closeOut;
        this.writer = Thread.ofPlatform().name("http-access-log").daemon(true).unstarted(this::run);
        writer.start();
    }

    /** Logs to {@code stream} (e.g. System.out), which stays open. */
    public static AccessLog to(OutputStream stream) {
        return new AccessLog(
                new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 64 * 1024), false);
    }

    /** Appends to {@code file}, creating it. */
    public static AccessLog toFile(Path file) throws IOException {
        Writer w = Files.newBufferedWriter(
                file,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
        return new AccessLog(w, true);
    }

    /** Lines dropped because the queue was full. */
    public long droppedCount() {
        return dropped.get();
    }

    /** Queues one line (without its newline); drops and counts it when the queue is full. */
    public void log(String line) {
        if (closed || !queue.offer(line)) dropped.incrementAndGet();
    }

    /** Formats and queues the line for one response. Loop thread. */
    void log(Request req, Response res, String remoteHost, String time) {
        StringBuilder b = new StringBuilder(160);
        b.append(remoteHost == null ? "-" : remoteHost)
                .append(" - - [")
                .append(time)
                .append("] \"");
        if (req != null) {
            escaped(b, req.method().name());
            b.append(' ');
            escaped(b, req.head().target().raw());
            b.append(' ').append(req.version().text());
        } else {
            b.append('-');
        }
        b.append("\" ").append(res.status()).append(' ');
        long bytes = res.bodyBytes();
        if (bytes == 0) b.append('-');
        else b.append(bytes);
        b.append(" \"");
        escaped(b, req == null ? null : req.header("Referer"));
        b.append("\" \"");
        escaped(b, req == null ? null : req.header("User-Agent"));
        b.append('"');
        log(b.toString());
    }

    /** Quotes and controls escaped as Apache does, so a client cannot forge log lines. */
    private static void escaped(StringBuilder b, String s) {
        if (s == null) {
            b.append('-');
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20 || c == 0x7F) b.append(String.format("\\x%02x", (int) c));
            else b.append(c);
        }
    }

    private void run() {
        List<String> batch = new ArrayList<>(256);
        long reportedDrops = 0;
        try {
            while (true) {
                String first = queue.poll(1, TimeUnit.SECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, 4096);
                }
                boolean stop = false;
                for (String line : batch) {
                    if (line == STOP) {
                        stop = true;
                        continue;
                    }
                    out.write(line);
                    out.write('\n');
                }
                batch.clear();
                long drops = dropped.get();
                if (drops != reportedDrops) {
                    out.write("netloop: access log dropped " + (drops - reportedDrops)
                            + " line(s): the log output was slower than the traffic\n");
                    reportedDrops = drops;
                }
                if (queue.isEmpty()) out.flush();
                if (stop) break;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            System.err.println("netloop: the access log cannot be written (" + e.getMessage() + "); logging stops");
        } finally {
            try {
                out.flush();
                if (closeOut) out.close();
            } catch (IOException e) {
                // nothing more can be done for a log that cannot be written
            }
        }
    }

    /** Writes what is queued, then stops the writer thread (waiting up to 5 s). */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            if (!queue.offer(STOP, 5, TimeUnit.SECONDS)) writer.interrupt();
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
