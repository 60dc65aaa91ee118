package io.netloop.core;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.Executor;

/**
 * One established TCP connection on one {@link EventLoop}: an input and an output
 * {@link Buffer}, the socket's readiness, and a {@link ConnectionHandler}.
 *
 * <ul>
 *   <li>Reads up to {@link ConnectionConfig#readBudget} bytes per wake-up, so one fast peer
 *       cannot starve the rest; edge-triggered, it comes back after the batch for more.</li>
 *   <li>{@link #send} writes at once when nothing is queued; what the kernel does not take
 *       is queued, EPOLLOUT is enabled, and disabled again once the queue drains.</li>
 *   <li>High/low water marks tell the handler when to stop and resume reading.</li>
 *   <li>{@link #sendFile} queues a file range behind the buffered bytes and sends it with
 *       sendfile(2) (NIO: {@code FileChannel.transferTo}); bytes sent after it wait behind it.
 *       Its bytes count toward the water marks like buffered ones.</li>
 *   <li>{@link #cork} gathers the sends that follow into the output buffer, written by one
 *       system call at {@link #uncork}: an HTTP server answering a batch of pipelined requests
 *       sends one segment instead of one per response.</li>
 *   <li>{@link #shutdownOutput} sends FIN only after the queue drains (half-close).</li>
 *   <li>A {@link ConnectionFilter} (TLS, the PROXY protocol), when the server set one, sits
 *       between the socket and the handler: socket bytes go to a raw buffer and reach the
 *       handler decoded; what the handler sends is encoded; the handler is opened once the
 *       filter is established. {@link #output} then holds the wire's bytes in the order the
 *       filter produced them, while a queued file range and the bytes queued behind it stay
 *       plaintext until the socket has room for them (so that encoding order is wire order).</li>
 *   <li>A reset, EPIPE, EPOLLERR, an idle timeout, output that stops draining (the write
 *       timeout) or a handler's exception closes the connection exactly once
 *       ({@link ConnectionHandler#onClose}); the loop goes on.</li>
 * </ul>
 *
 * <p>The poller interest is derived in one place ({@link #updateInterest}) from the state:
 * reading unless paused, at end of input, or busy in a worker; writing while output is
 * queued (bytes or file ranges). In the worker and virtual-thread modes the channel is one-shot: every report
 * disarms it, and {@code updateInterest} re-arms it without READ while a handler call owns
 * the input buffer.
 *
 * <p>Owns its socket. Threading: state and buffers belong to the loop thread. {@link #send},
 * {@link #close()}, {@link #shutdownOutput}, {@link #pauseReading} and {@link #resumeReading}
 * may be called from any thread (off the loop they hand over to it). Handler calls run on
 * the loop ({@link HandlerMode#LOOP}) or, one at a time, on workers or virtual threads.
 */
