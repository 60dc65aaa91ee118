package io.netloop.http.multipart;

import io.netloop.http.Response;

/**
 * What a route does with one form's parts as they arrive: a new handler per request. The
 * calls come in order: for each part {@link #onPart}, its body's pieces ({@link #onData}),
 * {@link #onPartEnd}; then {@link #onComplete} once the closing boundary has arrived, or
 * {@link #onRefused} if the form was refused on the way.
 *
 * <p>Owned by one request. Threading: every call runs on the connection's loop thread, one at
 * a time, and must not block (hand bytes to a virtual thread to write them to a slow disk). An
 * exception thrown here fails the request with 500.
 */
public interface PartHandler {
    /** A part's headers have arrived. */
    void onPart(Part part) throws Exception;

    /**
     * A piece of the current part's body. The bytes are a slice of a parser buffer valid only
     * during the call: copy what must outlive it.
     */
    void onData(byte[] array, int offset, int length) throws Exception;

    /** The current part's body is complete. */
    default void onPartEnd() throws Exception {}

    /** The whole form has arrived: answer with {@code response}. */
    void onComplete(Response response) throws Exception;

    /**
     * The form was refused (the client has been answered with {@code refusal}'s status and
     * message, and the connection closes): drop what was kept of it.
     */
    default void onRefused(MultipartException refusal) {}
}
