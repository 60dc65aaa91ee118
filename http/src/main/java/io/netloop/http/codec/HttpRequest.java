package io.netloop.http.codec;

/**
 * One request's head as the parser read it, with what follows from it: where the request is
 * addressed, how its body is framed, whether the connection stays open after the response and
 * whether the client waits for "100 Continue". Each request gets its own instance, so a handler
 * may keep it after the parser has moved on to the next request.
 *
 * <p>Threading: built on the connection's loop thread; the parser adds trailers to it until
 * {@link ParseResult#MESSAGE_COMPLETE}, and nothing changes it afterwards. Not thread-safe.
 */
public final class HttpRequest {
    private final Method method;
    private final RequestTarget target;
    private final HttpVersion version;
    private final HttpHeaders headers;
    private final HttpHeaders trailers = new HttpHeaders();
    private final String host;
    private final long contentLength;
    private final boolean chunked;
    private final boolean keepAlive;
    private final boolean expectsContinue;

    HttpRequest(
            Method method,
            RequestTarget target,
            HttpVersion version,
            HttpHeaders headers,
            long contentLength,
            boolean chunked) {
        this.method = method;
        this.target = target;
        this.version = version;
        this.headers = headers;
        this.contentLength = contentLength;
        this.chunked = chunked;
        // RFC 9112 §3.2.2: with an absolute-form target, its authority wins over the Host field.
        String hostField = headers.get("Host");
        this.host = !target.authority().isEmpty() ? target.authority() : hostField == null ? "" : hostField;
        // RFC 9112 §9.3: HTTP/1.1 is persistent unless "close" is sent; HTTP/1.0 only with "keep-alive".
        boolean close = headers.containsToken("Connection", "close");
        this.keepAlive =
                !close && (version == HttpVersion.HTTP_1_1 || headers.containsToken("Connection", "keep-alive"));
        // RFC 9110 §10.1.1: a server MUST ignore a 100-continue expectation in an HTTP/1.0 request.
        this.expectsContinue = version == HttpVersion.HTTP_1_1 && headers.containsToken("Expect", "100-continue");
    }

    public Method method() {
        return method;
    }

    public RequestTarget target() {
        return target;
    }

    /** The decoded, normalised path; see {@link PathDecoder}. */
    public String path() {
        return target.path();
    }

    /** The raw query, without the "?"; empty when there is none. */
    public String query() {
        return target.query();
    }

    public HttpVersion version() {
        return version;
    }

    public HttpHeaders headers() {
        return headers;
    }

    /** The trailer section of a chunked body; complete once the message is. Kept apart from the headers (RFC 9110 §6.5). */
    public HttpHeaders trailers() {
        return trailers;
    }

    /** The authority the request is for: the target's, else the Host field's; empty if neither names one. */
    public String host() {
        return host;
    }

    /** The declared body length; 0 without a body, -1 for a chunked body, whose length is unknown. */
    public long contentLength() {
        return chunked ? -1 : contentLength;
    }

    public boolean isChunked() {
        return chunked;
    }

    public boolean hasBody() {
        return chunked || contentLength > 0;
    }

    /** Whether the connection may carry another request after this one's response. */
    public boolean isKeepAlive() {
        return keepAlive;
    }

    /** Whether the client sent {@code Expect: 100-continue} and waits for an interim response before the body. */
    public boolean expectsContinue() {
        return expectsContinue;
    }

    @Override
    public String toString() {
        return method + " " + target.raw() + " " + version;
    }
}
