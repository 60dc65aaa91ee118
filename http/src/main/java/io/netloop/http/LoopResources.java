package io.netloop.http;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.loop.EventLoop;
import io.netloop.core.tcp.TcpConnection;
import java.net.InetSocketAddress;

/**
 * What the connections of one event loop share, so that none of it is allocated per
 * request: the server's settings, the cached Date, the gzip compressor, a scratch buffer in which response
 * heads are built (each is handed to the connection, which sends or copies it at once), and
 * the loop's {@link HttpLoopStats}, where each answered exchange is counted (and logged).
 *
 * <p>Threading: one per event loop, used only on its thread; {@link #loop()} and
 * {@link #stats()} (whose snapshot is a monitoring read) from any thread.
 */
final class LoopResources implements AutoCloseable {
    private final HttpServer.Settings settings;
    private final DateCache dates = new DateCache();
    private final Gzip gzip = new Gzip();
    private final Buffer scratch = new Buffer();
    private final HttpLoopStats stats = new HttpLoopStats();
    private final RequestSlot.Pool slots;
    /** Set by the first connection, so that statistics can be listed per loop. */
    private volatile EventLoop loop;

    LoopResources(HttpServer.Settings settings) {
        this.settings = settings;
        this.slots = new RequestSlot.Pool(settings.limits(), settings.checkLifetimes());
    }

    /** The loop's free request slots. */
    RequestSlot.Pool slots() {
        return slots;
    }

    /** The server's options, the same for every loop. */
    HttpServer.Settings settings() {
        return settings;
    }

    void bind(EventLoop l) {
        if (loop == null) loop = l;
    }

    EventLoop loop() {
        return loop;
    }

    HttpLoopStats stats() {
        return stats;
    }

    DateCache dates() {
        return dates;
    }

    Gzip gzip() {
        return gzip;
    }

    /** An empty buffer to build output in; it is empty again once sent. */
    Buffer scratch() {
        scratch.clear();
        if (scratch.writableBytes() > 256 * 1024) scratch.shrink(64 * 1024); // one big chunk must not pin memory
        return scratch;
    }

    /** An exchange is answered: counted, and logged when the server keeps an access log. */
    void answered(Response res, long latencyNanos, TcpConnection conn, AccessLog log) {
        stats.response(res.status(), latencyNanos);
        if (log == null) return;
        // The request's client: the PROXY header's or X-Forwarded-For's when trusted.
        InetSocketAddress client = res.request() != null ? res.request().remoteAddress() : conn.remoteAddress();
        log.log(res.request(), res, client == null ? null : client.getAddress().getHostAddress(), dates.log());
    }

    @Override
    public void close() {
        gzip.close();
    }
}
