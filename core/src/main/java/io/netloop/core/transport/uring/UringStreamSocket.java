package io.netloop.core.transport.uring;

import io.netloop.core.file.OpenFile;
import io.netloop.core.sys.Errno;
import io.netloop.core.sys.ErrnoException;
import io.netloop.core.sys.linux.HotCalls;
import io.netloop.core.sys.linux.IoUring;
import io.netloop.core.sys.linux.IoUringRing;
import io.netloop.core.sys.linux.Net;
import io.netloop.core.sys.linux.Poll;
import io.netloop.core.sys.linux.SockAddr;
import io.netloop.core.sys.linux.SysConst;
import io.netloop.core.transport.Interest;
import io.netloop.core.transport.NetOption;
import io.netloop.core.transport.StreamSocket;
import io.netloop.core.transport.linux.DescriptorOptions;
import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;

/**
 * A TCP socket of the io_uring transport, with the {@link StreamSocket} contract kept over
 * completions:
 *
 * <pre>
 * receive: a multishot IORING_OP_RECV into the loop's provided buffers, armed while reading is
 *          wanted; each completion appends its buffer to this socket's input list
 *          (head -&gt; ... -&gt; tail, linked by buffer id); {@link #read} copies out of the list and
 *          gives each buffer back to the ring as soon as it is empty.
 * send:    {@link #write} copies into the loop's send chunks (at most the send budget in all);
 *          once a turn, the staged bytes go out as one chain of IORING_OP_SENDs (linked, in
 *          order, MSG_WAITALL so that none is short), one chain in flight at a time; its last
 *          completion gives the chunks back.
 * files:   sendfile(2), once the bytes before the file have left (see {@link #transferFrom}).
 * FIN:     shutdown(2) on the loop's thread, once no byte written before it is staged or in
 *          flight (see {@link #shutdownOutput}).
 * close:   output in flight is sent first (as the kernel would, from its socket buffer), then
 *          IORING_OP_ASYNC_CANCEL for what is armed and IORING_OP_CLOSE, in one chain.
 * </pre>
 *
 * <p>What an idle connection costs: its receive, armed in the kernel, and no buffer: bytes
 * occupy a provided buffer only from their completion to the next read, in the same turn.
 * A connection that stops reading (paused, or a worker owns its input) keeps about
 * {@link UringSettings#maxHeldBuffers} of them (the kernel bounds a multishot receive in bytes,
 * so partly filled buffers can let a few more in); then its receive is cancelled, so that the
 * rest waits in the kernel's socket buffer and TCP slows the peer, as it would on epoll.
 *
 * <p>Owns its descriptor. Threading: the owning loop's thread only.
 */
final class UringStreamSocket extends UringSource implements StreamSocket {
    private static final int OPEN = 0, LINGERING = 1, CLOSING = 2, CLOSED = 3;
    /** How long a closed socket keeps trying to send what was written before its close. */
    private static final long LINGER_NANOS = 5_000_000_000L;

    private final int fd;
    private final DescriptorOptions options;
    private int state = OPEN;
    private boolean connecting;
    /** The connect's POLLOUT completed: {@link #finishConnect} may look. */
    private boolean connectPolled;

    private boolean resetOnClose;
    private boolean closeSubmitted;
    private long lingerDeadline;

    private InetSocketAddress remote;
    /** An IPv4 peer packed as accept4 gave it (the accept did not go through the ring), or NOT_PACKED. */
    private final long peer;

    // --- receive ------------------------------------------------------------------------------
    private boolean recvArmed;
    private boolean recvCancelling;
    private int headBid = -1;
    private int tailBid = -1;
    private int headOffset;
    private int held;
    private boolean eof;
    private int recvError;

    // --- send ---------------------------------------------------------------------------------
    private int sendHead = -1;
    private int sendTail = -1;
    /** Where the unsent bytes of the head chunk start. */
    private int headStart;
    /** Bytes in chunks, staged or in flight. */
    private int queued;

