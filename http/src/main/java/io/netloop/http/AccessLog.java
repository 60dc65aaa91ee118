package io.netloop.http;

import io.netloop.core.loop.EventLoop;
import io.netloop.core.loop.TimingWheel;
import io.netloop.http.codec.HttpHeaders;
import io.netloop.http.codec.HttpRequest;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The access log, one line per response in the combined log format:
 * {@code host - - [time] "request line" status bytes "referer" "user-agent"}.
 *
 * <p>Logging never blocks a loop and makes nothing per line: each loop formats its lines as
 * bytes, straight from the request's head, into a 64 KiB chunk of its own ({@link LoopLog}),
 * and hands the chunk to one background writer thread when it is full or a fifth of a second
 * after its first line, much as nginx's {@code access_log ... buffer=64k flush=1s} does; the
 * writer writes each chunk with one call and gives it back. A loop has two chunks, and makes
 * more only while the writer is behind, up to sixteen (1 MiB); when all are with the writer (the disk or terminal is slower than the traffic) lines are dropped and
 * counted, and the writer puts a line saying how many into the log once it catches up.
 *
 * <p>Quotes, backslashes, control characters and bytes beyond ASCII in the request line,
 * Referer and User-Agent are escaped ({@code \"}, {@code \\}, {@code \xHH}), so that a
 * client cannot forge a log line.
 *
 * <p>Owns its writer thread and, for a file, the file; {@link #close} writes what was handed
 * over, flushes and stops the thread. Threading: {@link #log(String)} from any thread; a
 * {@link LoopLog} from its loop's thread.
 */
public final class AccessLog implements AutoCloseable {
    static final int CHUNK_BYTES = 64 * 1024;
    /** A loop starts with two chunks and makes more, up to this many, only while the writer is behind. */
    private static final int CHUNKS_PER_LOOP = 16;

    private static final long FLUSH_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final Chunk STOP = new Chunk(new byte[0]);

    /** Chunks handed over, in order; bounded by the loops' chunks (and lines from {@link #log(String)}). */
    private final ArrayBlockingQueue<Chunk> full = new ArrayBlockingQueue<>(16 * 1024);

    private final AtomicLong dropped = new AtomicLong();
    private final OutputStream out;
    private final boolean closeOut;
    private final Thread writer;
    private volatile boolean closed;

    private AccessLog(OutputStream out, boolean closeOut) {
        this.out = out;
        this.closeOut = closeOut;
        this.writer = Thread.ofPlatform().name("http-access-log").daemon(true).unstarted(this::run);
        writer.start();
    }

    /** Logs to {@code stream} (e.g. System.out), which stays open. */
    public static AccessLog to(OutputStream stream) {
        return new AccessLog(stream, false);
    }

    /** Appends to {@code file}, creating it. */
    public static AccessLog toFile(Path file) throws IOException {
        return new AccessLog(new FileOutputStream(file.toFile(), true), true);
    }

    /** Lines dropped because the writer was behind. */
    public long droppedCount() {
        return dropped.get();
    }

    /** Queues one line (without its newline); drops and counts it when the writer is too far behind. */
    public void log(String line) {
        if (closed || !full.offer(new Chunk((line + "\n").getBytes(StandardCharsets.UTF_8)))) dropped.incrementAndGet();
    }

    /** The side of this log one loop writes into. */
    LoopLog forLoop(EventLoop loop) {
        return new LoopLog(loop);
    }

    private void run() {
        long reportedDrops = 0;
        try {
            while (true) {
                Chunk c = full.poll(1, TimeUnit.SECONDS);
                if (c == STOP) break;
                if (c != null) {
                    out.write(c.bytes, 0, c.length);
                    c.release();
                }
                long drops = dropped.get();
                if (drops != reportedDrops) {
                    out.write(("netloop: access log dropped " + (drops - reportedDrops)
                                    + " line(s): the log output was slower than the traffic\n")
                            .getBytes(StandardCharsets.UTF_8));
                    reportedDrops = drops;
                }
                if (full.isEmpty()) out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            System.err.println("netloop: the access log cannot be written (" + e.getMessage() + "); logging stops");
        } finally {
            try {
                Chunk c;
                while ((c = full.poll()) != null) {
                    if (c != STOP) out.write(c.bytes, 0, c.length);
                }
                out.flush();
                if (closeOut) out.close();
            } catch (IOException e) {
                System.err.println("netloop: the access log's last lines are lost (" + e.getMessage() + ")");
            }
        }
    }

    /** Writes what was handed over, then stops the writer thread (waiting up to 5 s). */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            if (!full.offer(STOP, 5, TimeUnit.SECONDS)) writer.interrupt();
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Bytes of log lines, owned by a loop while it fills them and by the writer while it writes them. */
    private static final class Chunk {
        final ArrayBlockingQueue<Chunk> home;
        final byte[] bytes;
        int length;

        /** An empty chunk of a loop's, to fill and give back to {@code home}. */
        Chunk(ArrayBlockingQueue<Chunk> home, int size) {
            this.home = home;
            this.bytes = new byte[size];
        }

        /** A full chunk of its own (a line from {@link #log(String)}), dropped once written. */
        Chunk(byte[] line) {
            this.home = null;
            this.bytes = line;
            this.length = line.length;
        }

        /** Written: back to its loop's free chunks. Writer thread. */
        void release() {
            length = 0;
            if (home != null) home.offer(this);
        }
    }

    /**
     * One loop's lines: formatted into its current chunk, handed to the writer when full or
     * {@value #FLUSH_NANOS} ns after the chunk's first line (a timeout on the loop's wheel, one
     * per loop), and dropped when the loop has no free chunk. Threading: the loop's thread,
     * and {@link #handOver} from a thread that closes the server once the loop has stopped.
     */
    final class LoopLog implements Runnable {
        private final EventLoop loop;
        private final ArrayBlockingQueue<Chunk> free = new ArrayBlockingQueue<>(CHUNKS_PER_LOOP);
        private int chunks;
        private Chunk current;
        private TimingWheel.Timeout flush;

        private LoopLog(EventLoop loop) {
            this.loop = loop;
            for (; chunks < 2; chunks++) free.offer(new Chunk(free, CHUNK_BYTES));
        }

        /** Formats and queues the line for one response. Loop thread. */
        void log(Request req, Response res, InetSocketAddress client, String time) {
            if (closed) {
                dropped.incrementAndGet();
                return;
            }
            if (current == null || CHUNK_BYTES - current.length < 512) {
                handOver();
                current = free.poll();
                if (current == null && chunks < CHUNKS_PER_LOOP) {
                    chunks++;
                    current = new Chunk(free, CHUNK_BYTES); // the writer is behind: one more, once
                }
                if (current == null) {
                    dropped.incrementAndGet();
                    return;
                }
            }
            int start = current.length;
            if (!format(req, res, client, time)) {
                current.length = start; // a line longer than what is left of the chunk: drop it whole
                if (start == 0) {
                    dropped.incrementAndGet();
                    return;
                }
                handOver();
                log(req, res, client, time);
                return;
            }
            if (start == 0) {
                TimingWheel wheel = loop.wheel();
                if (flush == null) flush = wheel.schedule(this, FLUSH_NANOS, loop.nowNanos());
                else wheel.reschedule(flush, FLUSH_NANOS, loop.nowNanos());
            }
        }

        /** The flush timeout: the chunk goes out with what it has. */
        @Override
        public void run() {
            handOver();
        }

        /** Gives the current chunk, if it holds lines, to the writer. */
        void handOver() {
            Chunk c = current;
            if (c == null || c.length == 0) return;
            current = null;
            if (!full.offer(c)) {
                dropped.incrementAndGet();
                c.release();
            }
        }

        // --- formatting: each append checks the room left, and says false when there is none ---

        private boolean format(Request req, Response res, InetSocketAddress client, String time) {
            return address(client == null ? null : client.getAddress())
                    && ascii(" - - [")
                    && ascii(time)
                    && ascii("] \"")
                    && requestLine(req)
                    && ascii("\" ")
                    && decimal(res.status())
                    && ascii(" ")
                    && (res.bodyBytes() == 0 ? ascii("-") : decimal(res.bodyBytes()))
                    && ascii(" \"")
                    && field(req, "Referer")
                    && ascii("\" \"")
                    && field(req, "User-Agent")
                    && ascii("\"\n");
        }

        private boolean requestLine(Request req) {
            if (req == null) return ascii("-");
            HttpRequest h = req.head();
            return ascii(h.method().name())
                    && ascii(" ")
                    && escaped(h.headArray(), h.targetOffset(), h.targetOffset() + h.targetLength())
                    && ascii(" ")
                    && ascii(h.version().text());
        }

        private boolean field(Request req, String name) {
            if (req == null) return ascii("-");
            HttpHeaders headers = req.headers();
            int i = headers.indexOf(name, 0);
            if (i < 0) return ascii("-");
            return escaped(headers.array(), headers.valueOffset(i), headers.valueOffset(i) + headers.valueLength(i));
        }

        private boolean address(InetAddress a) {
            if (a == null) return ascii("-");
            if (a instanceof Inet4Address) {
                int ip = a.hashCode(); // an IPv4 address's hash is the address: nothing made
                return decimal(ip >>> 24)
                        && ascii(".")
                        && decimal((ip >>> 16) & 0xFF)
                        && ascii(".")
                        && decimal((ip >>> 8) & 0xFF)
                        && ascii(".")
                        && decimal(ip & 0xFF);
            }
            return ascii(a.getHostAddress());
        }

        private boolean ascii(String s) {
            int n = s.length();
            if (current.bytes.length - current.length < n) return false;
            for (int i = 0; i < n; i++) current.bytes[current.length++] = (byte) s.charAt(i);
            return true;
        }

        private boolean decimal(long v) {
            int digits = 1;
            for (long p = 10; digits < 19 && v >= p; p *= 10) digits++;
            if (current.bytes.length - current.length < digits) return false;
            for (int i = current.length + digits - 1; i >= current.length; i--) {
                current.bytes[i] = (byte) ('0' + v % 10);
                v /= 10;
            }
            current.length += digits;
            return true;
        }

        /** Quotes and backslashes escaped with a backslash, controls and non-ASCII bytes as \xHH (nginx's way). */
        private boolean escaped(byte[] a, int from, int to) {
            for (int i = from; i < to; i++) {
                int b = a[i] & 0xFF;
                if (current.bytes.length - current.length < 4) return false;
                if (b == '"' || b == '\\') {
                    current.bytes[current.length++] = '\\';
                    current.bytes[current.length++] = (byte) b;
                } else if (b < 0x20 || b >= 0x7F) {
                    current.bytes[current.length++] = '\\';
                    current.bytes[current.length++] = 'x';
                    current.bytes[current.length++] = HEX[b >>> 4];
                    current.bytes[current.length++] = HEX[b & 0xF];
                } else {
                    current.bytes[current.length++] = (byte) b;
                }
            }
            return true;
        }
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
}
