package io.netloop.http.codec;

import io.netloop.core.buffer.Buffer;

/**
 * Reads HTTP/1.1 requests (RFC 9112) from a connection's input buffer as the bytes arrive, in
 * pieces of any size: a state machine that stops wherever the input ends and resumes there.
 *
 * <p>Use: after each socket read, call {@link #parse} until it returns
 * {@link ParseResult#NEED_MORE}. A request reads as {@code HEAD_COMPLETE} ({@link #request()}
 * holds the head), then {@code BODY} once per run of body bytes, then {@code MESSAGE_COMPLETE};
 * the next call starts the next pipelined request. {@code ERROR} ends it early; {@link #error()}
 * gives the status and whether the connection must close.
 *
 * <p>Copying: the parser takes only what it has parsed from the buffer. A head line stays in the
 * buffer until its CRLF has arrived (the parser remembers how far it searched, so each byte is
 * searched once); body bytes are never copied but handed out as a slice of the buffer's array
 * and skipped. The slice stays valid until the buffer is next written to.
 *
 * <p>Strictness, where RFC 9112 leaves a choice, always on the side that keeps a front-end and
 * this server from disagreeing about where a request ends (request smuggling):
 * <ul>
 *   <li>Lines end in CRLF only. A bare LF, which §2.2 lets a recipient accept, is refused (400),
 *       and so is a CR that is not followed by LF.
 *   <li>A request with both Transfer-Encoding and Content-Length is refused (§6.1 allows it).
 *   <li>Content-Length given more than once, or as a list, is accepted only when every value is
 *       textually the same (RFC 9110 §8.6); anything else is 400.
 *   <li>Transfer-Encoding in an HTTP/1.0 request is refused (§6.1: its framing is faulty).
 *   <li>Obsolete line folding is refused (§5.2), as is whitespace before a field's colon (§5.1).
 *   <li>Chunk extensions and quoted strings follow the grammar of §7.1.1 exactly.
 * </ul>
 * Empty lines before a request line are skipped (§2.2), within the request-line limit.
 *
 * <p>Errors: syntax and framing errors leave the parser failed for good; the connection must
 * close. A request whose syntax and framing are sound but which is still unacceptable (its
 * target's form or path, its Host field) gets an error that keeps the connection when it has no
 * body, and the next call parses the next request. Body size is checked from the call after
 * {@code HEAD_COMPLETE}, so a route may first raise the limit with {@link #bodyLimit(long)}.
 *
 * <p>After a CONNECT or an upgrade has been granted, what follows on the connection is not
 * HTTP/1.1; the caller stops parsing there.
 *
 * <p>Threading: confined to one connection's loop thread; not thread-safe.
 */
public final class HttpParser {
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte SP = ' ';
    private static final int NEED = -1;
    private static final int TOO_LONG = -2;
    private static final int BARE_LF = -3;
    // A chunk-size line may hold the 16 hex digits of the largest long plus the extension limit;
    // leading zeros beyond 16 digits eat into the extension's share.
    private static final int MAX_CHUNK_SIZE_DIGITS = 16;

    private enum State {
        REQUEST_LINE,
        HEADER_LINE,
        BODY_START,
        FIXED_BODY,
        CHUNK_SIZE_LINE,
        CHUNK_DATA,
        CHUNK_DATA_CR,
        CHUNK_DATA_LF,
        TRAILER_LINE,
        FAILED
    }

    private final HttpLimits limits;
    private State state = State.REQUEST_LINE;

    // The pending line: how many of its bytes were already searched for LF.
    private int scanned;
    private int leadingEmptyLineBytes;
    private int sectionBytes;

    // The request being read: one instance, reused (see HttpRequest on its lifetime).
    private final HttpRequest request = new HttpRequest();
    private HttpVersion version;
    private long contentLength;
    private boolean chunked;

    // The framing fields, noted on bytes as the field lines arrive (RFC 9112 §6.3).
    private int hostFields;
    private int hostField;
    private boolean transferEncoding;
    private boolean contentLengthSeen;
    private String contentLengthProblem;
    private int firstLengthStart;
    private int firstLengthEnd;
    private boolean connectionClose;
    private boolean connectionKeepAlive;
    private boolean expectContinue;

