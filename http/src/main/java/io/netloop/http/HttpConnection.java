package io.netloop.http;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.loop.EventLoop;
import io.netloop.core.tcp.ConnectionHandler;
import io.netloop.core.tcp.TcpConnection;
import io.netloop.http.codec.HttpParser;
import io.netloop.http.codec.HttpRequest;
import io.netloop.http.codec.ParseError;
import io.netloop.http.codec.ResponseEncoder;

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
 * it and close when part of the request may still be on its way ({@link Lingering}).
 *
 * <p>User code is called under the one failure rule: route handlers and body callbacks
 * through the {@link RouteInvoker}, an upgrade handler here ({@link HandlerFailure}).
 *
 * <p>Threading: every method on the connection's loop thread.
 */
final class HttpConnection implements ConnectionHandler, Exchange, HttpDeadlines.Listener {
    /** Pipelined input buffered while a response is pending, before reading pauses. */
    static final int MAX_PENDING_INPUT = 64 * 1024;

    private enum Phase {
        /** Between requests; perhaps part of the next head has arrived. */
        IDLE,
        /** The head is parsed; the body is being read. */
        BODY,
        /** The handler runs or the response is being produced. */
        RESPONDING,
        /** The last response is sent; the connection closes, or {@link Lingering} gets every event. */
        CLOSING,
        /** 101 was sent: the connection speaks another protocol, and {@link #upgraded} gets every event. */
        UPGRADED
    }

    private final HttpServer server;
    private final HttpServer.Settings settings;
    private final LoopResources resources;
    private final HttpDeadlines deadlines;
    private final RouteInvoker invoker;
    private TcpConnection conn;
    private EventLoop loop;
    /** Borrowed from the loop while a request is read or answered; null while the connection is idle. */
    private RequestSlot slot;

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
    /** A handler runs on a worker or virtual thread: the slot stays, and no request follows, until it returns. */
    private boolean offloaded;
    /** Part of the current request may still be on its way: its body, or whatever a refused request left. */
    private boolean unreadInput;

    private int requests;
    /** When the current request's head was complete (or its refusal began): the start of its latency. */
    private long requestStart;
    /** After a 101: the protocol the connection switched to; or the {@link Lingering} close. */
    private UpgradeHandler upgraded;

    // The exchange in progress: the slot's request and response while they are in use, else null.
    private Request request;
    private Response response;

    HttpConnection(HttpServer server, LoopResources resources) {
        this.server = server;
        this.settings = server.settings();
        this.resources = resources;
        this.invoker = new RouteInvoker(server, this);
        this.deadlines = new HttpDeadlines(this, settings);
    }

    // --- ConnectionHandler ---------------------------------------------------------------

    @Override
    public void onOpen(TcpConnection c) {
        conn = c;
        loop = c.loop();
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
        if (phase != Phase.CLOSING) drive(); // closing with nothing unread: what comes now is not read
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
        if (!driving) settleSlot(); // else drive() does, once the handler it runs has returned
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
                if (offloaded) break; // its handler may still read the request: the slot is not free
                if (phase == Phase.IDLE) {
                    if (outputBlocked) break;
                    if (input == null || input.isEmpty()) break;
                    headStarted = true;
                    takeSlot();
                }
                if (input == null) break;
                switch (slot.parser.parse(input)) {
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
                        ParseError e = slot.parser.error();
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
            settleSlot();
        }
    }

    /**
     * Gives the slot back once the exchange is over and no next request has begun (or the
     * connection speaks another protocol now). A slot whose exchange a close cut short may still
     * be in a handler's hands (a worker's, a timer's): it is left to them, never reused.
     */
    private void settleSlot() {
        if (slot == null) return;
        if (conn.isOpen()) {
            boolean between = phase == Phase.IDLE && !headStarted && (input == null || input.isEmpty());
            if (offloaded || response != null || !(between || phase == Phase.UPGRADED)) return;
        }
        if (!offloaded && response == null) resources.slots().giveBack(slot);
        else resources.slots().discard(slot);
        slot = null;
    }

