package io.netloop.http.codec;

/**
 * One field line of a header or trailer section: the name as received and the value with its
 * surrounding whitespace removed (RFC 9112 §5). Bytes outside ASCII (obs-text) map one to one
 * onto ISO-8859-1 characters, so no byte is lost or invented.
 *
 * <p>Threading: immutable; safe from any thread.
 */
public record HeaderField(String name, String value) {}