    private long bodyLimit;
    private long remaining;
    private long chunkedBodyBytes;

    private byte[] bodyArray;
    private int bodyOffset;
    private int bodyLength;
    private ParseError error;

    public HttpParser() {
        this(HttpLimits.DEFAULT);
    }

    public HttpParser(HttpLimits limits) {
        this.limits = limits;
        this.bodyLimit = limits.maxBodySize();
    }

    /**
     * Forgets everything, failure included, for a parser that is reused on another connection;
     * its request is reset when the next request line arrives.
     */
    public void reset() {
        resetForNextMessage();
        error = null;
        bodyArray = null;
        bodyOffset = 0;
        bodyLength = 0;
        bodyLimit = limits.maxBodySize();
    }

    public HttpLimits limits() {
        return limits;
    }

    /**
     * Parses from {@code in}'s readable bytes until there is something to report, skipping only
     * the bytes it has parsed.
     */
    public ParseResult parse(Buffer in) {
        bodyArray = null;
        bodyOffset = 0;
        bodyLength = 0;
        if (state != State.FAILED) error = null;
        while (true) {
            ParseResult result = switch (state) {
                case REQUEST_LINE -> requestLine(in);
                case HEADER_LINE -> fieldLine(in, false);
                case BODY_START -> startBody();
                case FIXED_BODY -> fixedBody(in);
                case CHUNK_SIZE_LINE -> chunkSizeLine(in);
                case CHUNK_DATA -> chunkData(in);
                case CHUNK_DATA_CR -> chunkDataEnd(in, CR, State.CHUNK_DATA_LF);
                case CHUNK_DATA_LF -> chunkDataEnd(in, LF, State.CHUNK_SIZE_LINE);
                case TRAILER_LINE -> fieldLine(in, true);
                case FAILED -> ParseResult.ERROR;
            };
            if (result != null) return result;
        }
    }

    /** The head of the request being read, from {@link ParseResult#HEAD_COMPLETE} until the next one. */
    public HttpRequest request() {
        return request;
    }

    /** The array holding the body bytes of the last {@link ParseResult#BODY}: the input buffer's own. */
    public byte[] bodyArray() {
        return bodyArray;
    }

    public int bodyOffset() {
        return bodyOffset;
    }

    public int bodyLength() {
        return bodyLength;
    }

    /** Why the last {@link ParseResult#ERROR} was returned; {@code null} after any other result. */
    public ParseError error() {
        return error;
    }

    /** The body limit in force for the current request. */
    public long bodyLimit() {
        return bodyLimit;
    }

    /**
     * Sets the body limit for the current request only, e.g. after {@link ParseResult#HEAD_COMPLETE}
     * for a route that takes uploads; the next request starts again at {@link HttpLimits#maxBodySize()}.
     */
    public void bodyLimit(long maxBytes) {
        if (maxBytes < 0) throw new IllegalArgumentException("body limit must not be negative: " + maxBytes);
        bodyLimit = maxBytes;
    }

    // ---- head ----

    private ParseResult requestLine(Buffer in) {
        int len = nextLine(in, (long) limits.maxRequestLineLength() - leadingEmptyLineBytes);
        if (len < 0) return lineFailure(len, 414, "request line too long");
        if (len == 0) {
            // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request-line
            // (old clients send a CRLF after a POST body).
            in.skip(2);
            leadingEmptyLineBytes += 2;
            return null;
        }
        int start = in.readerIndex();
        request.reset();
        ParseResult failure = readRequestLine(in.array(), start, start + len);
        if (failure != null) return failure;
        in.skip(len + 2);
        startHeaderSection();
        sectionBytes = 0;
        state = State.HEADER_LINE;
        return null;
    }