    /**
     * Borrows a slot for the request that begins, or, between two requests on one slot, keeps
     * it (with {@code checkLifetimes}, swaps it: the last request's storage is never reused).
     */
    private void takeSlot() {
        if (slot == null) {
            slot = resources.slots().borrow();
        } else if (slot.served && settings.checkLifetimes()) {
            resources.slots().giveBack(slot);
            slot = resources.slots().borrow();
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
        boolean holding = phase == Phase.RESPONDING || offloaded || (phase == Phase.IDLE && outputBlocked);
        if (holding && input != null && input.readableBytes() >= MAX_PENDING_INPUT) {
            if (!conn.isReadingPaused()) conn.pauseReading();
        } else if (!holding && conn.isReadingPaused()) {
            conn.resumeReading();
        }
    }

    private void onHead() {
        HttpParser parser = slot.parser;
        HttpRequest head = parser.request();
        headStarted = false;
        phase = Phase.BODY;
        requests++;
        requestStart = loop.nowNanos();
        unreadInput = head.hasBody();
        Route route = slot.begin(server.router(), this);
        request = slot.request;
        response = slot.response;
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
        slot.collectBody(!streaming && route != null);
        deadlines.bodyStarted();
        if (head.expectsContinue()) {
            // RFC 9110 §10.1.1: ask for the body only when it will be read; otherwise answer
            // with the final status at once and close, since the body may or may not follow.
            if (route == null) {
                response.closeAfter(true);
                phase = Phase.RESPONDING;
                slot.match.answer(response);
            } else if (head.contentLength() <= parser.bodyLimit()) {
                Buffer out = resources.scratch();
                ResponseEncoder.continue100(out);
                conn.send(out);
            }
            // else: the parser refuses the length with 413 on the next call, and no 100 was sent
        }
    }

    private void onBody() {
        HttpParser parser = slot.parser;
        BodyConsumer consumer = streaming && request != null ? request.bodyConsumer() : null;
        if (consumer != null
                && !invoker.consume(
                        consumer, request, response, parser.bodyArray(), parser.bodyOffset(), parser.bodyLength())) {
            streaming = false;
            return;
        }
        slot.bodyPiece();
        deadlines.bodyProgress(parser.bodyLength());
    }

    private void onMessage() {
        unreadInput = false;
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
        slot.endBody();
        RouteMatch match = slot.match;
        if (match.found()) invoker.respond(match.route(), request, response);
        else match.answer(response);
    }

    /** Answers the request being read with an error, without a handler: it is malformed or too slow. */
    private void refuse(int status, boolean close) {
        headStarted = false;
        unreadInput = true;
        if (phase == Phase.IDLE) {
            requests++; // a request that never got a head counts too, in the stats and the log
            requestStart = loop.nowNanos();
            request = null;
        }
        if (slot == null) slot = resources.slots().borrow(); // a deadline before any byte of a head
        slot.collectBody(false);
        response = slot.response;
        response.start(this, request);
        response.closeAfter(close);
        phase = Phase.RESPONDING;
        deadlines.clear();
        response.sendError(status);
    }

    /** The exchange is answered: count it, log it and forget it. */
    private void endExchange(Response res) {
        resources.answered(res, System.nanoTime() - requestStart, conn, settings.accessLog());
        request = null;
        response = null;
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
                if (upgraded instanceof Lingering l) l.expired(conn);
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
    public TcpConnection connection() {
        return conn;
    }

    @Override
    public boolean isOutputBlocked() {
        return outputBlocked;
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
            boolean unread = unreadInput || (input != null && !input.isEmpty());
            if (!unread) {
                // Nothing of the peer's is left unread: close as the output drains, with no FIN
                // first and no wait for the peer's (a reset needs unread bytes; there are none).
                deadlines.clear();
                conn.closeAfterOutput();
                return;
            }
            upgraded = Lingering.begin(conn, input, deadlines);
            return;
        }
        phase = Phase.IDLE;
        deadlines.idle(server.isDraining());
        if (!driving && !offloaded) drive(); // a response finished later (streamed): go on with what is buffered
    }

    @Override
    public void handlerOffloaded() {
        offloaded = true;
    }

    @Override
    public void handlerReturned() {
        offloaded = false;
        if (!conn.isOpen()) return;
        if (!driving) drive();
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
