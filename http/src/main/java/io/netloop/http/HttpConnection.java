package io.netloop.http;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.file.OpenFile;
import io.netloop.core.loop.EventLoop;
import io.netloop.core.loop.Timer;
import io.netloop.core.tcp.ConnectionHandler;
import io.netloop.core.tcp.TcpConnection;
import io.netloop.http.codec.HttpParser;
import io.netloop.http.codec.HttpRequest;
import io.netloop.http.codec.Method;
import io.netloop.http.codec.ParseError;
import io.netloop.http.codec.RequestTarget;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * HTTP/1.1 on one TCP connection: feeds the input to an {@link HttpParser}, routes each
 * request, runs its handler and sends the responses strictly in request order.
 *
 * <p>One request at a time (RFC 9112 §9.3.2): while a response is pending or streaming, the
 * parser is not called, so pipelined requests wait in the input buffer. The responses to
 * the pipelined requests of one read are written together ({@link TcpConnection#cork}); past
 * {@link #MAX_PENDING_INPUT} bytes, reading pauses until the response is done. Likewise the
 * next request waits while the output is above its high-water mark, so a client that
 * pipelines downloads without reading them costs a bounded amount of memory.
 *
 * <p>Timeouts, all on one {@link Timer} per connection that is moved, not recreated, per
 * request: the header-read timeout from a request's first byte to its complete head (408,
 * against slowloris); the same timeout between body reads, and a body deadline that each
 * piece received moves on by its size over the minimum body rate (408, against a trickled
 * body); the keep-alive idle timeout between requests (the connection closes); and a short
 * linger after a closing response, for the peer to read it and close (RFC 9112 §9.6: closing
 * at once could reset the connection and lose the response), in which at most
 * {@link #MAX_LINGER_DISCARD} bytes are read and thrown away.
 *
 * <p>Threading: every method on the connection's loop thread.
 */
final class HttpConnection implements ConnectionHandler {
    private static final System.Logger LOG = System.getLogger(HttpConnection.class.getName());
    /** Pipelined input buffered while a response is pending, before reading pauses. */
    static final int MAX_PENDING_INPUT = 64 * 1024;

    private static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Input discarded after a closing response before closing without waiting: an endless upload is not read on. */
    static final int MAX_LINGER_DISCARD = 256 * 1024;

    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private enum Phase {
        /** Between requests; perhaps part of the next head has arrived. */
        IDLE,
        /** The head is parsed; the body is being read. */
        BODY,
        /** The handler runs or the response is being produced. */
        RESPONDING,
        /** The last response is sent; input is discarded until the peer closes or the linger ends. */
        CLOSING,
        /** 101 was sent: the connection speaks another protocol, and {@link #upgraded} gets every event. */
        UPGRADED
    }

    private enum Deadline {
        NONE,
        HEADER,
        BODY,
        IDLE,
        LINGER
    }

    private final HttpServer server;
    private final HttpServer.Settings settings;
    private final LoopResources resources;
    private final HttpParser parser;
    private final Runnable onTimer = this::onTimer;
    private TcpConnection conn;
    private EventLoop loop;
    private InetSocketAddress remote;
    private Buffer input;
    private Phase phase = Phase.IDLE;
    private boolean headStarted;
    private boolean driving;
    /** This drive() corked the connection: pipelined responses leave together when it ends. */
    private boolean corked;

    private boolean outputBlocked;
    private boolean peerClosed;
    /** The current request's body goes to its handler piece by piece (Route.streamBody). */
    private boolean streaming;

    private int requests;
    /** When the current request's head was complete (or its refusal began): the start of its latency. */
    private long requestStart;
    /** After a 101: the protocol the connection switched to. */
    private UpgradeHandler upgraded;
    /** Bytes thrown away while {@link Phase#CLOSING}. */
    private long discarded;
    /** When the body being read must be complete: see {@link #bodyProgress}. */
    private long bodyDeadlineAt;

    // The exchange in progress.
    private Request request;
    private Response response;
    private Router.Match match;
    private int earlyStatus;
    private String allow;
    private Buffer body;

    // One timer, moved rather than re-created: see the class comment.
    private Deadline deadline = Deadline.NONE;
    private long deadlineAt;
    private Timer timer;
    private long timerAt;

    HttpConnection(HttpServer server, LoopResources resources) {
        this.server = server;
        this.settings = server.settings();
        this.resources = resources;
        this.parser = new HttpParser(settings.limits());
    }

    // --- ConnectionHandler ---------------------------------------------------------------

    @Override
    public void onOpen(TcpConnection c) {
        conn = c;
        loop = c.loop();
        remote = c.remoteAddress();
        c.attach(this);
        resources.bind(loop);
        resources.stats().connectionOpened();
        setDeadline(Deadline.IDLE, settings.idleTimeoutNanos());
    }

    @Override
    public void onData(TcpConnection c, Buffer in) {
        if (upgraded != null) {
            upgraded.onData(c, in);
            return;
        }
        input = in;
        if (phase == Phase.CLOSING) {
            discarded += in.readableBytes();
            in.clear();
            if (discarded > MAX_LINGER_DISCARD) {
                // Enough: close, or, while the response is still going out, let TCP hold the sender back.
                if (c.queuedOutputBytes() == 0) c.close();
                else c.pauseReading();
            }
            return;
        }
        drive();
    }

    @Override
    public void onInputClosed(TcpConnection c) {
        peerClosed = true;
        if (upgraded != null) {
            upgraded.onInputClosed(c);
            return;
        }
        // Requests already received are answered (a client may send them all, then shut down
        // its side); drive() closes once nothing is left to answer.
        if (!driving) drive();
    }

    @Override
    public void onHighWater(TcpConnection c, int queuedBytes) {
        outputBlocked = true;
        if (upgraded != null) upgraded.onHighWater(c, queuedBytes);
    }

    @Override
    public void onLowWater(TcpConnection c) {
        outputBlocked = false;
        if (upgraded != null) {
            upgraded.onLowWater(c);
        } else if (response != null && response.writer() != null && !response.isFinished()) {
            response.writer().ready();
        } else if (phase == Phase.IDLE && !driving) {
            drive();
        }
    }

    @Override
    public void onClose(TcpConnection c, Throwable cause) {
        resources.stats().connectionClosed();
        if (response != null && response.writer() != null) response.writer().connectionClosed();
        if (timer != null) timer.cancel();
        timer = null;
        deadline = Deadline.NONE;
        if (upgraded != null) upgraded.onClose(c, cause);
    }

    // --- the request cycle ---------------------------------------------------------------

    /** Parses and answers what the input holds, as far as the one-at-a-time rule allows. */
    private void drive() {
        if (driving || conn == null) return;
        driving = true;
        try {
            loop:
            while (conn.isOpen()) {
                if (phase == Phase.RESPONDING || phase == Phase.CLOSING || phase == Phase.UPGRADED) break;
                if (phase == Phase.IDLE) {
                    if (outputBlocked) break;
                    if (input != null && !input.isEmpty()) headStarted = true;
                }
                if (input == null) break;
                switch (parser.parse(input)) {
                    case NEED_MORE -> {
                        if (phase == Phase.IDLE && headStarted && deadline != Deadline.HEADER) {
                            setDeadline(Deadline.HEADER, settings.headerTimeoutNanos());
                        }
                        break loop;
                    }
                    case HEAD_COMPLETE -> onHead();
                    case BODY -> onBody();
                    case MESSAGE_COMPLETE -> {
                        if (!corked && !input.isEmpty()) {
                            // Another request is already here: answer the batch with one write.
                            conn.cork();
                            corked = true;
                        }
                        onMessage();
                    }
                    case ERROR -> onParseError();
                }
            }
            afterDrive();
        } finally {
            driving = false;
            if (corked) {
                corked = false;
                conn.uncork(); // after driving ends: the low-water call this may make drives again
            }
        }
    }

    private void afterDrive() {
        if (!conn.isOpen() || phase == Phase.CLOSING) return;
        if (phase == Phase.UPGRADED) {
            // Bytes the client sent right behind the upgrade request belong to the new protocol.
            if (conn.isReadingPaused()) conn.resumeReading();
            if (input != null && !input.isEmpty()) upgraded.onData(conn, input);
            if (peerClosed && conn.isOpen()) upgraded.onInputClosed(conn);
            return;
        }
        if (peerClosed) {
            if (phase == Phase.BODY) {
                conn.close(); // the request can never be complete
                return;
            }
            if (phase == Phase.IDLE && !outputBlocked) {
                conn.shutdownOutput(); // all answered: close once the output drains
                return;
            }
        }
        boolean holding = phase == Phase.RESPONDING || (phase == Phase.IDLE && outputBlocked);
        if (holding && input != null && input.readableBytes() >= MAX_PENDING_INPUT) {
            if (!conn.isReadingPaused()) conn.pauseReading();
        } else if (!holding && conn.isReadingPaused()) {
            conn.resumeReading();
        }
    }

    private void onHead() {
        HttpRequest head = parser.request();
        headStarted = false;
        phase = Phase.BODY;
        requests++;
        requestStart = loop.nowNanos();
        InetSocketAddress client = settings.forwardedFor() == null
                ? remoteAddress()
                : ForwardedFor.client(remoteAddress(), head.headers(), settings.forwardedFor());
        request = new Request(head, client);
        response = new Response(this, request);
        match = null;
        earlyStatus = 0;
        allow = null;
        Method m = head.method();
        Router router = server.router();
        if (m.equals(Method.TRACE) || m.equals(Method.CONNECT)) {
            // TRACE echoes the request, credentials included (cross-site tracing); CONNECT
            // makes a tunnel, which an origin server does not offer.
            earlyStatus = 405;
            String a = router.allow(head.path());
            allow = a != null ? a : router.allowAll();
        } else if (head.target().form() == RequestTarget.Form.ASTERISK) {
            earlyStatus = 204; // RFC 9110 §9.3.7: OPTIONS * asks about the server as a whole
            allow = router.allowAll();
        } else {
            match = router.match(m, head.path());
            if (match.found()) {
                Route route = match.route();
                request.params(route.paramNames(), match.values());
                if (route.maxBodySize() >= 0) parser.bodyLimit(route.maxBodySize());
                else if (route.streamsBody()) parser.bodyLimit(Route.STREAMED_BODY_LIMIT);
            } else if (m.equals(Method.OPTIONS) && match.pathKnown()) {
                earlyStatus = 204;
                allow = match.allow();
            } else if (match.pathKnown()) {
                earlyStatus = 405;
                allow = match.allow();
            } else {
                earlyStatus = 404;
            }
        }
        streaming = earlyStatus == 0 && match.route().streamsBody();
        if (streaming) {
            // The handler runs now and reads the body as it comes (Request.onBody); it may also
            // have answered already, which closes the connection (see mustClose).
            if (!callHandlerOnLoop(match.route(), response) || phase != Phase.BODY) return;
        }
        if (!head.hasBody()) {
            clearDeadline();
            return;
        }
        if (!streaming && earlyStatus == 0) body = new Buffer();
        bodyDeadlineAt = loop.nowNanos() + settings.headerTimeoutNanos();
        setDeadline(Deadline.BODY, settings.headerTimeoutNanos());
        if (head.expectsContinue()) {
            // RFC 9110 §10.1.1: ask for the body only when it will be read; otherwise answer
            // with the final status at once and close, since the body may or may not follow.
            if (earlyStatus != 0) {
                response.closeAfter(true);
                phase = Phase.RESPONDING;
                respondEarly();
            } else if (head.contentLength() <= parser.bodyLimit()) {
                conn.send(CONTINUE, 0, CONTINUE.length);
            }
            // else: the parser refuses the length with 413 on the next call, and no 100 was sent
        }
    }

    private void onBody() {
        if (streaming) {
            BodyConsumer consumer = request == null ? null : request.bodyConsumer();
            if (consumer != null) {
                try {
                    consumer.accept(parser.bodyArray(), parser.bodyOffset(), parser.bodyLength());
                } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
                    streaming = false;
                    handlerFailed(response, e);
                    return;
                }
            }
        }
        if (body != null) body.append(parser.bodyArray(), parser.bodyOffset(), parser.bodyLength());
        bodyProgress(parser.bodyLength());
    }

    /**
     * The body deadline moves on by {@code n} bytes' worth at the minimum body rate; the next
     * piece is due within the header timeout, and no later than that deadline.
     */
    private void bodyProgress(int n) {
        long now = loop.nowNanos();
        int rate = settings.minBodyRate();
        long wait = settings.headerTimeoutNanos();
        if (rate > 0) {
            bodyDeadlineAt += n * 1_000_000_000L / rate;
            wait = Math.min(wait, Math.max(0, bodyDeadlineAt - now));
        }
        setDeadline(Deadline.BODY, wait);
    }

    private void onMessage() {
        if (streaming && (response == null || response.isFinished())) {
            streaming = false; // answered before the body ended; the phase is already the next one
            return;
        }
        phase = Phase.RESPONDING;
        clearDeadline();
        if (streaming) {
            streaming = false;
            Response res = response;
            Runnable end = request.bodyEnd();
            try {
                if (end != null) end.run();
            } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
                handlerFailed(res, e);
                return;
            }
            if (!res.isCommitted() && res.writer() == null && conn.isOpen()) res.send();
            return;
        }
        if (body != null) {
            request.body(body.readAll());
            body = null;
        }
        if (earlyStatus != 0) {
            respondEarly();
            return;
        }
        Response res = response;
        Route route = match.route();
        if (route.mode() != io.netloop.core.tcp.HandlerMode.LOOP) {
            offload(route, request, res);
            return;
        }
        try {
            route.handler().handle(request, res);
        } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
            handlerFailed(res, e);
            return;
        }
        if (!res.isCommitted() && conn.isOpen()) res.send();
    }

    /**
     * Runs the handler on a worker or a virtual thread. The connection stays in RESPONDING
     * meanwhile, so no further request is parsed; pipelined ones wait in the input buffer.
     */
    private void offload(Route route, Request req, Response res) {
        try {
            server.executor(route.mode()).execute(() -> {
                try {
                    route.handler().handle(req, res);
                } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
                    loop.execute(() -> handlerFailed(route, req, res, e));
                    return;
                }
                loop.execute(() -> {
                    if (!res.isCommitted() && conn.isOpen()) res.send();
                });
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            res.sendError(503);
        }
    }

    private void handlerFailed(Route route, Request req, Response res, Throwable e) {
        LOG.log(System.Logger.Level.WARNING, "handler of " + route + " failed on " + req + "; answered 500", e);
        if (res.isFinished() || !conn.isOpen()) return;
        if (res.isCommitted()) conn.close();
        else res.sendError(500);
    }

    /** Runs a route's handler on the loop; false when it failed (a 500 or a close is under way). */
    private boolean callHandlerOnLoop(Route route, Response res) {
        try {
            route.handler().handle(request, res);
            return true;
        } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
            streaming = false;
            handlerFailed(res, e);
            return false;
        }
    }

    private void handlerFailed(Response res, Throwable e) {
        LOG.log(
                System.Logger.Level.WARNING,
                "handler of " + match.route() + " failed on " + request + "; answered 500",
                e);
        if (res.isFinished() || !conn.isOpen()) return;
        if (res.isCommitted()) {
            conn.close(); // part of the response is out: only closing tells the client it is broken
        } else {
            res.sendError(500);
        }
    }

    private void respondEarly() {
        if (earlyStatus == 204) response.status(204).setHeader("Allow", allow).send();
        else response.sendError(earlyStatus, allow);
    }

    private void onParseError() {
        ParseError e = parser.error();
        headStarted = false;
        if (phase == Phase.IDLE) {
            requests++;
            requestStart = loop.nowNanos();
            request = null;
        }
        body = null;
        response = new Response(this, request);
        response.closeAfter(e.closeConnection());
        phase = Phase.RESPONDING;
        clearDeadline();
        response.sendError(e.status());
    }

    /** Called by {@link Response#finish} once the whole response is queued. */
    void responseComplete(Response res) {
        if (res != response) return;
        endExchange(res);
        // Only a response that said Connection: close may end the connection: one whose head
        // went out before a drain began promised keep-alive, and its client may be sending the
        // next request already (that one is answered, with Connection: close).
        if (res.closeAfter()) {
            phase = Phase.CLOSING;
            if (input != null) input.clear();
            conn.shutdownOutput(); // FIN after the response; the peer's close completes it
            if (conn.isReadingPaused()) conn.resumeReading(); // to see the peer's close
            setDeadline(Deadline.LINGER, LINGER_NANOS);
            return;
        }
        phase = Phase.IDLE;
        setDeadline(
                Deadline.IDLE,
                server.isDraining()
                        ? Math.min(LINGER_NANOS, settings.idleTimeoutNanos())
                        : settings.idleTimeoutNanos());
        if (!driving) drive(); // a response finished later (streamed): go on with what is buffered
    }

    /** The exchange is answered: log it and forget it. */
    private void endExchange(Response res) {
        resources.stats().response(res.status(), System.nanoTime() - requestStart);
        AccessLog log = settings.accessLog();
        if (log != null) {
            // The request's client: the PROXY header's or X-Forwarded-For's when trusted.
            InetSocketAddress remote = res.request() != null ? res.request().remoteAddress() : remoteAddress();
            log.log(
                    res.request(),
                    res,
                    remote == null ? null : remote.getAddress().getHostAddress(),
                    resources.dates().log());
        }
        request = null;
        response = null;
        match = null;
    }

    /** Whether the response being written must be the last: client's wish, request cap, or shutdown. */
    boolean mustClose() {
        // A response sent before its request's body is read ends the connection: the rest of
        // the body would otherwise be taken for the next request.
        return server.isDraining()
                || (phase == Phase.BODY && request != null && request.head().hasBody())
                || requests >= settings.maxRequestsPerConnection()
                || (request != null && !request.head().isKeepAlive());
    }

    /**
     * Called by {@link Response#switchProtocols} once the 101 is queued: from now on every
     * event goes to {@code next}. The input left after the request is handed over by
     * {@link #afterDrive}, once the handler has returned.
     */
    void upgraded(Response res, UpgradeHandler next) {
        if (res != response) throw new IllegalStateException("not the response in progress: " + res);
        endExchange(res);
        phase = Phase.UPGRADED;
        clearDeadline();
        if (timer != null) timer.cancel();
        timer = null;
        upgraded = next;
        next.onOpen(conn);
    }

    /** A graceful stop: idle connections close now; busy ones after their current response. */
    void drain() {
        if (upgraded != null) {
            upgraded.onShutdown(conn);
            return;
        }
        if (phase == Phase.IDLE && !headStarted && (input == null || input.isEmpty())) conn.close();
    }

    // --- timers --------------------------------------------------------------------------

    private void setDeadline(Deadline kind, long nanos) {
        // The loop's clock of this wake-up: no clock read per request, and timeouts of seconds
        // do not mind the microseconds it lags.
        deadline = kind;
        deadlineAt = loop.nowNanos() + nanos;
        // A timer due no later than the new deadline is kept; when it fires it moves itself on.
        if (timer == null || timerAt - deadlineAt > 0) {
            if (timer != null) timer.cancel();
            timerAt = deadlineAt;
            timer = loop.schedule(onTimer, nanos, TimeUnit.NANOSECONDS);
        }
    }

    private void clearDeadline() {
        deadline = Deadline.NONE;
    }

    private void onTimer() {
        timer = null;
        if (deadline == Deadline.NONE || !conn.isOpen()) return;
        long left = deadlineAt - loop.nowNanos();
        if (left > 0) {
            timerAt = deadlineAt;
            timer = loop.schedule(onTimer, left, TimeUnit.NANOSECONDS);
            return;
        }
        Deadline expired = deadline;
        deadline = Deadline.NONE;
        switch (expired) {
            case HEADER, BODY -> {
                if (phase != Phase.IDLE && phase != Phase.BODY) return;
                // RFC 9110 §15.5.9: 408, and close: the rest of the request may still come.
                Request req = phase == Phase.BODY ? request : null;
                if (phase == Phase.IDLE) {
                    requests++;
                    requestStart = loop.nowNanos();
                }
                phase = Phase.RESPONDING;
                body = null;
                response = new Response(this, req);
                response.closeAfter(true);
                response.sendError(408);
            }
            case IDLE -> {
                if (phase == Phase.IDLE && !headStarted) conn.close();
            }
            case LINGER -> {
                // The response is still going out (a large one, a slow reader): the linger counts
                // from its end. A reader that stalls is closed by the write timeout instead.
                if (conn.queuedOutputBytes() > 0) setDeadline(Deadline.LINGER, LINGER_NANOS);
                else conn.close();
            }
            case NONE -> {}
        }
    }

    // --- for Response and BodyWriter -----------------------------------------------------

    HttpServer.Settings settings() {
        return settings;
    }

    /** Whether {@code res} answers the request in progress, whose body has been read. */
    boolean isAnswering(Response res) {
        return res == response && phase == Phase.RESPONDING;
    }

    boolean isDraining() {
        return server.isDraining();
    }

    DateCache dates() {
        return resources.dates();
    }

    Gzip gzip() {
        return resources.gzip();
    }

    Buffer scratch() {
        return resources.scratch();
    }

    boolean send(Buffer b) {
        return conn.send(b);
    }

    boolean send(byte[] b, int off, int len) {
        return conn.send(b, off, len);
    }

    void sendFile(OpenFile file, long position, long count) {
        conn.sendFile(file, position, count);
    }

    void sendFile(Buffer head, OpenFile file, long position, long count) {
        conn.sendFile(head, file, position, count);
    }

    boolean isOpen() {
        return conn.isOpen();
    }

    boolean isOutputBlocked() {
        return outputBlocked;
    }

    void assertInLoop() {
        loop.assertInLoop();
    }

    boolean inLoop() {
        return loop.inLoop();
    }

    /** Runs {@code call} on the loop and waits for it: for handlers on workers or virtual threads. */
    <T> T callInLoop(java.util.concurrent.Callable<T> call) {
        try {
            return callInLoopIo(call);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    <T> T callInLoopIo(java.util.concurrent.Callable<T> call) throws IOException {
        java.util.concurrent.CompletableFuture<T> f = new java.util.concurrent.CompletableFuture<>();
        try {
            loop.execute(() -> {
                try {
                    f.complete(call.call());
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new IllegalStateException("the server is stopping: " + conn + " is closed", e);
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing a response to the loop", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) throw io;
            if (c instanceof RuntimeException r) throw r;
            if (c instanceof Error err) throw err;
            throw new IllegalStateException(c);
        }
    }

    /** Waits (off the loop) until {@code f} completes or the connection closes. */
    void await(java.util.concurrent.CompletableFuture<Void> f) {
        while (!f.isDone() && conn.isOpen()) {
            try {
                f.get(100, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException stillWaiting) {
                // check that the connection is still open, then wait again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException e) {
                return;
            }
        }
    }

    /** Runs {@code task} on the loop every {@code periodNanos} until the timer is cancelled. */
    Timer every(Runnable task, long periodNanos) {
        return loop.scheduleAtFixedRate(task, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    }

    void runLater(Runnable task) {
        loop.runLater(task);
    }

    /** The response cannot be completed as framed: closing is the only honest end. */
    void abort(String why) {
        LOG.log(System.Logger.Level.WARNING, "closing " + conn + ": " + why);
        conn.close();
    }

    private InetSocketAddress remoteAddress() {
        return remote;
    }
}