    // RFC 9112 §3: request-line = method SP request-target SP HTTP-version, single spaces only.
    private ParseResult readRequestLine(byte[] a, int start, int end) {
        if (indexOf(a, start, end, CR) >= 0) return fatal(400, "bare CR in request line");
        int sp1 = indexOf(a, start, end, SP);
        int sp2 = sp1 < 0 ? -1 : indexOf(a, sp1 + 1, end, SP);
        if (sp2 < 0 || indexOf(a, sp2 + 1, end, SP) >= 0) return fatal(400, "malformed request line");
        if (!HttpChars.isToken(a, start, sp1)) return fatal(400, "invalid method");
        ParseResult versionFailure = readVersion(a, sp2 + 1, end);
        if (versionFailure != null) return versionFailure;
        if (sp2 == sp1 + 1) return fatal(400, "empty request target");
        for (int i = sp1 + 1; i < sp2; i++) {
            int b = a[i] & 0xFF;
            // A URI is visible ASCII (RFC 3986 §2); a fragment is never sent (RFC 9112 §3.2).
            if (b <= 0x20 || b >= 0x7F || b == '#') return fatal(400, "invalid character in request target");
        }
        int base = request.bytes().append(a, start, end - start) - start;
        request.requestLine(Method.of(a, start, sp1), base + sp1 + 1, base + sp2, version);
        return null;
    }

    // RFC 9112 §2.3: HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive.
    private ParseResult readVersion(byte[] a, int start, int end) {
        if (end - start != 8
                || a[start] != 'H'
                || a[start + 1] != 'T'
                || a[start + 2] != 'T'
                || a[start + 3] != 'P'
                || a[start + 4] != '/'
                || !HttpChars.isDigit(a[start + 5])
                || a[start + 6] != '.'
                || !HttpChars.isDigit(a[start + 7])) {
            return fatal(400, "malformed HTTP version");
        }
        int major = a[start + 5] - '0';
        int minor = a[start + 7] - '0';
        if (major == 1 && minor == 1) version = HttpVersion.HTTP_1_1;
        else if (major == 1 && minor == 0) version = HttpVersion.HTTP_1_0;
        else return fatal(505, "HTTP version not supported");
        return null;
    }

    private ParseResult fieldLine(Buffer in, boolean trailer) {
        int len = nextLine(in, (long) limits.maxHeaderSectionSize() - sectionBytes - 2);
        if (len < 0) return lineFailure(len, 431, trailer ? "trailer section too large" : "header section too large");
        if (len == 0) {
            in.skip(2);
            sectionBytes += 2;
            return trailer ? completeMessage() : completeHead();
        }
        HttpHeaders fields = trailer ? request.trailers() : request.headers();
        if (fields.size() == limits.maxHeaderFields())
            return fatal(431, trailer ? "too many trailer fields" : "too many header fields");
        int start = in.readerIndex();
        ParseResult failure = readFieldLine(in.array(), start, start + len, fields);
        if (failure != null) return failure;
        in.skip(len + 2);
        sectionBytes += len + 2;
        return null;
    }

    // RFC 9112 §5: field-line = field-name ":" OWS field-value OWS
    private ParseResult readFieldLine(byte[] a, int start, int end, HttpHeaders fields) {
        // RFC 9112 §5.2 (obs-fold) and §2.2 (whitespace after the start-line): reject, don't unfold.
        if (HttpChars.isWhitespace(a[start])) return fatal(400, "obsolete line folding");
        int colon = start;
        while (colon < end && a[colon] != ':') {
            byte b = a[colon];
            // RFC 9112 §5.1: whitespace between name and colon MUST be rejected with 400.
            if (HttpChars.isWhitespace(b)) return fatal(400, "whitespace before colon");
            if (b == CR) return fatal(400, "bare CR in field line");
            if (!HttpChars.isTchar(b)) return fatal(400, "invalid character in field name");
            colon++;
        }
        if (colon == end) return fatal(400, "field line without colon");
        if (colon == start) return fatal(400, "empty field name");
        int valueStart = colon + 1;
        int valueEnd = end;
        while (valueStart < valueEnd && HttpChars.isWhitespace(a[valueStart])) valueStart++;
        while (valueEnd > valueStart && HttpChars.isWhitespace(a[valueEnd - 1])) valueEnd--;
        for (int i = valueStart; i < valueEnd; i++) {
            int b = a[i] & 0xFF;
            // RFC 9110 §5.5: field-vchar = VCHAR / obs-text, with SP and HTAB inside; CR, LF and NUL
            // MUST be rejected, and the other controls have no business there either.
            if (b == CR) return fatal(400, "bare CR in field value");
            if ((b < 0x20 && b != '\t') || b == 0x7F) return fatal(400, "control character in field value");
        }
        int base = request.bytes().append(a, start, end - start) - start;
        fields.add(base + start, base + colon, base + valueStart, base + valueEnd);
        if (fields == request.headers()) noteField(fields.size() - 1, base + start, base + colon);
        return null;
    }

