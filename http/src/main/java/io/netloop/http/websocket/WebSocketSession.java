package io.netloop.http.websocket;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.loop.EventLoop;
import io.netloop.core.loop.FailureRule;
import io.netloop.core.loop.Timer;
import io.netloop.core.tcp.TcpConnection;
import io.netloop.http.Request;
import io.netloop.http.UpgradeHandler;
import io.netloop.http.codec.HttpHeaders;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One WebSocket connection after the upgrade: decodes the client's frames into messages for
 * the route's {@link WebSocketHandler}, sends messages, answers pings, keeps the close
 * handshake and the keep-alive pings, and reports the end exactly once.
 *
 * <p>Closing (RFC 6455 §7): whichever side sends the first close frame, the other's answer
 * completes the handshake; then this side, the server, shuts its output down (FIN after the
 * queued frames) and the TCP connection closes when the client's FIN arrives, or after the
 * close timeout. A peer that breaks the protocol gets a close frame with the code and the
 * same shutdown, its further input discarded (§7.1.7). Without a close frame, a lost
 * connection is reported as 1006.
 *
 * <p>Back-pressure: while the output is above the high-water mark, reading from the peer
 * pauses (so a client that sends without reading costs a bounded amount of memory) and sends
 * return false.
 *
 * <p>Owns the decoder's inflater and the deflater, freed when the connection closes.
 * Threading: the connection's loop thread (see {@link WebSocket}).
 */
final class WebSocketSession implements WebSocket, UpgradeHandler, MessageAssembler.MessageSink {
    /** Messages shorter than this go out uncompressed: deflating them saves little or nothing. */
    private static final int COMPRESS_MIN = 32;
    /** Frames up to this size are built in one buffer and written with one call. */
    private static final int COALESCE_MAX = 16 * 1024;

    private static final ThreadLocal<Buffer> FRAME_SCRATCH = ThreadLocal.withInitial(() -> new Buffer(4096));

    private final WebSocketRoute route;
    private final WebSocketHandler handler;
    private final Request request;
    private final FrameDecoder decoder;
    private final MessageAssembler assembler;
    private final MessageDeflater deflater;
    private final byte[] header = new byte[FrameEncoder.MAX_HEADER];
    private final long pingNanos;
    private volatile Object attachment;

    private TcpConnection conn;
    private EventLoop loop;
    private boolean closeSent;
    private boolean closeReceived;
    /** Input is no longer decoded: the handshake is over or the peer failed it. */
    private boolean discardInput;

    private boolean reported;
    private boolean aboveHighWater;
    /** Inside {@link #onData}: the decoder and the inflater are in use. */
    private boolean decoding;

    private long lastReadNanos;
    private boolean pingOutstanding;
    private Timer pingTimer;
    private Timer closeTimer;

    WebSocketSession(WebSocketRoute route, Request request, DeflateOffer deflate) {
        this.route = route;
        this.handler = route.handler();
        this.request = request;
        this.decoder = new FrameDecoder(route.maxFrameSize(), route.maxMessageSize(), true, deflate != null);
        this.assembler = new MessageAssembler(
                route.maxMessageSize(), deflate != null, deflate != null && deflate.clientNoContextTakeover(), this);
        this.deflater = deflate == null ? null : new MessageDeflater(deflate.serverNoContextTakeover());
        this.pingNanos = route.pingInterval().toNanos();
    }

    // --- the connection (UpgradeHandler) -------------------------------------------------

    @Override
    public void onOpen(TcpConnection c) {
        conn = c;
        loop = c.loop();
        lastReadNanos = System.nanoTime();
        if (pingNanos > 0) pingTimer = loop.schedule(this::checkAlive, pingNanos, TimeUnit.NANOSECONDS);
        try {
            handler.onOpen(this);
        } catch (Throwable t) {
            handlerFailed("onOpen", t);
        }
    }

    @Override
    public void onData(TcpConnection c, Buffer in) {
        lastReadNanos = System.nanoTime();
        pingOutstanding = false;
        if (discardInput) {
            in.clear();
            return;
        }
        decoding = true;
        try {
            decoder.decode(in.array(), in.readerIndex(), in.readableBytes(), assembler);
        } catch (WebSocketException e) {
            if (!discardInput) fail(e.closeCode(), e.getMessage());
        } finally {
            decoding = false;
            in.clear();
            // The connection may have closed under the decoder (a shutdown after the input had
            // ended closes at once): the compressors it was using are freed only now.
            if (!conn.isOpen()) discard();
        }
    }