    private boolean sending;
    private int inflightBytes;
    private int inflightChunks;
    /** The fill of the chain's last chunk when the chain was submitted: later bytes in it were not sent. */
    private int inflightLastFill;
    /** The length of the chain's last send: a shorter result means it failed part-way. */
    private int lastSendLength;
    /** Room ran out (budget, chunks, a full socket for sendfile): WRITE waits for it. */
    private boolean writeBlocked;

    private int sendError;
    /** shutdownOutput was called while bytes were staged or in flight: FIN goes once they have left. */
    private boolean shutdownPending;

    private boolean outputShut;
    private boolean pollOutWanted;
    private boolean pollOutArmed;
    private boolean waitingForChunk;

    UringStreamSocket(int fd, boolean connecting, long peer) {
        this.fd = fd;
        this.options = new DescriptorOptions(fd);
        this.connecting = connecting;
        this.peer = peer;
    }

    @Override
    public int fd() {
        return fd;
    }

    // --- readiness ------------------------------------------------------------------------------

    @Override
    int readyOps() {
        if (connecting) return connectPolled ? Interest.WRITE : 0;
        int ops = 0;
        if (headBid >= 0) ops |= Interest.READ;
        if (eof) ops |= Interest.READ | Interest.PEER_SHUTDOWN;
        if (recvError != 0 || sendError != 0) ops |= Interest.READ | Interest.ERROR;
        if (!writeBlocked && state == OPEN) ops |= Interest.WRITE;
        return ops;
    }

    @Override
    void bound() {
        dirty();
    }

    @Override
    void registrationChanged() {
        if (wantsReceive() && !recvArmed) dirty();
    }

    private boolean wantsReceive() {
        return state == OPEN
                && !connecting
                && registered
                && (interest & Interest.READ) != 0
                && !eof
                && recvError == 0
                && held < poller.settings.maxHeldBuffers();
    }

    @Override
    void prepare() throws ErrnoException {
        IoUringRing ring = poller.ring;
        if (state == CLOSING) {
            prepareClose(ring);
            return;
        }
        if (connecting) {
            if (!connectPolled && !pollOutArmed) armPollOut(ring);
            return;
        }
        if (!recvArmed && wantsReceive()) {
            // Ends by itself after the socket's share of buffers: within one io_uring_enter the
            // kernel may otherwise run a multishot receive over and over (a 4 MiB burst took 257
            // of 512 buffers before the cancellation below could be submitted).
            int limit = poller.receiveLimit
                    ? (poller.settings.maxHeldBuffers() - held) * poller.recvBuffers.bufferSize()
                    : 0;
            ring.prepare(
                    IoUring.OP_RECV,
                    IoUring.SQE_BUFFER_SELECT,
                    IoUring.RECV_MULTISHOT,
                    fd,
                    0,
                    0,
                    0,
                    0,
                    userData(OP_RECV),
                    poller.recvBuffers.group(),
                    limit);
            recvArmed = true;
            inFlight++;
        } else if (recvArmed && !recvCancelling && held >= poller.settings.maxHeldBuffers()) {
            // Unread input piles up (reading paused, a worker busy): stop taking the loop's buffers.
            ring.prepare(IoUring.OP_ASYNC_CANCEL, 0, 0, -1, 0, userData(OP_RECV), 0, 0, userData(OP_CANCEL), 0);
            recvCancelling = true;
            inFlight++;
        }
        if (!sending && queued > 0 && sendError == 0) submitSends(ring);
        if (pollOutWanted && !pollOutArmed) armPollOut(ring);
    }

    private void armPollOut(IoUringRing ring) throws ErrnoException {
        ring.prepare(IoUring.OP_POLL_ADD, 0, 0, fd, 0, 0, 0, Poll.POLLOUT, userData(OP_POLL), 0);
        pollOutArmed = true;
        inFlight++;
    }