    private void startHeaderSection() {
        hostFields = 0;
        hostField = -1;
        transferEncoding = false;
        contentLengthSeen = false;
        contentLengthProblem = null;
        connectionClose = false;
        connectionKeepAlive = false;
        expectContinue = false;
    }

    /** Notes what a field of the head means for framing and the connection, on its bytes. */
    private void noteField(int index, int nameStart, int nameEnd) {
        byte[] a = request.bytes().array();
        HttpHeaders h = request.headers();
        switch (nameEnd - nameStart) {
            case 4 -> {
                if (HttpChars.equalsIgnoreCase(a, nameStart, nameEnd, "Host")) {
                    if (hostFields++ == 0) hostField = index;
                }
            }
            case 6 -> {
                if (HttpChars.equalsIgnoreCase(a, nameStart, nameEnd, "Expect")
                        && h.valueHoldsToken(index, "100-continue")) expectContinue = true;
            }
            case 10 -> {
                if (HttpChars.equalsIgnoreCase(a, nameStart, nameEnd, "Connection")) {
                    if (h.valueHoldsToken(index, "close")) connectionClose = true;
                    if (h.valueHoldsToken(index, "keep-alive")) connectionKeepAlive = true;
                }
            }
            case 14 -> {
                if (HttpChars.equalsIgnoreCase(a, nameStart, nameEnd, "Content-Length"))
                    noteContentLength(a, h.valueStart(index), h.valueEnd(index));
            }
            case 17 -> {
                if (HttpChars.equalsIgnoreCase(a, nameStart, nameEnd, "Transfer-Encoding")) transferEncoding = true;
            }
            default -> {}
        }
    }

    // RFC 9110 §8.6: Content-Length = 1*DIGIT; a list, or a repeated field, only of identical values.
    private void noteContentLength(byte[] a, int from, int to) {
        for (int i = from; i <= to; ) {
            int comma = i;
            while (comma < to && a[comma] != ',') comma++;
            int s = i;
            int e = comma;
            while (s < e && HttpChars.isWhitespace(a[s])) s++;
            while (e > s && HttpChars.isWhitespace(a[e - 1])) e--;
            if (contentLengthProblem == null) {
                if (!contentLengthSeen) {
                    contentLengthSeen = true;
                    contentLength = parseContentLength(a, s, e);
                    if (contentLength < 0) contentLengthProblem = "invalid Content-Length";
                    firstLengthStart = s;
                    firstLengthEnd = e;
                } else if (!java.util.Arrays.equals(a, s, e, a, firstLengthStart, firstLengthEnd)) {
                    contentLengthProblem = "conflicting Content-Length values";
                }
            }
            i = comma + 1;
        }
        contentLengthSeen = true;
    }

    private ParseResult completeHead() {
        ParseResult framingFailure = determineFraming();
        if (framingFailure != null) return framingFailure;
        boolean bodyFollows = chunked || contentLength > 0;
        String targetProblem = readTarget();
        if (targetProblem != null) return refuseFramedRequest(targetProblem, bodyFollows);
        String hostProblem = hostProblem();
        if (hostProblem != null) return refuseFramedRequest(hostProblem, bodyFollows);
        // RFC 9112 §9.3: HTTP/1.1 is persistent unless "close" is sent; HTTP/1.0 only with "keep-alive".
        boolean keepAlive = !connectionClose && (version == HttpVersion.HTTP_1_1 || connectionKeepAlive);
        // RFC 9110 §10.1.1: a server MUST ignore a 100-continue expectation in an HTTP/1.0 request.
        request.framing(
                contentLength, chunked, keepAlive, version == HttpVersion.HTTP_1_1 && expectContinue, hostField);
        bodyLimit = limits.maxBodySize();
        state = State.BODY_START;
        return ParseResult.HEAD_COMPLETE;
    }

