package io.netloop.http.codec;

import java.util.Objects;

/**
 * A request method: any token (RFC 9110 §9.1), compared case-sensitively. The methods RFC 9110
 * and RFC 5789 define are constants, and {@link #of} returns them without allocating; other
 * tokens are valid methods too, so extension methods reach the application.
 *
 * <p>Threading: immutable; safe from any thread.
 */
public record Method(String name) {
    public static final Method GET = new Method("GET");
    public static final Method HEAD = new Method("HEAD");
    public static final Method POST = new Method("POST");
    public static final Method PUT = new Method("PUT");
    public static final Method DELETE = new Method("DELETE");
    public static final Method CONNECT = new Method("CONNECT");
    public static final Method OPTIONS = new Method("OPTIONS");
    public static final Method TRACE = new Method("TRACE");
    public static final Method PATCH = new Method("PATCH");

    /** @throws IllegalArgumentException if {@code name} is not a token */
    public Method {
        Objects.requireNonNull(name, "name");
        if (!HttpChars.isToken(name)) throw new IllegalArgumentException("not a method token: \"" + name + "\"");
    }

    /** The constant for a standard method, or a new method for any other token. */
    public static Method of(String name) {
        return switch (name) {
            case "GET" -> GET;
            case "HEAD" -> HEAD;
            case "POST" -> POST;
            case "PUT" -> PUT;
            case "DELETE" -> DELETE;
            case "CONNECT" -> CONNECT;
            case "OPTIONS" -> OPTIONS;
            case "TRACE" -> TRACE;
            case "PATCH" -> PATCH;
            default -> new Method(name);
        };
    }

    @Override
    public String toString() {
        return name;
    }
}