    /** One chain of sends for every staged byte: linked so that they leave in order, one CQE for all. */
    private void submitSends(IoUringRing ring) throws ErrnoException {
        SendChunks chunks = poller.chunks;
        int count = 0;
        for (int c = sendHead; c >= 0; c = chunks.next[c]) count++;
        // The whole chain in one submission: a chain cut by a submission boundary would be two.
        if (ring.room() < count) ring.submit();
        int start = headStart;
        int bytes = 0;
        for (int c = sendHead; c >= 0; c = chunks.next[c]) {
            int end = chunks.fill[c];
            boolean last = chunks.next[c] < 0;
            ring.prepare(
                    IoUring.OP_SEND,
                    last ? 0 : IoUring.SQE_IO_LINK | IoUring.SQE_CQE_SKIP_SUCCESS,
                    0,
                    fd,
                    0,
                    chunks.address(c) + start,
                    end - start,
                    SysConst.MSG_NOSIGNAL | SysConst.MSG_WAITALL,
                    userData(last ? OP_SEND_LAST : OP_SEND),
                    0);
            bytes += end - start;
            if (last) {
                inflightLastFill = end;
                lastSendLength = end - start;
            }
            start = 0;
        }
        inflightChunks = count;
        inflightBytes = bytes;
        sending = true;
        inFlight++;
    }

    private void prepareClose(IoUringRing ring) throws ErrnoException {
        if (closeSubmitted) return;
        closeSubmitted = true;
        if (recvArmed || sending || pollOutArmed) {
            // Hard-linked: the close runs whatever the cancellation found.
            ring.prepare(
                    IoUring.OP_ASYNC_CANCEL,
                    IoUring.SQE_IO_HARDLINK,
                    0,
                    fd,
                    0,
                    0,
                    0,
                    IoUring.CANCEL_FD | IoUring.CANCEL_ALL,
                    userData(OP_CANCEL),
                    0);
            inFlight++;
        }
        ring.prepare(IoUring.OP_CLOSE, 0, 0, fd, 0, 0, 0, 0, userData(OP_CLOSE), 0);
        inFlight++;
    }

    // --- completions ----------------------------------------------------------------------------

    @Override
    void complete(int op, int res, int flags) {
        switch (op) {
            case OP_RECV -> received(res, flags);
            // A send before the last posts a completion only when it failed (CQE_SKIP_SUCCESS), and
            // then the kernel skips the completions of the sends linked after it: the chain is over.
            case OP_SEND, OP_SEND_LAST -> sent(op, res);
            case OP_POLL -> {
                inFlight--;
                pollOutArmed = false;
                pollOutWanted = false;
                if (connecting) connectPolled = true;
                else writeBlocked = false;
                ready();
            }
            case OP_CANCEL -> inFlight--;
            case OP_CLOSE -> {
                inFlight--;
                if (res < 0) {
                    System.getLogger(UringStreamSocket.class.getName())
                            .log(System.Logger.Level.WARNING, "closing fd " + fd + ": " + Errno.describe(-res));
                }
                state = CLOSED;
            }
            default -> throw new IllegalStateException("op " + op + " on " + this);
        }
    }

    private void received(int res, int flags) {
        if ((flags & IoUring.CQE_F_BUFFER) != 0) {
            int bid = flags >>> IoUring.CQE_BUFFER_SHIFT;
            if (res > 0 && state == OPEN) append(bid, res);
            else poller.recvBuffers.recycle(bid);
        }
        if ((flags & IoUring.CQE_F_MORE) == 0) {
            recvArmed = false;
            recvCancelling = false;
            inFlight--;
            if (res == 0) {
                eof = true;
            } else if (res < 0) {
                int e = -res;
                if (e == Errno.ENOBUFS) {
                    poller.bufferShortage();
                } else if (e == Errno.EINVAL && poller.receiveLimit) {
                    poller.receiveLimit = false; // a kernel before 6.15: no byte limit, the cancellation bounds it
                } else if (e != Errno.ECANCELED) {
                    recvError = e;
                }
            }
            if (wantsReceive()) dirty(); // armed again at the next turn
        }
        ready();
    }