    /**
     * Takes the target apart: on its bytes for an origin-form path that needs no decoding (the
     * common case), else through {@link RequestTarget#parse}. @return why it is refused, or null
     */
    private String readTarget() {
        byte[] a = request.bytes().array();
        Method method = request.method();
        int start = targetStartOf();
        int end = targetEndOf();
        if (a[start] == '/' && method != Method.CONNECT) {
            int pathEnd = start;
            while (pathEnd < end && a[pathEnd] != '?') pathEnd++;
            if (PathDecoder.isNormal(a, start, pathEnd)) {
                request.rawPath(pathEnd);
                return null;
            }
        }
        try {
            request.decodedTarget(RequestTarget.parse(method, request.rawTarget()));
            return null;
        } catch (MalformedTargetException e) {
            return e.getMessage();
        }
    }

    private int targetStartOf() {
        return request.targetStart();
    }

    private int targetEndOf() {
        return request.targetEnd();
    }

    // RFC 9112 §3.2: a 1.1 request without Host, or any request with more than one, gets 400.
    private String hostProblem() {
        if (hostFields > 1) return "more than one Host field";
        if (hostFields == 0) return version == HttpVersion.HTTP_1_1 ? "missing Host field" : null;
        HttpHeaders h = request.headers();
        return HostSyntax.isValidHostField(h.array(), h.valueStart(hostField), h.valueEnd(hostField))
                ? null
                : "invalid Host field";
    }

    private ParseResult refuseFramedRequest(String reason, boolean bodyFollows) {
        // The body's end is known, but skipping a body nobody will read costs as much as reading it.
        if (bodyFollows) return fatal(400, reason);
        error = new ParseError(400, reason, false);
        resetForNextMessage();
        return ParseResult.ERROR;
    }

    // ---- framing, RFC 9112 §6.3 ----

    private ParseResult determineFraming() {
        chunked = false;
        boolean hasTransferEncoding = transferEncoding;
        boolean hasContentLength = contentLengthSeen;
        if (!hasContentLength) contentLength = 0;
        // §6.1 lets a server reject this outright; a front-end that honoured the other field
        // would see a different request boundary (request smuggling).
        if (hasTransferEncoding && hasContentLength) return fatal(400, "both Transfer-Encoding and Content-Length");
        if (hasTransferEncoding) {
            // §6.1: Transfer-Encoding in HTTP/1.0 means faulty framing.
            if (version == HttpVersion.HTTP_1_0) return fatal(400, "Transfer-Encoding in HTTP/1.0");
            return readTransferCodings();
        }
        if (hasContentLength && contentLengthProblem != null) return fatal(400, contentLengthProblem);
        return null;
    }

