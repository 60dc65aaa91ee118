package io.netloop.http;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.file.OpenFile;
import io.netloop.core.loop.EventLoop;
import io.netloop.core.tcp.ConnectionHandler;
import io.netloop.core.tcp.TcpConnection;
import io.netloop.http.codec.HttpParser;
import io.netloop.http.codec.HttpRequest;
import io.netloop.http.codec.ParseError;
import io.netloop.http.codec.ResponseEncoder;
import java.net.InetSocketAddress;

/**
 * HTTP/1.1 on one TCP connection: feeds the input to an {@link HttpParser}, asks the
 * {@link Router} what each request gets, runs its handler and sends the responses strictly in
 * request order. It is the {@link Exchange} its {@link Response}s write through.
 *
 * <p>One request at a time (RFC 9112 §9.3.2): while a response is pending or streaming, the
 * parser is not called, so pipelined requests wait in the input buffer. The responses to
 * the pipelined requests of one read are written together ({@link TcpConnection#cork}); past
 * {@link #MAX_PENDING_INPUT} bytes, reading pauses until the response is done. Likewise the
 * next request waits while the output is above its high-water mark, so a client that
 * pipelines downloads without reading them costs a bounded amount of memory.
 *
 * <p>Deadlines ({@link HttpDeadlines}: one timeout on the loop's wheel, moved from phase to
 * phase): a head or a body that comes too slowly gets 408 and a close; a keep-alive connection
 * idle too long closes; after a closing response the connection lingers, for the peer to read
 * it and close (RFC 9112 §9.6: closing at once could reset the connection and lose the
 * response), reading and throwing away at most {@link #MAX_LINGER_DISCARD} bytes.
 *
 * <p>User code is called under the one failure rule: route handlers and body callbacks
 * through the {@link RouteInvoker}, an upgrade handler here ({@link HandlerFailure}).
 *
 * <p>Threading: every method on the connection's loop thread.
 */
final class HttpConnection implements ConnectionHandler, Exchange, HttpDeadlines.Listener {
    /** Pipelined input buffered while a response is pending, before reading pauses. */
    static final int MAX_PENDING_INPUT = 64 * 1024;

    /** Input discarded after a closing response before closing without waiting: an endless upload is not read on. */
    static final int MAX_LINGER_DISCARD = 256 * 1024;

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

    private final HttpServer server;
    private final HttpServer.Settings settings;
    private final LoopResources resources;
    private final HttpParser parser;
    private final HttpDeadlines deadlines;
    private final RouteInvoker invoker;
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

    // The exchange in progress.
    private Request request;
    private Response response;
    private Router.Decision decision;
    private Buffer body;

    HttpConnection(HttpServer server, LoopResources resources) {
        this.server = server;
        this.settings = server.settings();
        this.resources = resources;
        this.parser = new HttpParser(settings.limits());
        this.invoker = new RouteInvoker(server, this);
        this.deadlines = new HttpDeadlines(this, settings);
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
        deadlines.start(loop);
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
        deadlines.clear(); // nothing of this connection stays on the wheel
        if (response != null && response.writer() != null) response.writer().connectionClosed();
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
                        if (phase == Phase.IDLE && headStarted) deadlines.headStarted();
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
                    case ERROR -> {
                        ParseError e = parser.error();
                        refuse(e.status(), e.closeConnection());
                    }
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
                ? remote
                : ForwardedFor.client(remote, head.headers(), settings.forwardedFor());
        request = new Request(head, client);
        response = new Response(this, request);
        decision = server.router().decide(head.method(), head.target());
        Route route = decision.route();
        if (route != null) {
            request.params(route.paramNames(), decision.values());
            if (route.maxBodySize() >= 0) parser.bodyLimit(route.maxBodySize());
            else if (route.streamsBody()) parser.bodyLimit(Route.STREAMED_BODY_LIMIT);
        }
        streaming = route != null && route.streamsBody();
        if (streaming) {
            // The handler runs now and reads the body as it comes (Request.onBody); it may also
            // have answered already, which closes the connection (see mustClose).
            streaming = invoker.handle(route, request, response);
            if (!streaming || phase != Phase.BODY) return;
        }
        if (!head.hasBody()) {
            deadlines.clear();
            return;
        }
        if (!streaming && route != null) body = new Buffer();
        deadlines.bodyStarted();
        if (head.expectsContinue()) {
            // RFC 9110 §10.1.1: ask for the body only when it will be read; otherwise answer
            // with the final status at once and close, since the body may or may not follow.
            if (route == null) {
                response.closeAfter(true);
                phase = Phase.RESPONDING;
                decision.answer(response);
            } else if (head.contentLength() <= parser.bodyLimit()) {
                Buffer out = resources.scratch();
                ResponseEncoder.continue100(out);
                conn.send(out);
            }
            // else: the parser refuses the length with 413 on the next call, and no 100 was sent
        }
    }