    private void append(int bid, int len) {
        poller.bufferNext[bid] = -1;
        poller.bufferLength[bid] = len;
        if (tailBid < 0) {
            headBid = bid;
            headOffset = 0;
        } else {
            poller.bufferNext[tailBid] = bid;
        }
        tailBid = bid;
        held++;
        poller.buffersHeld++;
    }

    /**
     * The chain in flight ended: {@code res} is its last send's result, or the result of the send
     * that failed (negative, or short: MSG_WAITALL gives up only on an error).
     */
    private void sent(int op, int res) {
        inFlight--;
        sending = false;
        boolean failed = res < 0 || op == OP_SEND || res < lastSendLength;
        if (failed && res != -Errno.ECANCELED && sendError == 0) sendError = res < 0 ? -res : Errno.EPIPE;
        SendChunks chunks = poller.chunks;
        int c = sendHead;
        for (int i = 0; i < inflightChunks; i++) {
            int next = chunks.next[c];
            if (i == inflightChunks - 1 && chunks.fill[c] > inflightLastFill) {
                headStart = inflightLastFill; // bytes written into it after the chain left stay
                break;
            }
            chunks.give(c);
            c = next;
            headStart = 0;
        }
        sendHead = c;
        if (c < 0) sendTail = -1;
        queued -= inflightBytes;
        inflightBytes = 0;
        inflightChunks = 0;
        writeBlocked = false;
        poller.chunksFreed();
        if (sendError != 0) {
            if (state == LINGERING) beginClosing();
        } else if (queued > 0) {
            dirty();
        } else if (state == LINGERING) {
            beginClosing(); // the close's FIN ends the output, shut down or not
        } else if (shutdownPending && state == OPEN) {
            try {
                shutdownNow();
            } catch (ErrnoException e) {
                sendError = e.errno(); // reported as ERROR, as a failed send would be
            }
        }
        ready();
    }

    /** The chunk pool had none for this socket's write, and now has. */
    void chunkAvailable() {
        waitingForChunk = false;
        if (!sending) writeBlocked = false;
        ready();
    }

    // --- StreamSocket ---------------------------------------------------------------------------

