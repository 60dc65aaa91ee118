package io.netloop.http;

import io.netloop.core.Buffer;

/**
 * What the connections of one event loop share, so that none of it is allocated per
 * request: the cached Date, the gzip compressor, and a scratch buffer in which response
 * heads are built (each is handed to the connection, which sends or copies it at once).
 *
 * <p>Threading: one per event loop, used only on its thread. (With one loop per server
 * today there is one; a server on a group of loops would hold one per loop.)
 */
final class LoopResources implements AutoCloseable {
    private final DateCache dates = new DateCache();
    private final Gzip gzip = new Gzip();
    private final Buffer scratch = new Buffer();

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
