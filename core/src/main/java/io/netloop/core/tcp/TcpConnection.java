package io.netloop.core.tcp;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.file.FileRoot;
import io.netloop.core.file.OpenFile;
import io.netloop.core.loop.Channel;
import io.netloop.core.loop.EventLoop;
import io.netloop.core.sys.ErrnoException;
import io.netloop.core.tcp.internal.OutboundQueue;
import io.netloop.core.transport.Interest;
import io.netloop.core.transport.NetOption;
import io.netloop.core.transport.StreamSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Executor;

/**
 * One established TCP connection on one {@link EventLoop}: its socket, its input, the
 * output it has yet to send, and its {@link ConnectionHandler}.
 *
 * <p>This class keeps the lifecycle ({@link ConnectionState}); its parts do the rest, each one
 * job: {@link Inbound} (reading within a budget per wake-up, to the end of the stream),
 * {@link Outbound} and its {@link OutboundQueue} (what waits for the socket, files sent with
 * sendfile(2), the cork, the water marks), {@link HandlerInvoker} (where the handler runs, and the
 * {@link io.netloop.core.loop.FailureRule} when it throws), {@link Filtering} (TLS or the PROXY
 * protocol between socket and handler) and {@link ConnectionTimeouts} (on the loop's wheel).
 *
 * <p>{@link #send} writes at once when nothing is queued; the rest waits, with EPOLLOUT
 * enabled until it drains. {@link #shutdownOutput} sends FIN once the queue is empty
 * (half-close). A reset, EPIPE, EPOLLERR, a timeout or a handler's failure closes the
 * connection exactly once ({@link ConnectionHandler#onClose}). The poller interest is derived
 * in one place ({@link #updateInterest}); with handlers off the loop the channel is one-shot,
 * re-armed without READ while a handler call owns the input.
 *
 * <p>Owns its socket. Threading: state and buffers belong to the loop thread. {@link #send},
 * {@link #close()}, {@link #shutdownOutput}, {@link #pauseReading} and {@link #resumeReading}
 * may be called from any thread (off the loop they hand over to it). Handler calls run on
 * the loop ({@link HandlerMode#LOOP}) or, one at a time, on workers or virtual threads.
 */