    @Override
    public int read(byte[] dst, int off, int len) throws IOException {
        if (poller == null) return 0; // not registered yet: nothing received
        int total = 0;
        MemorySegment memory = poller.recvMemory;
        int size = poller.recvBuffers.bufferSize();
        while (total < len && headBid >= 0) {
            int bid = headBid;
            int n = Math.min(poller.bufferLength[bid] - headOffset, len - total);
            MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, (long) bid * size + headOffset, dst, off + total, n);
            total += n;
            headOffset += n;
            if (headOffset == poller.bufferLength[bid]) {
                headBid = poller.bufferNext[bid];
                headOffset = 0;
                if (headBid < 0) tailBid = -1;
                held--;
                poller.buffersHeld--;
                poller.recvBuffers.recycle(bid);
            }
        }
        if (!recvArmed && wantsReceive()) dirty();
        if (total > 0) return total;
        if (recvError != 0) throw new ErrnoException("recv", recvError);
        return eof ? EOF : 0;
    }

    @Override
    public int write(byte[] src, int off, int len) throws IOException {
        checkWritable();
        SendChunks chunks = poller.chunks;
        int room = poller.settings.sendBudget() - queued;
        int written = 0;
        while (written < len && room > 0) {
            if (sendTail < 0 || chunks.fill[sendTail] == SendChunks.CHUNK) {
                int c = chunks.take();
                if (c < 0) {
                    if (!waitingForChunk) poller.waitForChunk(this);
                    waitingForChunk = true;
                    break;
                }
                if (sendTail < 0) {
                    sendHead = c;
                    headStart = 0;
                } else {
                    chunks.next[sendTail] = c;
                }
                sendTail = c;
            }
            int at = chunks.fill[sendTail];
            int n = Math.min(SendChunks.CHUNK - at, Math.min(len - written, room));
            MemorySegment.copy(
                    src, off + written, chunks.slab(sendTail), ValueLayout.JAVA_BYTE, chunks.offset(sendTail) + at, n);
            chunks.fill[sendTail] = at + n;
            written += n;
            room -= n;
            queued += n;
        }
        if (written < len) writeBlocked = true;
        if (written > 0 && !sending) dirty();
        return written;
    }

    private void checkWritable() throws ErrnoException {
        if (sendError != 0) throw new ErrnoException("send", sendError);
        if (state != OPEN || shutdownPending || outputShut) throw new ErrnoException("send", Errno.EPIPE);
        if (poller == null) throw new IllegalStateException(this + " is not registered with a loop yet");
    }

    /**
     * sendfile(2), not a ring operation: io_uring has no sendfile, and its splice (file to a
     * pipe to the socket) always runs on an io-wq worker thread (IORING_OP_SPLICE cannot be
     * issued without blocking), a thread switch per chunk. sendfile on the non-blocking socket
     * takes what fits at once, with no copy through user space. The bytes written before the
     * file must leave first: a chain still in flight is waited for, bytes staged and not yet
     * submitted are sent now, directly (with MSG_MORE, so the header shares the file's packet).
     * A full socket is waited for with a one-shot POLLOUT in the ring.
     */
    @Override
    public long transferFrom(OpenFile file, long position, long count) throws IOException {
        checkWritable();
        if (sending || pollOutArmed || pollOutWanted) {
            writeBlocked = true;
            return 0;
        }
        if (queued > 0 && !sendStagedNow()) {
            writeBlocked = true;
            dirty(); // what is left goes as a chain; the file after its completion
            return 0;
        }
        long n = HotCalls.sendfile(fd, file.fd(), position, count);
        if (n == Net.WOULD_BLOCK) {
            writeBlocked = true;
            pollOutWanted = true;
            dirty();
            return 0;
        }
        if (n == 0 && count > 0) {
            throw new EOFException(
                    file.name() + " ended at byte " + position + " with " + count + " bytes of the range unsent");
        }
        return n;
    }

    /** Sends the staged chunks with send(2) now. @return true when all left */
    private boolean sendStagedNow() throws ErrnoException {
        SendChunks chunks = poller.chunks;
        while (sendHead >= 0) {
            int c = sendHead;
            int len = chunks.fill[c] - headStart;
            int n = Net.sendAddress(fd, chunks.address(c) + headStart, len, SysConst.MSG_MORE);
            if (n == Net.WOULD_BLOCK) return false;
            queued -= n;
            headStart += n;
            if (n < len) return false;
            sendHead = chunks.next[c];
            headStart = 0;
            chunks.give(c);
            if (sendHead < 0) sendTail = -1;
        }
        poller.chunksFreed();
        return true;
    }

    @Override
    public int pendingError() throws IOException {
        if (sendError != 0) return sendError;
        if (recvError != 0) return recvError;
        return Net.socketError(fd);
    }

    /**
     * FIN after what was written before: shutdown(2) now if nothing is staged or in flight, else
     * when the last send completes. Not IORING_OP_SHUTDOWN: the kernel always runs that on an
     * io-wq worker, which looks the descriptor number up only when it gets to it, and nothing
     * orders it before this socket's close; a late one shut down the connection that had
     * reused the number by then (its response lost, its client reading EOF).
     */
    @Override
    public void shutdownOutput() throws IOException {
        if (shutdownPending || outputShut) return;
        if (sending || queued > 0) {
            shutdownPending = true;
            return;
        }
        shutdownNow();
    }

    private void shutdownNow() throws ErrnoException {
        shutdownPending = false;
        outputShut = true;
        Net.shutdown(fd, SysConst.SHUT_WR);
    }

    @Override
    public boolean finishConnect() throws IOException {
        if (!connecting) return true;
        int err = Net.socketError(fd);
        if (err != 0) throw new ErrnoException("connect", err);
        // SO_ERROR is also 0 while the handshake is under way: only a peer name proves it done.
        try {
            remote = Net.peerAddress(fd);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.ENOTCONN) throw e;
            connectPolled = false;
            dirty(); // poll again
            return false;
        }
        connecting = false;
        connectPolled = false;
        registrationChanged();
        return true;
    }

    @Override
    public InetSocketAddress localAddress() throws IOException {
        return Net.localAddress(fd);
    }

    @Override
    public InetSocketAddress remoteAddress() throws IOException {
        if (remote == null) {
            remote = peer != SockAddr.NOT_PACKED ? SockAddr.unpackIpv4(peer) : Net.peerAddress(fd);
        }
        return remote;
    }

    @Override
    public <T> void set(NetOption<T> option, T value) throws IOException {
        options.set(option, value);
        // SO_LINGER 0: the close is to reset the connection, dropping what is still unsent.
        if (option == NetOption.SO_LINGER) resetOnClose = (Integer) value == 0;
    }

    @Override
    public <T> T get(NetOption<T> option) throws IOException {
        return options.get(option);
    }

    // --- closing ----------------------------------------------------------------------------------

    /**
     * Closes: at once when nothing is in flight or the close is a reset; otherwise once the
     * output written before the close is sent, or after {@link #LINGER_NANOS}.
     */
    @Override
    public void close() throws IOException {
        if (state != OPEN) return;
        registered = false;
        if (poller == null) {
            state = CLOSED;
            HotCalls.close(fd);
            return;
        }
        if (!resetOnClose && queued > 0 && sendError == 0) {
            state = LINGERING;
            lingerDeadline = System.nanoTime() + LINGER_NANOS;
            poller.linger(this);
            if (!sending) dirty();
            return;
        }
        beginClosing();
    }

    private void beginClosing() {
        state = CLOSING;
        dirty();
    }

    boolean isLingering() {
        return state == LINGERING;
    }

    boolean lingerExpired(long now) {
        return now - lingerDeadline > 0;
    }

    /** Lingered too long (the peer does not read) or the loop is stopping: drop the output and close. */
    void abandonOutput() {
        if (state == LINGERING) beginClosing();
    }

    @Override
    void closeAtShutdown() {
        if (state == OPEN) {
            resetOnClose = true;
            beginClosing();
        } else if (state == LINGERING) {
            beginClosing();
        }
    }

    @Override
    boolean finished() {
        return state == CLOSED && inFlight == 0;
    }

    @Override
    void unbound() {
        // Everything the loop lent goes back: input never read, output never sent.
        while (headBid >= 0) {
            int next = poller.bufferNext[headBid];
            poller.recvBuffers.recycle(headBid);
            headBid = next;
        }
        tailBid = -1;
        poller.buffersHeld -= held;
        held = 0;
        SendChunks chunks = poller.chunks;
        for (int c = sendHead; c >= 0; ) {
            int next = chunks.next[c];
            chunks.give(c);
            c = next;
        }
        sendHead = sendTail = -1;
        queued = 0;
        poller.chunksFreed();
    }

    @Override
    String describe() {
        return this + " (state " + state + ", " + inFlight + " in flight: receive " + recvArmed + ", sending " + sending
                + ", poll " + pollOutArmed + ", close " + closeSubmitted + "; " + queued + " bytes queued)";
    }

    @Override
    public String toString() {
        return "io_uring fd " + fd;
    }
}
