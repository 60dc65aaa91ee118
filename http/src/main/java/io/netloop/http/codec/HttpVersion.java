package io.netloop.http.codec;

/**
 * The protocol versions this server speaks. A well-formed version outside this set
 * ("HTTP/2.0", "HTTP/1.2") is answered with 505 (RFC 9110 §15.6.6), a malformed one with 400.
 *
 * <p>Threading: immutable; safe from any thread.
 */
public enum HttpVersion {
    HTTP_1_0("HTTP/1.0"),
    HTTP_1_1("HTTP/1.1");

    private final String text;

    HttpVersion(String text) {
        this.text = text;
    }

    /** The version as it appears on the wire, e.g. {@code HTTP/1.1}. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
