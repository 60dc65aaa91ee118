package io.netloop.http.codec;

import java.util.Locale;

/**
 * The request target, taken apart by its form (RFC 9112 §3.2).
 *
 * <p>Threading: immutable; safe from any thread.
 *
 * @param form        which of the four forms the client sent
 * @param raw         the target exactly as received
 * @param authority   host[:port] of an absolute- or authority-form target; empty otherwise
 * @param rawPath     the path as received, before the "?"; "/" for an absolute-form target with
 *                    an empty path (RFC 9110 §4.2.3), "*" for asterisk-form, empty for authority-form
 * @param query       the query as received, after the "?", not decoded (its encoding is the
 *                    application's to choose); empty when there is none
 * @param decodedPath the path after {@link PathDecoder}
 */
public record RequestTarget(
        Form form, String raw, String authority, String rawPath, String query, DecodedPath decodedPath) {

    /** The four forms of RFC 9112 §3.2. */
    public enum Form {
        /** {@code /path?query}, the form for requests to an origin server. */
        ORIGIN,
        /** {@code http://host/path?query}, the proxy form, which servers must accept too (§3.2.2). */
        ABSOLUTE,
        /** {@code host:port}, only for CONNECT (§3.2.3). */
        AUTHORITY,
        /** {@code *}, only for a server-wide OPTIONS (§3.2.4). */
        ASTERISK
    }

    /** The decoded, normalised path. */
    public String path() {
        return decodedPath.path();
    }

    /**
     * Takes {@code raw} apart for a request with {@code method}. The raw target must already hold
     * only visible ASCII without "#" (the parser checks that while reading the request line).
     *
     * @throws MalformedTargetException if the form does not suit the method or a part is malformed
     */
    public static RequestTarget parse(Method method, String raw) {
        if (method.equals(Method.CONNECT)) {
            if (!HostSyntax.isValidAuthority(raw, true))
                throw new MalformedTargetException("CONNECT needs an authority-form target");
            return new RequestTarget(Form.AUTHORITY, raw, raw, "", "", new DecodedPath("", false, false));
        }
        if (raw.equals("*")) {
            if (!method.equals(Method.OPTIONS)) throw new MalformedTargetException("asterisk-form is only for OPTIONS");
            return new RequestTarget(Form.ASTERISK, raw, "", "*", "", new DecodedPath("*", false, false));
        }
        if (raw.startsWith("/")) return pathAndQuery(Form.ORIGIN, raw, "", raw);
        int schemeEnd = raw.indexOf("://");
        if (schemeEnd > 0) return absolute(raw, schemeEnd);
        throw new MalformedTargetException("unrecognised request-target form");
    }

    private static RequestTarget absolute(String raw, int schemeEnd) {
        // Only http and https have the authority and path semantics this server serves (RFC 9110 §4.2).
        String scheme = raw.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https"))
            throw new MalformedTargetException("unsupported URI scheme");
        int authorityStart = schemeEnd + 3;
        int authorityEnd = authorityStart;
        while (authorityEnd < raw.length() && raw.charAt(authorityEnd) != '/' && raw.charAt(authorityEnd) != '?')
            authorityEnd++;
        String authority = raw.substring(authorityStart, authorityEnd);
        // RFC 9110 §4.2.4: userinfo in an http(s) URI is to be treated as an error.
        if (authority.indexOf('@') >= 0) throw new MalformedTargetException("userinfo in request target");
        if (!HostSyntax.isValidAuthority(authority, false))
            throw new MalformedTargetException("invalid authority in request target");
        String rest = raw.substring(authorityEnd);
        // RFC 9110 §4.2.3: an empty path is equivalent to "/".
        if (rest.isEmpty() || rest.charAt(0) == '?') rest = "/" + rest;
        return pathAndQuery(Form.ABSOLUTE, raw, authority, rest);
    }

    private static RequestTarget pathAndQuery(Form form, String raw, String authority, String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        String rawPath = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        return new RequestTarget(form, raw, authority, rawPath, query, PathDecoder.decode(rawPath));
    }
}