    private ParseResult readTransferCodings() {
        int codings = 0;
        boolean chunkedSeen = false;
        boolean chunkedLast = false;
        boolean unknownSeen = false;
        HttpHeaders h = request.headers();
        byte[] a = h.array();
        for (int f = h.indexOf("Transfer-Encoding", 0); f >= 0; f = h.indexOf("Transfer-Encoding", f + 1)) {
            int to = h.valueEnd(f);
            for (int i = h.valueStart(f); i <= to; ) {
                int comma = i;
                while (comma < to && a[comma] != ',') comma++;
                int s = i;
                int e = comma;
                i = comma + 1;
                while (s < e && HttpChars.isWhitespace(a[s])) s++;
                while (e > s && HttpChars.isWhitespace(a[e - 1])) e--;
                // RFC 9110 §5.6.1: empty list elements are to be ignored.
                if (s == e) continue;
                int semicolon = s;
                while (semicolon < e && a[semicolon] != ';') semicolon++;
                int nameEnd = semicolon;
                while (nameEnd > s && HttpChars.isWhitespace(a[nameEnd - 1])) nameEnd--;
                if (!HttpChars.isToken(a, s, nameEnd)) return fatal(400, "invalid transfer coding");
                codings++;
                if (HttpChars.equalsIgnoreCase(a, s, nameEnd, "chunked")) {
                    // RFC 9112 §7: a sender MUST NOT apply chunked more than once; chunked has no parameters.
                    if (chunkedSeen) return fatal(400, "chunked applied more than once");
                    if (semicolon < e) return fatal(400, "parameters on chunked");
                    chunkedSeen = true;
                    chunkedLast = true;
                } else {
                    chunkedLast = false;
                    unknownSeen = true;
                }
            }
        }
        if (codings == 0) return fatal(400, "empty Transfer-Encoding");
        // §6.3 item 4: chunked not last leaves the body length unknown: 400 and close.
        if (chunkedSeen && !chunkedLast) return fatal(400, "chunked is not the final transfer coding");
        // §6.1: a coding the server does not understand SHOULD get 501; no body can be read either.
        if (unknownSeen) return fatal(501, "unsupported transfer coding");
        chunked = true;
        return null;
    }

    // RFC 9110 §8.6: Content-Length = 1*DIGIT; -1 for anything else, or a value beyond a long.
    private static long parseContentLength(byte[] a, int from, int to) {
        if (from == to) return -1;
        long value = 0;
        for (int i = from; i < to; i++) {
            int c = a[i];
            if (!HttpChars.isDigit(c)) return -1;
            int digit = c - '0';
            if (value > (Long.MAX_VALUE - digit) / 10) return -1;
            value = value * 10 + digit;
        }
        return value;
    }

    // ---- body ----

    private ParseResult startBody() {
        if (chunked) {
            chunkedBodyBytes = 0;
            state = State.CHUNK_SIZE_LINE;
            return null;
        }
        if (contentLength > bodyLimit) return fatal(413, "body larger than allowed");
        remaining = contentLength;
        state = State.FIXED_BODY;
        return null;
    }

    private ParseResult fixedBody(Buffer in) {
        if (remaining == 0) return completeMessage();
        if (in.isEmpty()) return ParseResult.NEED_MORE;
        handOut(in, (int) Math.min(in.readableBytes(), remaining));
        remaining -= bodyLength;
        return ParseResult.BODY;
    }

    // RFC 9112 §7.1: chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
    private ParseResult chunkSizeLine(Buffer in) {
        int len = nextLine(in, MAX_CHUNK_SIZE_DIGITS + (long) limits.maxChunkExtensionLength());
        if (len < 0) return lineFailure(len, 400, "chunk-size line too long");
        byte[] a = in.array();
        int start = in.readerIndex();
        int end = start + len;
        int i = start;
        long size = 0;
        for (int digit; i < end && (digit = HttpChars.hexValue(a[i])) >= 0; i++) {
            if (size > Long.MAX_VALUE >>> 4) return fatal(400, "chunk size too large");
            size = size << 4 | digit;
        }
        if (i == start) return fatal(400, "invalid chunk size");
        if (end - i > limits.maxChunkExtensionLength()) return fatal(400, "chunk extension too long");
        if (!isChunkExtension(a, i, end)) return fatal(400, "malformed chunk extension");
        in.skip(len + 2);
        if (size == 0) {
            sectionBytes = 0;
            state = State.TRAILER_LINE;
            return null;
        }
        if (size > bodyLimit - chunkedBodyBytes) return fatal(413, "body larger than allowed");
        chunkedBodyBytes += size;
        remaining = size;
        state = State.CHUNK_DATA;
        return null;
    }

    private ParseResult chunkData(Buffer in) {
        if (in.isEmpty()) return ParseResult.NEED_MORE;
        handOut(in, (int) Math.min(in.readableBytes(), remaining));
        remaining -= bodyLength;
        if (remaining == 0) state = State.CHUNK_DATA_CR;
        return ParseResult.BODY;
    }

