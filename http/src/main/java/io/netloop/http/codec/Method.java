package io.netloop.http.codec;

import java.nio.charset.StandardCharsets;
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

    /** {@link #of(String)} for the bytes {@code a[from, to)}, a token; allocates only for an extension method. */
    public static Method of(byte[] a, int from, int to) {
        Method known = switch (to - from) {
            case 3 -> is(a, from, GET) ? GET : is(a, from, PUT) ? PUT : null;
            case 4 -> is(a, from, HEAD) ? HEAD : is(a, from, POST) ? POST : null;
            case 5 -> is(a, from, PATCH) ? PATCH : is(a, from, TRACE) ? TRACE : null;
            case 6 -> is(a, from, DELETE) ? DELETE : null;
            case 7 -> is(a, from, OPTIONS) ? OPTIONS : is(a, from, CONNECT) ? CONNECT : null;
            default -> null;
        };
        return known != null ? known : new Method(new String(a, from, to - from, StandardCharsets.ISO_8859_1));
    }

    private static boolean is(byte[] a, int from, Method m) {
        String n = m.name;
        for (int i = 0; i < n.length(); i++) {
            if (a[from + i] != n.charAt(i)) return false;
        }
        return true;
    }

    @Override
    public String toString() {
        return name;
    }
}