    @Override
    public void onInputClosed(TcpConnection c) {
        report(CloseCode.ABNORMAL, "the peer closed the connection without a close frame");
        // Send what is queued (a close frame, perhaps), then the connection closes: our FIN
        // meets the peer's.
        if (!closeReceived && !discardInput) endTcp();
    }

    @Override
    public void onHighWater(TcpConnection c, int queuedBytes) {
        aboveHighWater = true;
        c.pauseReading();
    }

    @Override
    public void onLowWater(TcpConnection c) {
        aboveHighWater = false;
        c.resumeReading();
        if (!closeSent) {
            try {
                handler.onWritable(this);
            } catch (Throwable t) {
                handlerFailed("onWritable", t);
            }
        }
    }

    @Override
    public void onClose(TcpConnection c, Throwable cause) {
        cancel(pingTimer);
        cancel(closeTimer);
        report(CloseCode.ABNORMAL, cause == null ? "connection closed" : "connection lost: " + cause.getMessage());
        discard();
    }

    /** Frees the compressors (of a closed session, or of one that never opened). Idempotent. */
    void discard() {
        if (decoding) return; // onData frees them once the decoder is done
        assembler.close();
        if (deflater != null) deflater.close();
    }

    @Override
    public void onShutdown(TcpConnection c) {
        if (!closeSent) close(CloseCode.GOING_AWAY, "server shutting down");
    }

    // --- messages from the peer (MessageSink) --------------------------------------------

    @Override
    public void onText(String text) {
        if (closeSent) return; // closing: what the peer still sends is not delivered
        try {
            handler.onText(this, text);
        } catch (Throwable t) {
            handlerFailed("onText", t);
        }
    }

    @Override
    public void onBinary(byte[] data) {
        if (closeSent) return;
        try {
            handler.onBinary(this, data);
        } catch (Throwable t) {
            handlerFailed("onBinary", t);
        }
    }

    @Override
    public void onPing(byte[] payload) {
        if (!closeSent) writeFrame(Opcode.PONG, false, payload, 0, payload.length);
    }

    @Override
    public void onPong(byte[] payload) {
        // Any input proves the peer alive (onData); a pong needs nothing more.
    }

    @Override
    public void onClose(int code, String reason) {
        closeReceived = true;
        discardInput = true; // nothing may follow a close frame (§5.5.1)
        if (!closeSent) {
            // Echo the code (§5.5.1); a close without one is answered with none.
            byte[] p = code == CloseCode.NO_STATUS ? new byte[0] : FrameEncoder.closePayload(code, "");
            sendClose(p);
        }
        report(code, reason);
        endTcp();
    }

    // --- WebSocket -----------------------------------------------------------------------

    @Override
    public boolean sendText(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return sendMessage(Opcode.TEXT, b);
    }

    @Override
    public boolean sendBinary(byte[] data) {
        return sendMessage(Opcode.BINARY, data);
    }

    private boolean sendMessage(int opcode, byte[] data) {
        loop.assertInLoop();
        if (closeSent || !conn.isOpen()) return false;
        if (deflater != null && data.length >= COMPRESS_MIN) {
            int n = deflater.compress(data, 0, data.length);
            writeFrame(opcode, true, deflater.output(), 0, n);
        } else {
            writeFrame(opcode, false, data, 0, data.length);
        }
        return !aboveHighWater && conn.isOpen();
    }