public final class TcpConnection implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TcpConnection.class.getName());

    // Package-private: the parts (Inbound, HandlerInvoker) work on them.
    final EventLoop loop;
    final StreamSocket socket;
    final Channel channel;
    final ConnectionConfig config;
    final HandlerInvoker invoker;
    final OutboundQueue output;
    private final Outbound out;
    /** Null for plaintext: the hot path then only tests this field. */
    final Filtering filtering;

    final ConnectionTimeouts timeouts;
    private final CloseListener closeListener;
    final Inbound in;

    ConnectionState state = ConnectionState.ESTABLISHING;
    /** The loop's time of the last byte read or written. */
    long lastActivity;

    private volatile Object attachment;

    /** Told when a connection closes, after its handler: servers use it to keep counts. */
    interface CloseListener {
        void closed(TcpConnection c);
    }

    private TcpConnection(
            EventLoop loop,
            StreamSocket socket,
            ConnectionHandler handler,
            ConnectionConfig config,
            CloseListener closeListener,
            Executor handlerExecutor,
            Channel registered,
            ConnectionFilter filter) {
        this.loop = loop;
        this.socket = socket;
        this.config = config;
        this.closeListener = closeListener;
        this.filtering = filter == null ? null : new Filtering(filter, loop.bufferPool());
        this.in = new Inbound(this, loop.bufferPool());
        this.invoker = new HandlerInvoker(this, handler, handlerExecutor);
        this.output = new OutboundQueue(
                socket,
                filter == null ? null : filter::outbound,
                loop.stats(),
                loop.bufferPool(),
                config.highWaterMark(),
                config.lowWaterMark(),
                config.readBudget() * 16L);
        this.out = new Outbound(this, output);
        this.timeouts = new ConnectionTimeouts(loop.wheel(), loop.clock(), config, output, out);
        if (registered != null) {
            registered.handler(out);
            this.channel = registered;
        } else {
            this.channel = loop.newChannel(socket, out);
        }
    }

    /**
     * A connection a server accepted.
     *
     * @param closeListener told after the handler, or null
     * @param handlerExecutor where handler calls run (workers, virtual threads), or null for the loop
     * @param filter between the socket and the handler (TLS, the PROXY protocol), or null
     */
    static TcpConnection accepted(
            EventLoop loop,
            StreamSocket socket,
            ConnectionHandler handler,
            ConnectionConfig config,
            CloseListener closeListener,
            Executor handlerExecutor,
            ConnectionFilter filter) {
        return new TcpConnection(loop, socket, handler, config, closeListener, handlerExecutor, null, filter);
    }

    /**
     * A client's connection, taking over the channel its connect was watched with: NIO cannot
     * register a channel whose key was cancelled until the selector's next select.
     */
    static TcpConnection connected(
            EventLoop loop,
            StreamSocket socket,
            ConnectionHandler handler,
            ConnectionConfig config,
            Channel registered) {
        return new TcpConnection(loop, socket, handler, config, null, null, registered, null);
    }

    /** Registers for reading and opens the handler (once the filter is established). Loop thread. */
    void start() {
        loop.assertInLoop();
        loop.own(this);
        lastActivity = loop.nowNanos();
        // Plaintext, the handler hears of a failure from here on (onClose with the reason), even one
        // that keeps it from being opened; behind a filter only once the filter is established.
        if (filtering == null) state = ConnectionState.OPEN;
        try {
            if (invoker.isOffloaded()) channel.setOneShot(true);
            updateInterest();
        } catch (RuntimeException e) {
            close(e);
            return;
        }
        timeouts.start();
        if (filtering == null || filtering.established()) {
            openHandler();
        } else {
            timeouts.expectEstablished(filtering.establishTimeoutNanos());
        }
    }

    void openHandler() {
        state = ConnectionState.OPEN;
        timeouts.established();
        invoker.open();
    }

    public EventLoop loop() {
        return loop;
    }

    public boolean isOpen() {
        return state != ConnectionState.CLOSED;
    }

    public StreamSocket socket() {
        return socket;
    }

    /** The filter between socket and handler (a {@code TlsFilter}, to ask for the negotiated protocol), or null. */
    public ConnectionFilter filter() {
        return filtering == null ? null : filtering.filter();
    }

    /**
     * The client's address: the one a PROXY header named, else the socket's peer; null if the
     * peer was gone before anyone asked. Any thread.
     */
    public InetSocketAddress remoteAddress() {
        if (filtering != null && state.handlerOpen()) {
            InetSocketAddress proxied = filtering.remoteAddress();
            if (proxied != null) return proxied;
        }
        return peerAddress();
    }

    /** The socket's peer (a proxy, when a PROXY header named the client), or null if it is gone. Any thread. */
    public InetSocketAddress peerAddress() {
        try {
            return socket.remoteAddress(); // the socket keeps it: accept4 gave it, or the first ask did
        } catch (IOException e) {
            return null; // the peer is gone already; callers log "unknown"
        }
    }

    public InetSocketAddress localAddress() {
        try {
            return socket.localAddress();
        } catch (IOException e) {
            return null;
        }
    }

    /** Bytes queued for sending, file ranges included (at most Integer.MAX_VALUE). Loop thread. */
    public int queuedOutputBytes() {
        return (int) Math.min(output.queuedBytes(), Integer.MAX_VALUE);
    }

    /** Bytes in the output buffer, ready for the socket (encoded, under a filter); for tests of the memory bound. */
    int bufferedOutputBytes() {
        return output.bufferedBytes();
    }

    /** Input received and not yet consumed by the handler. Loop thread. */
    public int bufferedInputBytes() {
        return in.input.readableBytes();
    }

    public long bytesRead() {
        return in.bytesRead;
    }

    public long bytesWritten() {
        return output.bytesWritten();
    }

    public boolean isReadingPaused() {
        return in.readingPaused;
    }

    public boolean isInputClosed() {
        return in.inputClosed;
    }

    public Object attachment() {
        return attachment;
    }

    public void attach(Object o) {
        attachment = o;
    }

    // Events, on the loop thread.

    void onReady(int ops) {
        if ((ops & Interest.ERROR) != 0) {
            handleError();
            return;
        }
        if ((ops & Interest.WRITE) != 0) out.writable();
        if (isOpen() && (ops & (Interest.READ | Interest.PEER_SHUTDOWN | Interest.HANGUP)) != 0) in.readable(ops);
        if (isOpen()) updateInterest();
    }

    /** Derives the poller interest from the state; re-arms a one-shot channel. Loop thread. */
    void updateInterest() {
        if (in.busy && in.hungUpWhileBusy) return; // stays disarmed until offloadedDataDone
        channel.arm((in.wantsRead() ? Interest.READ : 0) | (output.isEmpty() ? 0 : Interest.WRITE));
    }

    private void handleError() {
        IOException cause;
        try {
            int errno = socket.pendingError();
            cause = errno != 0 ? new ErrnoException("socket", errno) : new IOException("EPOLLERR");
        } catch (IOException e) {
            cause = e;
        }
        close(cause);
    }

    /** After each handler call on the loop: a cork, and a hold for the FIN, last at most one call. */
    void endOfHandlerCall() {
        if (output.isCorked()) uncork();
        if (state == ConnectionState.OPEN && output.isLastOutput()) out.releaseLastOutput();
    }

    /** On the loop, after a handler call on a worker or virtual thread gave the input back. */
    void offloadedDataDone() {
        in.offloadedDataDone();
    }

    /** Writes what the socket takes now. @return false when the connection closed on a write error */
    boolean flush() {
        return out.flush();
    }

    /**
     * Closes with a reset (SO_LINGER 0): the kernel drops what it still holds for the peer.
     * An ordinary close would leave that send queue, up to megabytes, to a peer that does
     * not read it, in an orphaned socket we can no longer close.
     */
    private void abort(IOException cause) {
        try {
            socket.set(NetOption.SO_LINGER, 0);
        } catch (IOException | RuntimeException e) {
            cause.addSuppressed(e); // the close below still happens, only without the reset
        }
        close(cause);
    }

    /** A timeout expired: close, with a reset when unsent output would linger otherwise. */
    void timedOut(SocketTimeoutException cause, boolean reset) {
        if (reset) abort(cause);
        else close(cause);
    }

    /**
     * Sends {@code src[off, off+len)}: written now if nothing is queued, the rest queued. From
     * another thread the bytes are copied and sent by the loop.
     *
     * @return false when the connection is closed or its output shut down (nothing is sent);
     *     off the loop thread, true means handed over
     */
    public boolean send(byte[] src, int off, int len) {
        if (!loop.inLoop()) {
            byte[] copy = Arrays.copyOfRange(src, off, off + len);
            loop.execute(() -> send(copy, 0, copy.length));
            return true;
        }
        return out.send(src, off, len);
    }

    public boolean send(byte[] src) {
        return send(src, 0, src.length);
    }

    /** Sends and consumes all of {@code src}'s readable bytes (copied first when off the loop). */
    public boolean send(Buffer src) {
        boolean ok = send(src.array(), src.readerIndex(), src.readableBytes());
        src.clear();
        return ok;
    }

    public boolean send(String s) {
        return send(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Sends {@code count} bytes of {@code file} from {@code position}, after everything queued
     * before, without copying them through the heap (sendfile(2); on NIO
     * {@code FileChannel.transferTo}). Bytes sent afterwards wait behind the range. The file
     * is opened here and closed once its range is sent or the connection closes; if it turns
     * out shorter than the range, the connection closes (the peer was promised those bytes).
     * Loop thread.
     *
     * @return false when the connection is closed or its output shut down (nothing is sent)
     * @throws IOException when the file cannot be opened; nothing is queued then
     */
    public boolean sendFile(Path file, long position, long count) throws IOException {
        loop.assertInLoop();
        if (state != ConnectionState.OPEN) return false;
        if (count == 0) return true;
        // A JDK socket or a filter reads the file through a channel: open just that.
        try (OpenFile f = socket.fd() < 0 || filtering != null ? OpenFile.openChannel(file) : OpenFile.open(file)) {
            return sendFile(f, position, count);
        }
    }

    /**
     * As {@link #sendFile(Path, long, long)}, from a file the caller opened (beneath a
     * {@link FileRoot}, say). The connection takes a reference of its own, given back once the
     * range is sent or the connection closes; the caller closes its own whenever it likes.
     * Loop thread.
     */
    public boolean sendFile(OpenFile file, long position, long count) {
        return sendFile(null, file, position, count);
    }

    /**
     * Sends {@code head} (a response header, say) and then the file range, the head taking
     * the same packet as the file's first bytes where the transport allows (MSG_MORE).
     * Consumes {@code head} (null for none); references {@code file} as
     * {@link #sendFile(OpenFile, long, long)} does.
     */
    public boolean sendFile(Buffer head, OpenFile file, long position, long count) {
        loop.assertInLoop();
        return out.sendFile(head, file, position, count);
    }

    /**
     * Holds the sends that follow in the output buffer instead of writing each at once, until
     * {@link #uncork} or the end of the current {@link ConnectionHandler#onData} call, so that
     * several small messages leave in one system call and one segment (the user-space
     * counterpart of TCP_CORK). Water marks still apply while corked. Loop thread.
     */
    public void cork() {
        loop.assertInLoop();
        output.cork();
    }

    /**
     * Writes what was sent since {@link #cork} (what the socket does not take stays queued,
     * as with {@link #send}). Loop thread; nothing happens when not corked.
     */
    public void uncork() {
        loop.assertInLoop();
        out.uncork();
    }

    /**
     * Says that what this handler call sends from now on is the connection's last output, and
     * that the call ends it ({@link #closeAfterOutput}, {@link #close}, {@link #shutdownOutput}):
     * the transport then holds the bytes back (MSG_MORE; TCP_CORK before a file) so that they
     * leave with the FIN in one packet, as nginx's {@code tcp_nopush} does for a closing answer,
     * instead of a packet and a FIN of their own. Does nothing outside a handler call on the
     * loop, or under a filter (TLS); a connection still open when the call ends sends what is
     * held then. Loop thread.
     */
    public void lastOutput() {
        loop.assertInLoop();
        if (in.inDataCall && state == ConnectionState.OPEN) output.lastOutput();
    }

    /** Stops reading (backpressure); bytes wait in the kernel, and the peer is slowed by TCP. */
    public void pauseReading() {
        if (!loop.inLoop()) {
            loop.execute(this::pauseReading);
            return;
        }
        in.readingPaused = true;
        if (isOpen()) updateInterest();
    }

    public void resumeReading() {
        if (!loop.inLoop()) {
            loop.execute(this::resumeReading);
            return;
        }
        in.readingPaused = false;
        if (isOpen()) updateInterest();
    }

    /**
     * Closes once the queued output is written, at once when nothing is queued: no FIN first, no
     * wait for the peer's. Right when nothing more is expected from the peer (unread bytes at
     * close make the kernel send a reset, which may destroy what is still in flight). Any thread.
     */
    public void closeAfterOutput() {
        if (!loop.inLoop()) {
            loop.execute(this::closeAfterOutput);
            return;
        }
        if (state != ConnectionState.OPEN) return;
        if (output.isEmpty()) close(null);
        else state = ConnectionState.CLOSING;
    }

    /** Half-close: sends FIN once the queued output is written. Reading goes on. */
    public void shutdownOutput() {
        if (!loop.inLoop()) {
            loop.execute(this::shutdownOutput);
            return;
        }
        if (state != ConnectionState.OPEN) return;
        state = ConnectionState.DRAINING;
        if (output.isEmpty()) shutdownOutputNow();
    }

    /** FIN now: the queue is empty (after the protocol's own end, under a filter). */
    void shutdownOutputNow() {
        // The protocol's own end (close_notify) goes before FIN; a drained queue comes back here once it is out.
        if (filtering != null && !filtering.endWritten(this)) return;
        state = ConnectionState.OUTPUT_SHUT;
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            close(e);
            return;
        }
        if (in.inputClosed && !in.busy) close(null);
    }

    /** Closes now, dropping queued output. Any thread; idempotent. */
    @Override
    public void close() {
        if (!loop.inLoop()) {
            loop.execute(this::close);
            return;
        }
        close(null);
    }

    /** Closes now with {@code cause} reported to the handler. Loop thread; idempotent. */
    public void close(Throwable cause) {
        loop.assertInLoop();
        if (state == ConnectionState.CLOSED) return;
        // Without the cork these bytes would have been written already: give them that chance.
        if (output.uncork() && !flush()) return; // the write failed and closed
        boolean handlerOpen = state.handlerOpen();
        if (filtering != null
                && cause == null
                && handlerOpen
                && state != ConnectionState.OUTPUT_SHUT
                && output.isEmpty()) {
            filtering.sayGoodbye(socket, output.wire());
        }
        state = ConnectionState.CLOSED;
        loop.disown(this);
        timeouts.cancelAll();
        channel.removeBeforeClose();
        output.discard();
        in.closed();
        try {
            socket.close();
        } catch (IOException e) {
            loop.reportFailure("closing " + socket, e);
        }
        if (!handlerOpen) {
            // Never established (a failed handshake, no PROXY header): the handler never heard of it.
            if (cause != null)
                LOG.log(System.Logger.Level.DEBUG, () -> "closed " + this + " before it was established: " + cause);
            closeListenerLast();
            return;
        }
        invoker.closed(cause);
        if (cause != null && !(cause instanceof IOException)) {
            // A handler bug, not a network event: say so, once, with the trace.
            loop.reportFailure("closed " + this + " after a handler failure", cause);
        }
    }

    /** After the handler's onClose (on whichever thread it ran): the server's count. */
    void closeListenerLast() {
        if (closeListener != null) closeListener.closed(this);
    }

    @Override
    public String toString() {
        return "TcpConnection[" + socket + (isOpen() ? "" : ", closed") + "]";
    }
}
