package io.netloop.http.codec;

/**
 * A request target that cannot be served as sent (RFC 9112 §3.2): the wrong form for its
 * method, a scheme other than http(s), userinfo, or a path that {@link PathDecoder} refuses.
 * It carries no stack trace: hostile input raises it, and its message says all there is.
 *
 * <p>Threading: immutable; safe from any thread.
 */
public class MalformedTargetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedTargetException(String message) {
        super(message, null, false, false);
    }
}
