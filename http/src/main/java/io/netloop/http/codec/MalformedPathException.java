package io.netloop.http.codec;

/**
 * A path that {@link PathDecoder} refuses: broken percent-encoding, bytes that are not UTF-8,
 * an encoded NUL, or a ".." that would climb above the root.
 *
 * <p>Threading: immutable; safe from any thread.
 */
public final class MalformedPathException extends MalformedTargetException {
    private static final long serialVersionUID = 1L;

    public MalformedPathException(String message) {
        super(message);
    }
}
