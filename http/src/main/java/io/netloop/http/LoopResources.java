package io.netloop.http;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.loop.EventLoop;

/**
 * What the connections of one event loop share, so that none of it is allocated per
 * request: the cached Date, the gzip compressor, a scratch buffer in which response
 * heads are built (each is handed to the connection, which sends or copies it at once), and
 * the loop's {@link HttpLoopStats}.
 *
 * <p>Threading: one per event loop, used only on its thread; {@link #loop()} and
 * {@link #stats()} (whose snapshot is a monitoring read) from any thread.
 */
final class LoopResources implements AutoCloseable {
    private final DateCache dates = new DateCache();
    private final Gzip gzip = new Gzip();
    private final Buffer scratch = new Buffer();
    private final HttpLoopStats stats = new HttpLoopStats();
    /** Set by the first connection, so that statistics can be listed per loop. */
    private volatile EventLoop loop;

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

    @Override
    public void close() {
        gzip.close();
    }
}