public final class TcpConnection implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TcpConnection.class.getName());
    /** Reads smaller than this waste a system call; the input grows in steps of READ_CHUNK. */
    private static final int MIN_READ = 2048;
    private static final int READ_CHUNK = 16 * 1024;
    /** An idle connection keeps at most this much buffer memory. */
    private static final int RETAINED_CAPACITY = 64 * 1024;
    /** A file read for a filter: one TLS record's worth, so at most one chunk waits encoded. */
    private static final int FILE_CHUNK = 16 * 1024;

    private final EventLoop loop;
    private final StreamSocket socket;
    private final Channel channel;
    private final ConnectionHandler handler;
    private final ConnectionConfig config;
    private final Executor offload; // null: handlers run on the loop
    private final Buffer input = new Buffer();
    private final Buffer output = new Buffer();
    private final Runnable readAgain = this::readAgain;
    private final Runnable writeAgain = this::writeAgain;
    /** File ranges queued behind {@link #output}, in order; null until the first {@link #sendFile}. */
    private ArrayDeque<FileRegion> files;
    /** Bytes of {@link #files}: unsent file bytes plus the bytes queued behind each range. */
    private long filesQueued;
    private final Runnable deliverOffloaded = this::deliverOffloaded;
    private final Runnable offloadedDataDone = this::offloadedDataDone;
    private final CloseListener closeListener;
    /** Null for plaintext: the hot path then only tests this field. */
    private final ConnectionFilter filter;
    /** Under a filter: socket bytes not yet decoded. */
    private Buffer raw;
    /** Under a filter: a file's next plaintext chunk; dropped once no file is queued. */
    private byte[] fileChunk;
    /** On the wheel, like the idle timeout: O(1) to cancel, nothing left behind in the timer heap. */
    private TimingWheel.Timeout establishTimer;
    private boolean handlerOpen;
    private boolean closeOutboundQueued;

    private boolean open;
    private boolean inputClosed;
    private boolean shutdownRequested;
    private boolean outputShut;
    private boolean readingPaused;
    private boolean peerShutdown;
    private boolean busy; // a worker owns the input buffer
    private boolean hungUpWhileBusy;
    private boolean aboveHighWater;
    /** {@link #cork}ed: sends queue without writing until {@link #uncork}. */
    private boolean corked;
    /** Nothing was queued when the cork began, so no EPOLLOUT is armed and uncork must write. */
    private boolean corkedOnEmpty;
    private long bytesRead;
    private long bytesWritten;
    private long lastActivity;
    private TimingWheel.Timeout idleTimeout;
    /** Checks that queued output drains; pending only while output is queued (see {@link #checkWriteProgress}). */
    private TimingWheel.Timeout writeCheck;
    private long writeWindowStart;
    private long writtenAtWindowStart;
    private volatile Object attachment;
    private volatile InetSocketAddress remote;

    /** Told when a connection closes, after its handler: servers use it to keep counts. */
    interface CloseListener {
        void closed(TcpConnection c);
    }

    TcpConnection(EventLoop loop, StreamSocket socket, ConnectionHandler handler, ConnectionConfig config,
                  CloseListener closeListener) {
        this(loop, socket, handler, config, closeListener, null);
    }

    TcpConnection(EventLoop loop, StreamSocket socket, ConnectionHandler handler, ConnectionConfig config,
                  CloseListener closeListener, Executor handlerExecutor) {
        this(loop, socket, handler, config, closeListener, handlerExecutor, null);
    }

    /**
     * @param registered a channel already registered for {@code socket} (a client's, after
     *     its connect completed), taken over rather than registered again: NIO cannot
     *     register a channel whose key was cancelled until the selector's next select
     */
    TcpConnection(EventLoop loop, StreamSocket socket, ConnectionHandler handler, ConnectionConfig config,
                  CloseListener closeListener, Executor handlerExecutor, Channel registered) {
        this(loop, socket, handler, config, closeListener, handlerExecutor, registered, null);
    }

    /** @param filter between the socket and the handler (TLS, PROXY protocol); null for none */
    TcpConnection(EventLoop loop, StreamSocket socket, ConnectionHandler handler, ConnectionConfig config,
                  CloseListener closeListener, Executor handlerExecutor, Channel registered, ConnectionFilter filter) {
        this.loop = loop;
        this.filter = filter;
        if (filter != null) raw = new Buffer();
        this.socket = socket;
        this.handler = handler;
        this.config = config;
        this.closeListener = closeListener;
        this.offload = handlerExecutor == null ? null : new SerialExecutor(handlerExecutor);
        if (registered != null) {
            registered.handler = this::onReady;
            this.channel = registered;
        } else {
            this.channel = loop.newChannel(socket, this::onReady);
        }
    }

    /** Registers for reading and calls {@link ConnectionHandler#onOpen}. Loop thread. */
    void start() {
        loop.assertInLoop();
        open = true;
        handlerOpen = filter == null; // a failure from here on is the handler's to hear of
        loop.own(this);
        lastActivity = loop.nowNanos();
        try {
            if (offload != null) channel.setOneShot(true);
            updateInterest();
        } catch (RuntimeException e) {
            close(e);
            return;
        }
        if (config.idleTimeoutNanos() > 0) {
            idleTimeout = loop.wheel().schedule(this::checkIdle, config.idleTimeoutNanos(), loop.nowNanos());
        }
        if (filter == null || filter.established()) {
            openHandler();
        } else if (filter.establishTimeoutNanos() > 0) {
            establishTimer = loop.wheel().schedule(this::establishTimedOut, filter.establishTimeoutNanos(), loop.nowNanos());
        }
    }

    private void openHandler() {
        handlerOpen = true;
        if (offload == null) {
            try {
                handler.onOpen(this);
            } catch (RuntimeException e) {
                close(e);
            }
        } else {
            offload.execute(() -> callOffloaded(() -> handler.onOpen(this)));
        }
    }

    private void establishTimedOut() {
        if (open && !handlerOpen) {
            close(new SocketTimeoutException("not established within " + filter.establishTimeoutNanos() / 1_000_000 + " ms"));
        }
    }

    public EventLoop loop() {
        return loop;
    }

    public boolean isOpen() {
        return open;
    }

    public StreamSocket socket() {
        return socket;
    }

    /** The filter between socket and handler (a {@code TlsFilter}, to ask for the negotiated protocol), or null. */
    public ConnectionFilter filter() {
        return filter;
    }

    /**
     * The client's address: the one a PROXY header named, else the socket's peer; null if the
     * peer was gone before anyone asked. Any thread.
     */
    public InetSocketAddress remoteAddress() {
        if (filter != null && handlerOpen) {
            InetSocketAddress proxied = filter.remoteAddress();
            if (proxied != null) return proxied;
        }
        return peerAddress();
    }

    /**
     * The socket's peer (a proxy, when a PROXY header named the client), or null if it was
     * gone before anyone asked. Cached: after close the descriptor number may belong to
     * another socket, so it is never asked again. Any thread.
     */
    public InetSocketAddress peerAddress() {
        InetSocketAddress r = remote;
        if (r != null || !open) return r;
        try {
            r = socket.remoteAddress();
        } catch (IOException e) {
            return null; // the peer is gone already; callers log "unknown"
        }
        remote = r;
        return r;
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
        return (int) Math.min(queuedBytes(), Integer.MAX_VALUE);
    }

    /** Bytes in the output buffer, ready for the socket (encoded, under a filter); for tests of the memory bound. */
    int bufferedOutputBytes() {
        return output.readableBytes();
    }

    private long queuedBytes() {
        return output.readableBytes() + filesQueued;
    }

    private boolean hasFiles() {
        return files != null && !files.isEmpty();
    }

    private boolean nothingQueued() {
        return output.isEmpty() && !hasFiles();
    }

    /** Input received and not yet consumed by the handler. Loop thread. */
    public int bufferedInputBytes() {
        return input.readableBytes();
    }

    public long bytesRead() {
        return bytesRead;
    }

    public long bytesWritten() {
        return bytesWritten;
    }

    public boolean isReadingPaused() {
        return readingPaused;
    }

    public boolean isInputClosed() {
        return inputClosed;
    }

    public Object attachment() {
        return attachment;
    }

    public void attach(Object o) {
        attachment = o;
    }

    // --- events (loop thread) ------------------------------------------------------------

    private void onReady(int ops) {
        if ((ops & Interest.ERROR) != 0) {
            handleError();
            return;
        }
        if ((ops & Interest.WRITE) != 0) handleWrite();
        if (open && (ops & (Interest.READ | Interest.PEER_SHUTDOWN | Interest.HANGUP)) != 0) {
            // After RDHUP or HUP, read on to the end: the FIN may sit behind data (Netty does the
            // same). Remembered, because edge-triggered the report does not come twice.
            if ((ops & (Interest.PEER_SHUTDOWN | Interest.HANGUP)) != 0) peerShutdown = true;
            if (wantsRead()) {
                handleRead();
            } else if ((ops & Interest.HANGUP) != 0 && !busy) {
                // Reading is paused, but neither direction works any more: nothing can be answered.
                close(null);
            } else if ((ops & Interest.HANGUP) != 0) {
                // A worker owns the input. EPOLLHUP is reported even with no interest, so re-arming
                // now would report it again at once, in a spin: wait disarmed for the worker.
                hungUpWhileBusy = true;
            }
        }
        if (open) updateInterest();
    }

    private boolean wantsRead() {
        return open && !inputClosed && !readingPaused && !busy;
    }

    /** Derives the poller interest from the state; re-arms a one-shot channel. Loop thread. */
    private void updateInterest() {
        if (busy && hungUpWhileBusy) return; // stays disarmed until offloadedDataDone
        int interest = (wantsRead() ? Interest.READ : 0) | (nothingQueued() ? 0 : Interest.WRITE);
        channel.arm(interest);
    }

    private void handleError() {
        int errno = 0;
        IOException cause;
        try {
            if (socket.fd() >= 0) errno = io.netloop.sys.Net.socketError(socket.fd());
            cause = errno != 0 ? new io.netloop.sys.ErrnoException("socket", errno) : new IOException("EPOLLERR");
        } catch (IOException e) {
            cause = e;
        }
        close(cause);
    }

    private void readAgain() {
        if (wantsRead()) {
            handleRead();
            if (open) updateInterest();
        }
    }

    private void handleRead() {
        boolean toEnd = peerShutdown;
        int budget = config.readBudget();
        boolean eof = false;
        IOException failure = null;
        long before = bytesRead;
        Buffer in = filter == null ? input : raw;
        for (;;) {
            if (in.writableBytes() < MIN_READ) in.ensureWritable(READ_CHUNK);
            int want = Math.min(in.writableBytes(), budget);
            int n;
            try {
                n = socket.read(in.array(), in.writerIndex(), want);
            } catch (IOException e) {
                failure = e;
                break;
            }
            if (n > 0) {
                in.hasWritten(n);
                bytesRead += n;
                budget -= n;
                // A short read drained the socket: new data would raise a new event, even edge-triggered.
                if (budget <= 0 || (n < want && !toEnd)) break;
            } else {
                eof = n == StreamSocket.EOF;
                break;
            }
        }
        if (bytesRead != before) {
            lastActivity = loop.nowNanos();
            loop.countBytes(bytesRead - before, 0);
        }
        if (filter != null && failure == null) {
            if (!decode()) return;
            if (filter.inboundDone()) eof = true;
        }
        if (failure != null) {
            if (!input.isEmpty() && offload == null) deliver();
            close(failure);
            return;
        }
        if (eof) inputClosed = true; // before delivering, so that no read is re-armed
        if (!input.isEmpty()) {
            if (offload == null) {
                deliver();
            } else {
                busy = true;
                offload.execute(deliverOffloaded);
            }
        }
        if (!open) return;
        if (eof) {
            endOfInput();
        } else if (budget <= 0 && channel.isEdgeTriggered() && offload == null) {
            // Edge-triggered: nothing will report the bytes left behind, so come back for them.
            loop.runLater(readAgain);
        }
    }

    /**
     * Passes the raw bytes through the filter: plaintext to the input, its answers (handshake
     * messages) to the output; opens the handler once the filter is established.
     *
     * @return false when the connection closed
     */
    private boolean decode() {
        try {
            filter.inbound(raw, input, output);
        } catch (IOException e) {
            try {
                // The filter's last word (a TLS alert) tells the peer why; one attempt, then close.
                if (!output.isEmpty()) socket.write(output.array(), output.readerIndex(), output.readableBytes());
            } catch (IOException gone) {
                e.addSuppressed(gone);
            }
            close(e);
            return false;
        }
        if (!output.isEmpty() && !flush()) return false;
        if (raw.isEmpty()) raw.shrink(RETAINED_CAPACITY);
        if (!handlerOpen && filter.established()) {
            if (establishTimer != null) establishTimer.cancel();
            openHandler();
        }
        return open;
    }

    private void deliver() {
        try {
            handler.onData(this, input);
        } catch (Throwable e) {
            if (e instanceof VirtualMachineError v) throw v;
            close(e); // an Error from a handler (an assertion, a missing class) ends this connection only
            return;
        }
        if (corked) uncork(); // a cork lasts at most one handler call
        if (!open) return;
        if (input.readableBytes() > config.maxInputBytes()) {
            close(new IOException("over " + config.maxInputBytes() + " bytes of input left unconsumed by the handler"));
            return;
        }
        if (input.isEmpty()) input.shrink(RETAINED_CAPACITY);
    }

    /** On a worker or virtual thread: the handler owns the input until it returns. */
    private void deliverOffloaded() {
        try {
            handler.onData(this, input);
        } catch (Throwable e) {
            if (e instanceof VirtualMachineError v) throw v;
            loop.execute(() -> close(e));
        } finally {
            loop.execute(offloadedDataDone);
        }
    }

    private void offloadedDataDone() {
        busy = false;
        if (!open) return;
        if (input.readableBytes() > config.maxInputBytes()) {
            close(new IOException("over " + config.maxInputBytes() + " bytes of input left unconsumed by the handler"));
            return;
        }
        if (inputClosed && outputShut) {
            close(null);
            return;
        }
        if (input.isEmpty()) input.shrink(RETAINED_CAPACITY);
        updateInterest();
    }

    private void callOffloaded(Runnable call) {
        try {
            call.run();
        } catch (Throwable e) {
            if (e instanceof VirtualMachineError v) throw v;
            loop.execute(() -> close(e));
        }
    }

    private void endOfInput() {
        inputClosed = true;
        if (!handlerOpen) {
            close(null); // ended before the filter was established: nobody to tell
            return;
        }
        if (offload == null) {
            try {
                handler.onInputClosed(this);
            } catch (RuntimeException e) {
                close(e);
                return;
            }
        } else {
            offload.execute(() -> callOffloaded(() -> handler.onInputClosed(this)));
        }
        if (open && outputShut) close(null);
    }

    private void writeAgain() {
        if (open) {
            handleWrite();
            if (open) updateInterest();
        }
    }

    private void handleWrite() {
        if (!flush()) return;
        if (nothingQueued()) {
            output.shrink(RETAINED_CAPACITY);
            if (shutdownRequested) doShutdownOutput();
        }
        if (open && aboveHighWater && queuedBytes() <= config.lowWaterMark()) {
            aboveHighWater = false;
            callHandler(Call.LOW_WATER, 0);
        }
    }

    /**
     * Writes what the socket takes: the buffered bytes, then each file range followed by the
     * bytes queued behind it. Stops when the socket is full, or after a budget of file bytes,
     * coming back after the batch so that one fast reader of a large file cannot starve the
     * loop (edge-triggered, no new EPOLLOUT would report a socket that still has room).
     *
     * @return false when the connection closed on a write error
     */
    private boolean flush() {
        long budget = config.readBudget() * 16L;
        for (;;) {
            if (!output.isEmpty()) {
                int n;
                try {
                    // A file follows: MSG_MORE lets its first bytes share a packet with these.
                    n = hasFiles()
                            ? socket.writeMore(output.array(), output.readerIndex(), output.readableBytes())
                            : socket.write(output.array(), output.readerIndex(), output.readableBytes());
                } catch (IOException e) {
                    close(e);
                    return false;
                }
                output.skip(n);
                wrote(n);
                if (!output.isEmpty()) return true;
            }
            if (!hasFiles()) return true;
            FileRegion region = files.peekFirst();
            if (filter != null && region.remaining() > 0) {
                // One chunk at a time, only once the socket took everything before it.
                if (budget <= 0) {
                    loop.runLater(writeAgain);
                    return true;
                }
                try {
                    budget -= encodeFileChunk(region);
                } catch (IOException e) {
                    close(e);
                    return false;
                }
                continue;
            }
            while (region.remaining() > 0) {
                long n;
                try {
                    n = region.transferTo(socket);
                } catch (IOException e) {
                    close(e);
                    return false;
                }
                wrote(n);
                filesQueued -= n;
                budget -= n;
                if (n == 0) return true;
                if (budget <= 0 && region.remaining() > 0) {
                    loop.runLater(writeAgain);
                    return true;
                }
            }
            files.pollFirst();
            region.close();
            if (files.isEmpty()) fileChunk = null; // kept only while files are queued
            if (region.after != null) {
                filesQueued -= region.after.readableBytes();
                if (filter == null) {
                    output.append(region.after);
                } else {
                    try {
                        filter.outbound(region.after.array(), region.after.readerIndex(), region.after.readableBytes(), output);
                    } catch (IOException e) {
                        close(e);
                        return false;
                    }
                    region.after.clear();
                }
            }
        }
    }

    /** Reads a file's next chunk and appends it, encoded, to the output. @return plaintext bytes */
    private int encodeFileChunk(FileRegion region) throws IOException {
        if (fileChunk == null) fileChunk = new byte[FILE_CHUNK];
        int n = region.read(fileChunk, 0, FILE_CHUNK);
        filter.outbound(fileChunk, 0, n, output);
        filesQueued -= n;
        return n;
    }

    private void wrote(long n) {
        loop.countWrite();
        if (n > 0) {
            bytesWritten += n;
            lastActivity = loop.nowNanos();
            loop.countBytes(0, n);
        }
    }

    private void checkIdle() {
        if (!open) return;
        long idleFor = loop.nowNanos() - lastActivity;
        long left = config.idleTimeoutNanos() - idleFor;
        if (busy) left = config.idleTimeoutNanos(); // a handler at work is not idleness
        if (left > 0) {
            loop.wheel().reschedule(idleTimeout, left, loop.nowNanos());
        } else {
            close(new SocketTimeoutException("idle for more than " + config.idleTimeoutNanos() / 1_000_000 + " ms"));
        }
    }

    /**
     * Output just became queued: a new window starts in which it must drain at
     * {@link ConnectionConfig#minSendRate}. One timeout per connection, moved rather than
     * re-created, and left to lapse once the queue is empty.
     */
    private void startWriteWindow() {
        if (config.writeTimeoutNanos() <= 0) return;
        long now = loop.nowNanos();
        writeWindowStart = now;
        writtenAtWindowStart = bytesWritten;
        if (writeCheck == null) {
            writeCheck = loop.wheel().schedule(this::checkWriteProgress, config.writeTimeoutNanos(), now);
        } else if (!writeCheck.isPending()) {
            loop.wheel().reschedule(writeCheck, config.writeTimeoutNanos(), now);
        }
    }

    private void checkWriteProgress() {
        if (!open || nothingQueued()) return; // drained: the next queued output starts a new window
        long now = loop.nowNanos();
        long window = config.writeTimeoutNanos();
        long elapsed = now - writeWindowStart;
        if (elapsed < window) { // the window restarted since this check was set
            loop.wheel().reschedule(writeCheck, window - elapsed, now);
            return;
        }
        long sent = bytesWritten - writtenAtWindowStart;
        long needed = Math.max(1, config.minSendRate() * (elapsed / 1_000_000L) / 1000L);
        if (sent < needed) {
            abort(new SocketTimeoutException(sent == 0
                    ? "no output sent for " + elapsed / 1_000_000 + " ms with " + queuedBytes() + " bytes queued"
                    : "sent " + sent + " bytes in " + elapsed / 1_000_000 + " ms, under the minimum of "
                            + config.minSendRate() + " bytes/s, with " + queuedBytes() + " bytes queued"));
            return;
        }
        writeWindowStart = now;
        writtenAtWindowStart = bytesWritten;
        loop.wheel().reschedule(writeCheck, window, now);
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

    private enum Call { HIGH_WATER, LOW_WATER }

    private void callHandler(Call call, int queued) {
        Runnable r = switch (call) {
            case HIGH_WATER -> () -> handler.onHighWater(this, queued);
            case LOW_WATER -> () -> handler.onLowWater(this);
        };
        if (offload != null) {
            offload.execute(() -> callOffloaded(r));
            return;
        }
        try {
            r.run();
        } catch (RuntimeException e) {
            close(e);
        }
    }

    // --- commands ------------------------------------------------------------------------

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
        if (!open || shutdownRequested) return false;
        if (filter != null) return sendFiltered(src, off, len);
        int written = 0;
        boolean wasEmpty = nothingQueued();
        if (wasEmpty && !corked) {
            try {
                written = socket.write(src, off, len);
            } catch (IOException e) {
                close(e);
                return false;
            }
            wrote(written);
        }
        if (written < len) {
            if (hasFiles()) {
                queueBehindFiles(src, off + written, len - written);
            } else {
                output.append(src, off + written, len - written);
            }
            queued(wasEmpty);
        }
        return true;
    }

    private void queueBehindFiles(byte[] src, int off, int len) {
        FileRegion last = files.peekLast();
        if (last.after == null) last.after = new Buffer();
        last.after.append(src, off, len);
        filesQueued += len;
    }

    /** {@link #send} through the filter. Behind a file the plaintext waits, to be encoded after the file's bytes. */
    private boolean sendFiltered(byte[] src, int off, int len) {
        if (!handlerOpen) return false;
        boolean wasEmpty = nothingQueued();
        if (hasFiles()) {
            queueBehindFiles(src, off, len);
        } else {
            try {
                filter.outbound(src, off, len, output);
            } catch (IOException e) {
                close(e);
                return false;
            }
            if (wasEmpty && !corked) {
                if (!flush()) return false;
                if (nothingQueued()) return true;
            }
        }
        queued(wasEmpty);
        return true;
    }

    /** Something stays queued: watch for room, and tell the handler once the queue is high. */
    private void queued(boolean wasEmpty) {
        if (wasEmpty && !corked) { // corked, uncork arms EPOLLOUT if the socket does not take it all
            updateInterest();
            startWriteWindow();
        }
        long queued = queuedBytes();
        if (!aboveHighWater && queued >= config.highWaterMark()) {
            aboveHighWater = true;
            callHandler(Call.HIGH_WATER, (int) Math.min(queued, Integer.MAX_VALUE));
        }
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
        if (!open || shutdownRequested) return false;
        if (count == 0) return true;
        boolean wasEmpty = nothingQueued();
        return queueFile(FileRegion.open(socket, filter != null, file, position, count), count, wasEmpty);
    }

    /**
     * As {@link #sendFile(Path, long, long)}, from a descriptor the caller opened (for example
     * with {@code Fds.openBeneath}, which checks where the path leads and opens it in one
     * step). The connection takes the descriptor over: it closes it once the range is sent or
     * the connection closes, and at once when nothing is sent. Loop thread.
     *
     * @param name for messages only
     */
    public boolean sendFile(int fileFd, String name, long position, long count) throws IOException {
        loop.assertInLoop();
        if (!open || shutdownRequested || count == 0) {
            io.netloop.sys.Fds.close(fileFd);
            return open && !shutdownRequested;
        }
        boolean wasEmpty = nothingQueued();
        return queueFile(FileRegion.ofDescriptor(socket, filter != null, fileFd, name, position, count), count, wasEmpty);
    }

    /**
     * Sends {@code head} (a response header, say) and then the file range, the head taking
     * the same packet as the file's first bytes where the transport allows (MSG_MORE).
     * Consumes {@code head}; takes over {@code fileFd} as {@link #sendFile(int, String, long, long)} does.
     */
    public boolean sendFile(Buffer head, int fileFd, String name, long position, long count) throws IOException {
        loop.assertInLoop();
        if (!open || shutdownRequested) {
            head.clear();
            io.netloop.sys.Fds.close(fileFd);
            return false;
        }
        if (count == 0) {
            io.netloop.sys.Fds.close(fileFd);
            return send(head);
        }
        if (!nothingQueued() || filter != null) { // a filter encodes the head on its own
            send(head);
            return sendFile(fileFd, name, position, count);
        }
        FileRegion region = FileRegion.ofDescriptor(socket, false, fileFd, name, position, count);
        output.append(head);
        head.clear();
        return queueFile(region, count, true);
    }

    /** @param wasEmpty nothing was queued before this call (so nothing is waiting for EPOLLOUT yet) */
    private boolean queueFile(FileRegion region, long count, boolean wasEmpty) {
        if (files == null) files = new ArrayDeque<>(4);
        files.addLast(region);
        filesQueued += count;
        if (wasEmpty && !corked) {
            // Nothing was queued before: send what the socket takes now, like send(...).
            if (!flush()) return false;
            if (nothingQueued()) return true;
        }
        queued(wasEmpty);
        return true;
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
        return send(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Holds the sends that follow in the output buffer instead of writing each at once, until
     * {@link #uncork} or the end of the current {@link ConnectionHandler#onData} call, so that
     * several small messages leave in one system call and one segment (the user-space
     * counterpart of TCP_CORK). Water marks still apply while corked. Loop thread.
     */
    public void cork() {
        loop.assertInLoop();
        if (corked) return;
        corked = true;
        corkedOnEmpty = nothingQueued();
    }

    /**
     * Writes what was sent since {@link #cork} (what the socket does not take stays queued,
     * as with {@link #send}). Loop thread; nothing happens when not corked.
     */
    public void uncork() {
        loop.assertInLoop();
        if (!corked) return;
        corked = false;
        // Output queued before the cork already waits for EPOLLOUT, which will take the rest too.
        if (!open || !corkedOnEmpty || nothingQueued()) return;
        handleWrite();
        if (open && !nothingQueued()) {
            updateInterest();
            startWriteWindow();
        }
    }

    /** Stops reading (backpressure); bytes wait in the kernel, and the peer is slowed by TCP. */
    public void pauseReading() {
        if (!loop.inLoop()) {
            loop.execute(this::pauseReading);
            return;
        }
        readingPaused = true;
        if (open) updateInterest();
    }

    public void resumeReading() {
        if (!loop.inLoop()) {
            loop.execute(this::resumeReading);
            return;
        }
        readingPaused = false;
        if (open) updateInterest();
    }

    /** Half-close: sends FIN once the queued output is written. Reading goes on. */
    public void shutdownOutput() {
        if (!loop.inLoop()) {
            loop.execute(this::shutdownOutput);
            return;
        }
        if (!open || shutdownRequested) return;
        shutdownRequested = true;
        if (nothingQueued()) doShutdownOutput();
    }

    private void doShutdownOutput() {
        if (outputShut) return;
        if (filter != null && handlerOpen && !closeOutboundQueued) {
            // The protocol's own end (close_notify) goes before FIN; handleWrite comes back once it is out.
            closeOutboundQueued = true;
            try {
                filter.closeOutbound(output);
            } catch (IOException e) {
                close(e);
                return;
            }
            if (!flush()) return;
            if (!output.isEmpty()) {
                updateInterest();
                return;
            }
        }
        outputShut = true;
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            close(e);
            return;
        }
        if (inputClosed && !busy) close(null);
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
        if (!open) return;
        if (corked) {
            corked = false;
            // Without the cork these bytes would have been written already: give them that chance.
            if (corkedOnEmpty && !nothingQueued() && !flush()) return; // the write failed and closed
        }
        if (filter != null && cause == null) sayGoodbye();
        open = false;
        loop.disown(this);
        if (idleTimeout != null) idleTimeout.cancel();
        if (establishTimer != null) establishTimer.cancel();
        if (writeCheck != null) writeCheck.cancel();
        channel.remove();
        if (files != null) {
            for (FileRegion region : files) region.close();
            files.clear();
            filesQueued = 0;
        }
        try {
            socket.close();
        } catch (IOException e) {
            loop.reportFailure("closing " + socket, e);
        }
        if (!handlerOpen) {
            // Never established (a failed handshake, no PROXY header): the handler never heard of it.
            if (cause != null) LOG.log(System.Logger.Level.DEBUG, () -> "closed " + this + " before it was established: " + cause);
            if (closeListener != null) closeListener.closed(this);
            return;
        }
        if (offload == null) {
            notifyClosed(cause);
        } else {
            offload.execute(() -> notifyClosed(cause));
        }
        if (cause != null && !(cause instanceof IOException)) {
            // A handler bug, not a network event: say so, once, with the trace.
            LOG.log(System.Logger.Level.WARNING, "closed " + this + " after a handler failure", cause);
        }
    }

    /**
     * An orderly close under a filter: one attempt at the protocol's end (close_notify), when
     * nothing else is queued in front of it, so the peer can tell a close from a truncation.
     */
    private void sayGoodbye() {
        if (!handlerOpen || closeOutboundQueued || outputShut || !nothingQueued()) return;
        closeOutboundQueued = true;
        try {
            filter.closeOutbound(output);
            socket.write(output.array(), output.readerIndex(), output.readableBytes());
        } catch (IOException e) {
            // The peer is gone already: there is nobody left to say goodbye to.
        }
        output.clear();
    }

    private void notifyClosed(Throwable cause) {
        try {
            handler.onClose(this, cause);
        } catch (RuntimeException e) {
            loop.reportFailure("onClose of " + this, e);
        }
        if (closeListener != null) closeListener.closed(this);
    }

    @Override
    public String toString() {
        return "TcpConnection[" + socket + (open ? "" : ", closed") + "]";
    }
}
