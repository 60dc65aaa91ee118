package io.netloop.http;

/**
 * Receives a streamed request body piece by piece (see {@link Route#streamBody()} and
 * {@link Request#onBody}). The bytes are a slice of the connection's input buffer, valid only
 * during the call: copy what must outlive it. Nothing is aggregated, so an upload of any
 * size costs one read buffer.
 *
 * <p>What it throws is handled as its route's handler's failure would be: a 500 (and the
 * connection closes, the rest of the body unread), logged once.
 *
 * <p>Threading: called on the connection's loop thread; must not block.
 */
@FunctionalInterface
public interface BodyConsumer {
    void accept(byte[] array, int offset, int length) throws Exception;
}