    private ParseResult chunkDataEnd(Buffer in, byte expected, State next) {
        if (in.isEmpty()) return ParseResult.NEED_MORE;
        if (in.peek(0) != expected) return fatal(400, "chunk data not followed by CRLF");
        in.skip(1);
        state = next;
        return null;
    }

    // chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] ), ext-val = token / quoted-string
    private static boolean isChunkExtension(byte[] a, int from, int end) {
        int i = from;
        while (i < end) {
            i = skipWhitespace(a, i, end);
            if (i == end || a[i] != ';') return false;
            i = skipWhitespace(a, i + 1, end);
            int nameStart = i;
            while (i < end && HttpChars.isTchar(a[i])) i++;
            if (i == nameStart) return false;
            int afterName = skipWhitespace(a, i, end);
            if (afterName < end && a[afterName] == '=') {
                i = skipWhitespace(a, afterName + 1, end);
                if (i < end && a[i] == '"') {
                    i = endOfQuotedString(a, i, end);
                    if (i < 0) return false;
                } else {
                    int valueStart = i;
                    while (i < end && HttpChars.isTchar(a[i])) i++;
                    if (i == valueStart) return false;
                }
            }
        }
        return true;
    }

    // RFC 9110 §5.6.4: quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE; -1 if malformed.
    private static int endOfQuotedString(byte[] a, int quote, int end) {
        for (int i = quote + 1; i < end; i++) {
            int b = a[i] & 0xFF;
            if (b == '"') return i + 1;
            if (b == '\\') {
                if (++i == end) return -1;
                int escaped = a[i] & 0xFF;
                if (escaped != '\t' && escaped != ' ' && (escaped < 0x21 || escaped == 0x7F)) return -1;
            } else if (b != '\t' && b != ' ' && (b < 0x21 || b == 0x7F)) {
                return -1;
            }
        }
        return -1;
    }

    private ParseResult completeMessage() {
        resetForNextMessage();
        return ParseResult.MESSAGE_COMPLETE;
    }

    private void resetForNextMessage() {
        state = State.REQUEST_LINE;
        scanned = 0;
        leadingEmptyLineBytes = 0;
        sectionBytes = 0;
        remaining = 0;
        chunkedBodyBytes = 0;
    }

    // ---- helpers ----

    /**
     * The length of the line at the reader index without its CRLF, once its LF has arrived; or
     * NEED, TOO_LONG (its content cannot fit in {@code maxContent}: known before the LF arrives,
     * so an endless line is refused early) or BARE_LF.
     */
    private int nextLine(Buffer in, long maxContent) {
        byte[] a = in.array();
        int start = in.readerIndex();
        int readable = in.readableBytes();
        long allowed = Math.max(0, maxContent + 2);
        int searchEnd = (int) Math.min(readable, allowed);
        for (int i = scanned; i < searchEnd; i++) {
            if (a[start + i] == LF) {
                scanned = 0;
                if (i == 0 || a[start + i - 1] != CR) return BARE_LF;
                return i - 1;
            }
        }
        scanned = searchEnd;
        return readable >= allowed ? TOO_LONG : NEED;
    }

    private ParseResult lineFailure(int code, int tooLongStatus, String tooLongReason) {
        return switch (code) {
            case NEED -> ParseResult.NEED_MORE;
            case TOO_LONG -> fatal(tooLongStatus, tooLongReason);
            default -> fatal(400, "line not terminated by CRLF");
        };
    }

    private void handOut(Buffer in, int n) {
        bodyArray = in.array();
        bodyOffset = in.readerIndex();
        bodyLength = n;
        in.skip(n);
    }

    private ParseResult fatal(int status, String reason) {
        error = new ParseError(status, reason, true);
        state = State.FAILED;
        return ParseResult.ERROR;
    }

    private static int skipWhitespace(byte[] a, int i, int end) {
        while (i < end && HttpChars.isWhitespace(a[i])) i++;
        return i;
    }

    private static int indexOf(byte[] a, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (a[i] == b) return i;
        }
        return -1;
    }
}