    @Override
    public void close(int code, String reason) {
        if (!CloseCode.isValidOnWire(code))
            throw new IllegalArgumentException(
                    "close code " + code + " may not be sent; use 1000, 1001, 1008, 1011 or 3000-4999");
        byte[] payload = FrameEncoder.closePayload(code, reason);
        loop.assertInLoop();
        if (closeSent || !conn.isOpen()) return;
        sendClose(payload);
        // Keep reading for the peer's answer; onClose(int, String) completes the handshake.
        closeTimer = loop.schedule(this::closeTimedOut, route.closeTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean isOpen() {
        return !closeSent && !closeReceived && !reported;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return request.remoteAddress();
    }

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public int queuedOutputBytes() {
        loop.assertInLoop();
        return conn.queuedOutputBytes();
    }

    @Override
    public String path() {
        return request.path();
    }

    @Override
    public HttpHeaders requestHeaders() {
        return request.headers();
    }

    @Override
    public String param(String name) {
        return request.param(name);
    }

    @Override
    public String query(String name) {
        return request.query(name);
    }

    @Override
    public void attach(Object o) {
        attachment = o;
    }

    @Override
    public Object attachment() {
        return attachment;
    }

    @Override
    public String toString() {
        return "WebSocket[" + request.path() + " from " + remoteAddress() + (isOpen() ? "" : ", closed") + "]";
    }

    // --- internals -----------------------------------------------------------------------

    /** Fails the connection (§7.1.7): a close frame with {@code code}, then the TCP shutdown. */
    private void fail(int code, String reason) {
        discardInput = true;
        if (!closeSent) sendClose(FrameEncoder.closePayload(code, truncate(reason)));
        report(code, reason);
        endTcp();
    }

    private void sendClose(byte[] payload) {
        closeSent = true;
        writeFrame(Opcode.CLOSE, false, payload, 0, payload.length);
    }

    /** Both close frames are out (or the peer failed): FIN after the queue, then wait for the peer's FIN. */
    private void endTcp() {
        cancel(pingTimer);
        if (!conn.isOpen()) return;
        conn.shutdownOutput();
        if (conn.isReadingPaused()) conn.resumeReading(); // to see the peer's FIN
        cancel(closeTimer);
        closeTimer = loop.schedule(conn::close, route.closeTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void closeTimedOut() {
        if (!conn.isOpen() || closeReceived) return;
        report(CloseCode.ABNORMAL, "no close frame from the peer within " + route.closeTimeout());
        conn.close();
    }

    private void checkAlive() {
        pingTimer = null;
        if (!conn.isOpen() || closeSent) return;
        long idle = System.nanoTime() - lastReadNanos;
        if (idle < pingNanos) {
            pingTimer = loop.schedule(this::checkAlive, pingNanos - idle, TimeUnit.NANOSECONDS);
            return;
        }
        if (pingOutstanding) {
            report(CloseCode.ABNORMAL, "no answer to a ping within " + route.pingInterval());
            conn.close();
            return;
        }
        pingOutstanding = true;
        writeFrame(Opcode.PING, false, header, 0, 0);
        pingTimer = loop.schedule(this::checkAlive, pingNanos, TimeUnit.NANOSECONDS);
    }

    private void writeFrame(int opcode, boolean compressed, byte[] payload, int off, int len) {
        if (len <= COALESCE_MAX) {
            Buffer b = FRAME_SCRATCH.get();
            b.clear();
            FrameEncoder.frame(b, opcode, true, compressed, payload, off, len);
            conn.send(b);
        } else {
            // A large payload is not copied into one buffer first: two writes cost less than the copy.
            int n = FrameEncoder.header(header, 0, opcode, true, compressed, len, false, 0);
            conn.send(header, 0, n);
            conn.send(payload, off, len);
        }
    }

    private void report(int code, String reason) {
        if (reported) return;
        reported = true;
        try {
            handler.onClose(this, code, reason);
        } catch (Throwable t) {
            // The connection is ending already: the failure is only logged, once.
            String where = "onClose of " + route + " on " + this;
            FailureRule.survive(t, where);
            FailureRule.report(where, t);
        }
    }

    /**
     * The failure rule ({@link FailureRule}) for a handler callback: a fatal error stops the
     * process; anything else is logged once, with its stack, and fails this connection alone
     * with 1011 (internal error).
     */
    private void handlerFailed(String callback, Throwable t) {
        String where = callback + " of " + route + " on " + this + "; closing with 1011";
        FailureRule.survive(t, where);
        FailureRule.report(where, t);
        if (!reported) fail(CloseCode.INTERNAL_ERROR, "internal error");
    }

    private static void cancel(Timer t) {
        if (t != null) t.cancel();
    }

    /** A reason cut to the 123 bytes a close frame can carry (ours are ASCII, but be safe at any boundary). */
    private static String truncate(String reason) {
        String r = reason == null ? "" : reason;
        while (r.getBytes(StandardCharsets.UTF_8).length > 123) r = r.substring(0, r.length() - 1);
        return r;
    }
}
