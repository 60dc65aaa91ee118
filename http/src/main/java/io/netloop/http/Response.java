package io.netloop.http;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.file.OpenFile;
import io.netloop.http.codec.AcceptEncoding;
import io.netloop.http.codec.HttpChars;
import io.netloop.http.codec.HttpVersion;
import io.netloop.http.codec.Method;
import io.netloop.http.codec.ResponseEncoder;
import io.netloop.http.codec.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer to one request: a status, header fields, and one body: fixed ({@link #send}),
 * streamed ({@link #stream()}) or a file ({@link #file}). The server adds Date, Server,
 * the framing fields (Content-Length or Transfer-Encoding) and Connection; a handler may not
 * set those (Connection: close excepted, which closes the connection after the response).
 *
 * <p>A fixed body of a compressible type is gzipped when the client accepts it and the
 * server allows it (with {@code Vary: Accept-Encoding}, RFC 9110 §12.5.5). A HEAD request
 * gets the same head as GET, without content (§9.3.2).
 *
 * <p>Owned by its request's exchange, to which it hands its bytes ({@link Exchange}); the
 * head's bytes are the {@link ResponseEncoder}'s.
 *
 * <p>Threading: the connection's loop thread; a handler on a worker or virtual thread may call
 * the sending methods, which hand over to the loop. Once sent, a response cannot change.
 */
public final class Response {
    /** RFC 6797: sent on every response of a server with {@link HttpServer.Builder#hsts}, which is TLS. */
    private static final String HSTS = "Strict-Transport-Security";

    private static final String ENDED = "the response is complete and its storage is reused: a handler answers once,"
            + " and keeps nothing of it afterwards";

    private Exchange exchange;
    private Request request;
    private boolean head;
    private boolean live;
    /** Counts the exchanges this storage has served: a task that captured an older one is stale. */
    private int generation;

    private int status = 200;
    private final List<String> fields = new ArrayList<>(8);
    /** Fields already encoded (a cached file's), sent after {@link #fields}; their names and values in {@link #encodedPairs}. */
    private byte[] encoded;

    private String[] encodedPairs;
    /** How many of {@link #fields} the before filters set: an error page keeps those. */
    private int filterFields;

    private boolean committed;
    private boolean finished;
    private boolean closeAfter;
    private BodyWriter writer;
    private long bodyBytes;

    /** Storage for the responses of one slot; see {@link #start}. */
    Response() {}

    /** Makes this the response to {@code request} (null for one the server refuses unread) on {@code exchange}. */
    void start(Exchange exchange, Request request) {
        this.exchange = exchange;
        this.request = request;
        this.head = request != null && request.method().equals(Method.HEAD);
        this.status = 200;
        fields.clear();
        encoded = null;
        encodedPairs = null;
        filterFields = 0;
        committed = false;
        finished = false;
        closeAfter = false;
        writer = null;
        bodyBytes = 0;
        live = true;
        generation++;
    }

    /** The exchange is over: any later use is refused until the storage is reused. */
    void end() {
        live = false;
        writer = null;
        request = null;
    }

    int generation() {
        return generation;
    }

    private void checkLive() {
        if (!live) throw new IllegalStateException(ENDED);
    }

    public Response status(int status) {
        checkOpen();
        if (status < 100 || status > 999) throw new IllegalArgumentException("status must be three digits: " + status);
        this.status = status;
        return this;
    }

    public int status() {
        checkLive();
        return status;
    }

    /**
     * Adds a header field (a name may repeat, as Set-Cookie does).
     *
     * @throws IllegalArgumentException for a name that is not a token, a value with CR, LF
     *     or NUL (response splitting), or a framing field the server writes itself
     */
    public Response header(String name, String value) {
        checkOpen();
        if (!HttpChars.isToken(name))
            throw new IllegalArgumentException("header name must be a token: \"" + name + "\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0 || c > 0xFF) {
                throw new IllegalArgumentException(
                        "header value of " + name + " holds CR, LF, NUL or a non-Latin-1 character");
            }
        }
        if (name.equalsIgnoreCase("Content-Length")
                || name.equalsIgnoreCase("Transfer-Encoding")
                || name.equalsIgnoreCase("Date")
                || name.equalsIgnoreCase("Server")) {
            throw new IllegalArgumentException(
                    name + " is written by the server; choose the body with send/stream/file instead");
        }
        if (name.equalsIgnoreCase("Connection")) {
            if (value.toLowerCase(java.util.Locale.ROOT).contains("close")) closeAfter = true;
            return this;
        }
        fields.add(name);
        fields.add(value);
        return this;
    }

    /** Sets (replaces) a header field. */
    public Response setHeader(String name, String value) {
        removeHeader(name);
        return header(name, value);
    }

    void removeHeader(String name) {
        if (encodedPairs != null && indexOfPair(name) >= 0) spillEncoded();
        for (int i = fields.size() - 2; i >= 0; i -= 2) {
            if (fields.get(i).equalsIgnoreCase(name)) {
                fields.remove(i + 1);
                fields.remove(i);
                if (i < filterFields) filterFields -= 2;
            }
        }
    }

    /** The first value set for {@code name}, or null. */
    public String header(String name) {
        checkLive();
        for (int i = 0; i < fields.size(); i += 2) {
            if (fields.get(i).equalsIgnoreCase(name)) return fields.get(i + 1);
        }
        int i = encodedPairs == null ? -1 : indexOfPair(name);
        return i < 0 ? null : encodedPairs[i + 1];
    }

    /**
     * Adds fields encoded once and kept (a cached file's Content-Type, ETag, Last-Modified...):
     * {@code block} is their bytes, each line ending in CRLF, and {@code pairs} the same fields
     * as name, value, name, value..., for {@link #header(String)} and for a handler that
     * replaces one of them (the block is then turned back into ordinary fields).
     */
    void preEncoded(byte[] block, String[] pairs) {
        checkOpen();
        if (encoded != null) spillEncoded();
        encoded = block;
        encodedPairs = pairs;
    }

    private int indexOfPair(String name) {
        for (int i = 0; i < encodedPairs.length; i += 2) {
            if (encodedPairs[i].equalsIgnoreCase(name)) return i;
        }
        return -1;
    }

    private void spillEncoded() {
        String[] pairs = encodedPairs;
        encoded = null;
        encodedPairs = null;
        for (int i = 0; i < pairs.length; i += 2) {
            fields.add(pairs[i]);
            fields.add(pairs[i + 1]);
        }
    }

    /** Sets Content-Type. */
    public Response type(String contentType) {
        return setHeader("Content-Type", contentType);
    }

    public Response cookie(Cookie cookie) {
        return header("Set-Cookie", cookie.toHeaderValue());
    }

    /** Asks for the connection to close after this response ({@code Connection: close}). */
    public Response closeConnection() {
        checkOpen();
        closeAfter = true;
        return this;
    }

    /** Sends {@code text} as UTF-8, as {@code text/plain} unless a type was set. */
    public void send(String text) {
        if (header("Content-Type") == null) type("text/plain; charset=utf-8");
        int length = ResponseEncoder.utf8Length(text);
        if (!exchange.loop().inLoop() || mayCompress(length)) {
            send(text.getBytes(StandardCharsets.UTF_8));
            return;
        }
        checkOpen();
        // Encoded straight behind the head: no byte[] for the text.
        Buffer b = exchange.resources().scratch();
        writeHead(b, length);
        lastOutputIfClosing();
        if (hasContent()) {
            ResponseEncoder.utf8(b, text);
            bodyBytes = length;
        }
        exchange.connection().send(b);
        finish();
    }

    /** Sends an empty body (or none, for statuses without content). */
    public void send() {
        send(NO_BYTES);
    }

    private static final byte[] NO_BYTES = new byte[0];

    /** Sends {@code body}, as {@code application/octet-stream} unless a type was set. */
    public void send(byte[] body) {
        if (!exchange.loop().inLoop()) {
            LoopHandover.call(exchange, () -> {
                send(body);
                return null;
            });
            return;
        }
        checkOpen();
        if (body.length > 0 && header("Content-Type") == null) type(MimeTypes.DEFAULT);
        byte[] out = maybeCompress(body);
        Buffer b = exchange.resources().scratch();
        writeHead(b, out.length);
        lastOutputIfClosing();
        boolean content = hasContent();
        if (content && out.length <= 16 * 1024) {
            b.append(out); // head and a small body in one system call
            exchange.connection().send(b);
        } else {
            exchange.connection().send(b);
            if (content) exchange.connection().send(out, 0, out.length);
        }
        if (content) bodyBytes = out.length;
        finish();
    }

    /** Redirects with 302 Found to {@code location}. */
    public void redirect(String location) {
        redirect(302, location);
    }

    public void redirect(int status, String location) {
        status(status).setHeader("Location", location).send();
    }

    /**
     * Sends a file with everything a static file server does: content type, ETag and
     * Last-Modified, conditional requests (304, 412) and ranges (206, 416). 404 when it is
     * missing or not a regular file.
     */
    public void file(Path path) throws IOException {
        if (!exchange.loop().inLoop()) {
            LoopHandover.callIo(exchange, () -> {
                file(path);
                return null;
            });
            return;
        }
        StaticFiles.sendFile(request, this, path);
    }

    /**
     * Sends {@code length} bytes of {@code file} from {@code position} as the body, without
     * copying them (sendfile(2)); the head takes the same packet as the file's first bytes
     * where the transport allows. The connection keeps its own reference to the file.
     */
    void sendFileRegion(OpenFile file, long position, long length) {
        Buffer b = exchange.resources().scratch();
        writeHead(b, length);
        lastOutputIfClosing();
        if (hasContent() && length > 0) {
            exchange.connection().sendFile(b, file, position, length);
            bodyBytes = length;
        } else {
            exchange.connection().send(b);
        }
        finish();
    }

    /**
     * A closing answer, written whole before this call returns and followed by the close: its
     * bytes may wait for the FIN and leave in one packet with it.
     */
    private void lastOutputIfClosing() {
        if (closeAfter) exchange.connection().lastOutput();
    }

    /** A multipart/byteranges body: each part's head, then its range of the file; then the closing boundary. */
    void sendMultipart(OpenFile file, List<RangeRequest.Span> spans, List<byte[]> partHeads, byte[] end, long total) {
        Buffer b = exchange.resources().scratch();
        writeHead(b, total);
        exchange.connection().send(b);
        if (hasContent()) {
            for (int i = 0; i < spans.size(); i++) {
                byte[] h = partHeads.get(i);
                exchange.connection().send(h, 0, h.length);
                exchange.connection()
                        .sendFile(null, file, spans.get(i).first(), spans.get(i).length());
            }
            exchange.connection().send(end, 0, end.length);
            bodyBytes = total;
        }
        finish();
    }

    /** A body of unknown length, written piece by piece: chunked (HTTP/1.1), or until close (HTTP/1.0). */
    public BodyWriter stream() {
        if (!exchange.loop().inLoop()) return LoopHandover.call(exchange, this::stream);
        checkOpen();
        long framing = ResponseEncoder.CHUNKED;
        if (request != null && request.version() == HttpVersion.HTTP_1_0) {
            framing = ResponseEncoder.UNTIL_CLOSE;
            closeAfter = true; // RFC 9112 §6.3: without a length, only the close ends the body
        }
        return startStream(framing);
    }

    /** A body of exactly {@code length} bytes, written piece by piece. */
    public BodyWriter stream(long length) {
        if (!exchange.loop().inLoop()) return LoopHandover.call(exchange, () -> stream(length));
        checkOpen();
        if (length < 0) throw new IllegalArgumentException("length must not be negative: " + length);
        return startStream(length);
    }

    private BodyWriter startStream(long framing) {
        Buffer b = exchange.resources().scratch();
        writeHead(b, framing);
        exchange.connection().send(b);
        writer = new BodyWriter(exchange, this, framing, !hasContent());
        return writer;
    }

    /**
     * Answers 101 Switching Protocols to {@code protocol} (RFC 9110 §15.2.2), with the header
     * fields set on this response, and hands the connection to {@code next}: the bytes after
     * this request are no longer HTTP. The handler must have checked that the client asked for
     * {@code protocol} (its {@code Upgrade} field). Loop thread.
     *
     * @return false, after answering 503, when the server is shutting down
     */
    public boolean switchProtocols(String protocol, UpgradeHandler next) {
        checkOpen();
        exchange.loop().assertInLoop();
        if (!HttpChars.isToken(protocol))
            throw new IllegalArgumentException("protocol must be a token: \"" + protocol + "\"");
        java.util.Objects.requireNonNull(next, "next");
        if (!exchange.isAnswering(this)) {
            throw new IllegalStateException(
                    "switchProtocols answers a whole request, from a handler that runs on the loop");
        }
        if (exchange.isDraining()) {
            sendError(503);
            return false;
        }
        committed = true;
        status = 101;
        Buffer b = exchange.resources().scratch();
        ResponseEncoder.switchingProtocols(b, protocol, fields);
        exchange.connection().send(b);
        finished = true;
        exchange.upgraded(this, next);
        return true;
    }

    public boolean isCommitted() {
        checkLive();
        return committed;
    }

    // --- for the server ------------------------------------------------------------------

    Request request() {
        return request;
    }

    Exchange exchange() {
        return exchange;
    }

    BodyWriter writer() {
        return writer;
    }

    boolean isFinished() {
        return finished;
    }

    /** {@link #isCommitted} without the lifetime check: for the server's own decisions. */
    boolean sentHead() {
        return committed;
    }

    /** The fields set so far came from before filters: an error page made later keeps them. */
    void keepFieldsOnError() {
        filterFields = fields.size();
    }

    boolean closeAfter() {
        return closeAfter;
    }

    void closeAfter(boolean close) {
        if (!committed) closeAfter |= close;
    }

    long bodyBytes() {
        return bodyBytes;
    }

    void countBody(long n) {
        bodyBytes += n;
    }

    /** Whether the body is sent: not for HEAD, nor for statuses without content. */
    boolean hasContent() {
        return !head && !Status.hasNoContent(status);
    }

    boolean isHead() {
        return head;
    }

    /** A generated error page in plain text, with what the client can do about it. */
    void sendError(int status) {
        sendError(status, null);
    }

    /** An error page, with an Allow field when {@code allow} is not null (405, RFC 9110 §15.5.6). */
    void sendError(int status, String allow) {
        encoded = null;
        encodedPairs = null;
        // What a failed handler set (cookies, types) does not belong on an error; what the
        // before filters set (CORS, security headers) does.
        if (filterFields == 0) fields.clear();
        else fields.subList(filterFields, fields.size()).clear();
        this.status = status;
        if (allow != null) header("Allow", allow);
        type("text/plain; charset=utf-8");
        String advice = Status.advice(status);
        send(status + " " + Status.reason(status) + "\n" + (advice.isEmpty() ? "" : advice + "\n"));
    }

    /** Whether a body of {@code length} bytes would be gzipped (or at least get Vary): then it goes as bytes. */
    private boolean mayCompress(int length) {
        HttpServer.Settings s = exchange.resources().settings();
        return s.gzip()
                && length >= s.gzipMinSize()
                && status == 200
                && header("Content-Encoding") == null
                && MimeTypes.isCompressible(header("Content-Type"));
    }

    private byte[] maybeCompress(byte[] body) {
        HttpServer.Settings s = exchange.resources().settings();
        if (!s.gzip()
                || body.length < s.gzipMinSize()
                || status != 200
                || header("Content-Encoding") != null
                || !MimeTypes.isCompressible(header("Content-Type"))) {
            return body;
        }
        header("Vary", "Accept-Encoding");
        if (request == null || AcceptEncoding.choose(request.headers(), AcceptEncoding.GZIP) == 0) return body;
        header("Content-Encoding", "gzip");
        return exchange.resources().gzip().compress(body, 0, body.length);
    }

    /**
     * Writes the status line and header section into {@code b}.
     *
     * @param length the Content-Length, or {@link ResponseEncoder#CHUNKED}, or
     *     {@link ResponseEncoder#UNTIL_CLOSE}
     */
    void writeHead(Buffer b, long length) {
        checkOpen();
        committed = true;
        if (exchange.mustClose()) closeAfter = true;
        String hsts = exchange.resources().settings().hsts();
        if (hsts != null && header(HSTS) == null) {
            fields.add(HSTS);
            fields.add(hsts);
        }
        ResponseEncoder.head(
                b,
                status,
                exchange.resources().dates().http(),
                fields,
                encoded,
                length,
                closeAfter,
                request == null ? null : request.version());
    }

    /** The whole response is queued: the connection goes on to the next request or closes. */
    void finish() {
        if (finished) return;
        finished = true;
        exchange.completed(this);
    }

    private void checkOpen() {
        checkLive();
        if (committed) throw new IllegalStateException("the response is already sent; a handler answers once");
    }

    @Override
    public String toString() {
        return live ? "Response[" + status + (request != null ? " to " + request : "") + "]" : "Response[complete]";
    }
}
