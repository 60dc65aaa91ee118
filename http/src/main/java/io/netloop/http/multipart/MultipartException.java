package io.netloop.http.multipart;

/**
 * A form refused: malformed (400) or over a {@link MultipartLimits} limit (413). The message is
 * what the client is told, so it says what was wrong and, for a limit, which one.
 *
 * <p>Threading: immutable once thrown.
 */
public final class MultipartException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;

    MultipartException(int status, String message) {
        super(message);
        this.status = status;
    }

    static MultipartException malformed(String message) {
        return new MultipartException(400, message);
    }

    static MultipartException tooLarge(String message) {
        return new MultipartException(413, message);
    }

    /** 400 (malformed), 413 (over a limit) or 415 (not multipart/form-data). */
    public int status() {
        return status;
    }
}
