package io.netloop.http.codec;

/**
 * What one call of {@link HttpParser#parse} produced. A request always reads as
 * {@code HEAD_COMPLETE, BODY*, MESSAGE_COMPLETE}, with {@code NEED_MORE} wherever the input ran
 * out, or ends early in {@code ERROR}.
 *
 * <p>Threading: immutable; safe from any thread.
 */
public enum ParseResult {
    /** Every readable byte was used; read more from the socket and call again. */
    NEED_MORE,
    /** The request line and header section are parsed: {@link HttpParser#request()} has them. */
    HEAD_COMPLETE,
    /**
     * A run of body bytes is available as a slice of the input buffer's array
     * ({@link HttpParser#bodyArray()}, {@link HttpParser#bodyOffset()},
     * {@link HttpParser#bodyLength()}); use it before the buffer is next written to.
     */
    BODY,
    /** The request, with its body and trailers, is complete; the next call starts the next one. */
    MESSAGE_COMPLETE,
    /** The request is refused: {@link HttpParser#error()} says with which status and whether to close. */
    ERROR
}
