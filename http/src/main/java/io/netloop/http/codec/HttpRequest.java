package io.netloop.http.codec;

import java.nio.charset.StandardCharsets;

/**
 * One request's head as the parser read it, with what follows from it: where the request is
 * addressed, how its body is framed, whether the connection stays open after the response and
 * whether the client waits for "100 Continue".
 *
 * <p>It is a view of the head's bytes: the method is a constant, framing and keep-alive were
 * decided on bytes, and the target, path, query, host and fields become Strings only when
 * asked (once each). A path that needs no decoding ({@code /a/b.html}: no "%", no dot
 * segments, no "//") is routed on its raw bytes.
 *
 * <p>Lifetime: the parser reuses one instance for each request of its connection, so a request
 * is valid until the response to it completes (until the next request's head, for a parser
 * driven by hand). {@link #copy} keeps one longer.
 *
 * <p>Threading: built on the connection's loop thread; the parser adds trailers to it until
 * {@link ParseResult#MESSAGE_COMPLETE}, and nothing changes it until it is reused. Not
 * thread-safe.
 */
public final class HttpRequest {
    private final HeadBytes bytes;
    private final HttpHeaders headers;
    private final HttpHeaders trailers;

    private Method method;
    private HttpVersion version;
    private int targetStart;
    private int targetEnd;
    /** The decoded path: a range of {@link #bytes} on the fast path, else {@link #decodedBytes}. */
    private byte[] decodedBytes;

    private int pathStart;
    private int pathEnd;
    private int queryStart;
    private int queryEnd;
    /** Set on the slow path (another form, or a path that needed decoding); made lazily otherwise. */
    private RequestTarget target;

    private int hostField;
    private long contentLength;
    private boolean chunked;
    private boolean keepAlive;
    private boolean expectsContinue;

    // Made on first use.
    private String path;
    private String query;
    private String host;

    HttpRequest() {
        this(new HeadBytes());
    }

    private HttpRequest(HeadBytes bytes) {
        this.bytes = bytes;
        this.headers = new HttpHeaders(bytes);
        this.trailers = new HttpHeaders(bytes);
    }

    // --- filled by the parser ------------------------------------------------------------

    HeadBytes bytes() {
        return bytes;
    }

    /** Starts the next request: forgets the last one. */
    void reset() {
        bytes.reset();
        headers.clear();
        trailers.clear();
        method = null;
        version = null;
        decodedBytes = null;
        target = null;
        path = null;
        query = null;
        host = null;
        hostField = -1;
        contentLength = 0;
        chunked = false;
        keepAlive = false;
        expectsContinue = false;
    }

    void requestLine(Method method, int targetStart, int targetEnd, HttpVersion version) {
        this.method = method;
        this.targetStart = targetStart;
        this.targetEnd = targetEnd;
        this.version = version;
    }

    int targetStart() {
        return targetStart;
    }

    int targetEnd() {
        return targetEnd;
    }

    /** An origin-form target whose path needs no decoding: path and query are ranges of the head. */
    void rawPath(int pathEnd) {
        this.pathStart = targetStart;
        this.pathEnd = pathEnd;
        this.queryStart = pathEnd < targetEnd ? pathEnd + 1 : targetEnd;
        this.queryEnd = targetEnd;
    }

    /** Any other target: taken apart with Strings (decoding allocates anyway). */
    void decodedTarget(RequestTarget t) {
        this.target = t;
        this.path = t.path();
        this.query = t.query();
        this.decodedBytes = t.path().getBytes(StandardCharsets.UTF_8);
        this.pathStart = 0;
        this.pathEnd = decodedBytes.length;
    }

    void framing(long contentLength, boolean chunked, boolean keepAlive, boolean expectsContinue, int hostField) {
        this.contentLength = contentLength;
        this.chunked = chunked;
        this.keepAlive = keepAlive;
        this.expectsContinue = expectsContinue;
        this.hostField = hostField;
    }

    // --- the request ---------------------------------------------------------------------

    public Method method() {
        return method;
    }

    /** The target taken apart by its form (made on first use for an origin-form target). */
    public RequestTarget target() {
        if (target == null) {
            String raw = rawTarget();
            String rawPath = bytes.latin1(pathStart, pathEnd);
            target = new RequestTarget(
                    RequestTarget.Form.ORIGIN,
                    raw,
                    "",
                    rawPath,
                    query(),
                    new DecodedPath(path == null ? rawPath : path, false, false));
        }
        return target;
    }

    /** The target exactly as received. */
    public String rawTarget() {
        return target != null ? target.raw() : bytes.latin1(targetStart, targetEnd);
    }

    /** The decoded, normalised path; see {@link PathDecoder}. */
    public String path() {
        if (path == null) path = bytes.latin1(pathStart, pathEnd);
        return path;
    }

    /** The raw query, without the "?"; empty when there is none. */
    public String query() {
        if (query == null) query = bytes.latin1(queryStart, queryEnd);
        return query;
    }

    /**
     * The array holding the decoded path as UTF-8, from {@link #pathOffset()} for
     * {@link #pathLength()} bytes: what a router matches without making a String. Valid as
     * long as the request.
     */
    public byte[] pathArray() {
        return decodedBytes != null ? decodedBytes : bytes.array();
    }

    public int pathOffset() {
        return pathStart;
    }

    public int pathLength() {
        return pathEnd - pathStart;
    }

    /** The target's form; {@link RequestTarget.Form#ORIGIN} unless the client sent another. */
    public RequestTarget.Form form() {
        return target == null ? RequestTarget.Form.ORIGIN : target.form();
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
        if (host == null) {
            // RFC 9112 §3.2.2: with an absolute-form target, its authority wins over the Host field.
            if (target != null && !target.authority().isEmpty()) host = target.authority();
            else host = hostField < 0 ? "" : headers.value(hostField);
        }
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

    /** A copy that stays valid after the response completes, with its own bytes. */
    public HttpRequest copy() {
        HttpRequest c = new HttpRequest(bytes.copy());
        for (int i = 0; i < headers.size(); i++) {
            c.headers.add(headers.nameStart(i), headers.nameEnd(i), headers.valueStart(i), headers.valueEnd(i));
        }
        for (int i = 0; i < trailers.size(); i++) {
            c.trailers.add(trailers.nameStart(i), trailers.nameEnd(i), trailers.valueStart(i), trailers.valueEnd(i));
        }
        c.method = method;
        c.version = version;
        c.targetStart = targetStart;
        c.targetEnd = targetEnd;
        c.decodedBytes = decodedBytes == null ? null : decodedBytes.clone();
        c.pathStart = pathStart;
        c.pathEnd = pathEnd;
        c.queryStart = queryStart;
        c.queryEnd = queryEnd;
        c.target = target;
        c.hostField = hostField;
        c.contentLength = contentLength;
        c.chunked = chunked;
        c.keepAlive = keepAlive;
        c.expectsContinue = expectsContinue;
        return c;
    }

    @Override
    public String toString() {
        return method + " " + rawTarget() + " " + version;
    }
}