    private void onBody() {
        BodyConsumer consumer = streaming && request != null ? request.bodyConsumer() : null;
        if (consumer != null
                && !invoker.consume(
                        consumer, request, response, parser.bodyArray(), parser.bodyOffset(), parser.bodyLength())) {
            streaming = false;
            return;
        }
        if (body != null) body.append(parser.bodyArray(), parser.bodyOffset(), parser.bodyLength());
        deadlines.bodyProgress(parser.bodyLength());
    }

    private void onMessage() {
        if (streaming && (response == null || response.isFinished())) {
            streaming = false; // answered before the body ended; the phase is already the next one
            return;
        }
        phase = Phase.RESPONDING;
        deadlines.clear();
        if (streaming) {
            streaming = false;
            invoker.endBody(request, response);
            return;
        }
        if (body != null) {
            request.body(body.readAll());
            body = null;
        }
        if (decision.found()) invoker.respond(decision.route(), request, response);
        else decision.answer(response);
    }

    /** Answers the request being read with an error, without a handler: it is malformed or too slow. */
    private void refuse(int status, boolean close) {
        headStarted = false;
        if (phase == Phase.IDLE) {
            requests++; // a request that never got a head counts too, in the stats and the log
            requestStart = loop.nowNanos();
            request = null;
        }
        body = null;
        response = new Response(this, request);
        response.closeAfter(close);
        phase = Phase.RESPONDING;
        deadlines.clear();
        response.sendError(status);
    }

    /** The exchange is answered: count it, log it and forget it. */
    private void endExchange(Response res) {
        resources.answered(res, System.nanoTime() - requestStart, remote, settings.accessLog());
        request = null;
        response = null;
        decision = null;
    }

    /** A graceful stop: idle connections close now; busy ones after their current response. */
    void drain() {
        if (upgraded != null) {
            try {
                upgraded.onShutdown(conn);
            } catch (Throwable t) {
                HandlerFailure.inUpgrade(t, "onShutdown of " + upgraded, conn);
            }
            return;
        }
        if (phase == Phase.IDLE && !headStarted && (input == null || input.isEmpty())) conn.close();
    }

    // --- deadlines (HttpDeadlines.Listener) ----------------------------------------------

    @Override
    public void expired(HttpDeadlines.Kind kind) {
        if (!conn.isOpen()) return;
        switch (kind) {
            case HEADER, BODY -> {
                // RFC 9110 §15.5.9: 408, and close: the rest of the request may still come.
                if (phase == Phase.IDLE || phase == Phase.BODY) refuse(408, true);
            }
            case IDLE -> {
                if (phase == Phase.IDLE && !headStarted) conn.close();
            }
            case LINGER -> {
                // The response is still going out (a large one, a slow reader): the linger counts
                // from its end. A reader that stalls is closed by the write timeout instead.
                if (conn.queuedOutputBytes() > 0) deadlines.linger();
                else conn.close();
            }
        }
    }

    @Override
    public void expiryFailed(Throwable t) {
        conn.close();
    }

    // --- Exchange: what Response and BodyWriter use --------------------------------------

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public LoopResources resources() {
        return resources;
    }

    @Override
    public boolean isOpen() {
        return conn.isOpen();
    }

    @Override
    public boolean isOutputBlocked() {
        return outputBlocked;
    }

    @Override
    public boolean send(Buffer b) {
        return conn.send(b);
    }

    @Override
    public boolean send(byte[] b, int off, int len) {
        return conn.send(b, off, len);
    }

    @Override
    public boolean sendFile(Buffer head, OpenFile file, long position, long count) {
        return conn.sendFile(head, file, position, count);
    }

    @Override
    public void abort() {
        conn.close();
    }

    @Override
    public boolean mustClose() {
        // A response sent before its request's body is read ends the connection: the rest of
        // the body would otherwise be taken for the next request.
        return server.isDraining()
                || (phase == Phase.BODY && request != null && request.head().hasBody())
                || requests >= settings.maxRequestsPerConnection()
                || (request != null && !request.head().isKeepAlive());
    }

    @Override
    public boolean isAnswering(Response res) {
        return res == response && phase == Phase.RESPONDING;
    }

    @Override
    public boolean isDraining() {
        return server.isDraining();
    }

    @Override
    public void completed(Response res) {
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
            deadlines.linger();
            return;
        }
        phase = Phase.IDLE;
        deadlines.idle(server.isDraining());
        if (!driving) drive(); // a response finished later (streamed): go on with what is buffered
    }

    /**
     * The 101 is queued: from now on every event goes to {@code next}. The input left after the
     * request is handed over by {@link #afterDrive}, once the handler has returned.
     */
    @Override
    public void upgraded(Response res, UpgradeHandler next) {
        if (res != response) throw new IllegalStateException("not the response in progress: " + res);
        endExchange(res);
        phase = Phase.UPGRADED;
        deadlines.clear();
        upgraded = next;
        try {
            next.onOpen(conn);
        } catch (Throwable t) {
            HandlerFailure.inUpgrade(t, "onOpen of " + next, conn);
        }
    }

    @Override
    public String toString() {
        return "HttpConnection[" + conn + "]";
    }
}
