package io.netloop.http;

/**
 * Receives a streamed request body piece by piece (see {@link Route#streamBody()} and
 * {@link Request#onBody}). The bytes are a slice of the connection's input buffer, valid only
 * during the call: copy what must outlive it. Nothing is aggregated, so an upload of any
 * size costs one read buffer.
 *
 * <p>Threading: called on the connection's loop thread; must not block.
 */
@FunctionalInterface
public interface BodyConsumer {
    void accept(byte[] array, int offset, int length) throws Exception;
}
