package io.netloop.core.transport.uring;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.sys.Errno;
import io.netloop.core.sys.ErrnoException;
import io.netloop.core.sys.linux.BufferRing;
import io.netloop.core.sys.linux.IoUring;
import io.netloop.core.sys.linux.MsgVec;
import io.netloop.core.sys.linux.Net;
import io.netloop.core.sys.linux.Poll;
import io.netloop.core.sys.linux.SockAddr;
import io.netloop.core.sys.linux.SysConst;
import io.netloop.core.transport.Datagram;
import io.netloop.core.transport.DatagramConfig;
import io.netloop.core.transport.DatagramSocket;
import io.netloop.core.transport.Interest;
import io.netloop.core.transport.NetOption;
import io.netloop.core.transport.SocketConfig;
import io.netloop.core.transport.linux.DescriptorOptions;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.Deque;
import java.util.Iterator;

/**
 * The io_uring transport's UDP socket: datagrams arrive by a multishot IORING_OP_RECVMSG into
 * provided buffers of this socket's own (one buffer group per socket, {@code batchSize} buffers
 * of the largest datagram, as epoll's recvmmsg batch), so a busy socket receives with no system
 * call at all; {@link #receive} hands the completed ones to the sink and gives each buffer back.
 *
 * <pre>
 * buffer: [ io_uring_recvmsg_out 16 | sender: 128 reserved | payload: maxDatagramSize ] (to 64 bytes)
 * </pre>
 *
 * <p>Sends are system calls, as on epoll (sendto, and sendmmsg for a queue): the datagram
 * contract reports a refused datagram (EMSGSIZE, EACCES) to the handler with that datagram, at
 * once, and a send that finds the socket's buffer full is told so (the queue then waits for a
 * one-shot POLLOUT in the ring). A UDP send never waits in the kernel, so the ring would save
 * the system call only by making errors late.
 *
 * <p>Owns its descriptor and an arena (buffers, headers, send area), released once its receive
 * has completed for good after {@link #close}. Threading: the owning loop's thread; the arena
 * is shared only because the socket is made on the caller's thread.
 */
public final class UringDatagramSocket extends UringSource implements DatagramSocket {
    private static final int NAME_SPACE = SockAddr.STORAGE_SIZE;
    private static final long OUT_SIZE = IoUring.RECVMSG_OUT.byteSize();

    private final int fd;
    private final DescriptorOptions options;
    private final Arena arena = Arena.ofShared();
    private final InetSocketAddress local;
    private final DatagramConfig config;
    private final int batch;
    private final MemorySegment recvHeader;
    private final MsgVec out;
    private final MemorySegment outArea;
    private final MemorySegment scratch;
    private final Buffer data = new Buffer(2048);
    private final MemorySegment lastRaw;
    private InetSocketAddress lastSender;

    private BufferRing buffers;
    private int[] completed;
    private int completedHead;
    private int completedCount;
    private boolean recvArmed;
    private boolean pollOutArmed;
    private boolean writable;
    private boolean closing;
    private boolean released;

    static UringDatagramSocket open(InetSocketAddress bind, SocketConfig options, DatagramConfig config)
            throws IOException {
        int fd = Net.socket(SockAddr.family(bind), SysConst.SOCK_DGRAM);
        try {
            return new UringDatagramSocket(fd, bind, options, config);
        } catch (IOException | RuntimeException e) {
            try {
                Net.close(fd);
            } catch (ErrnoException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private UringDatagramSocket(int fd, InetSocketAddress bind, SocketConfig options, DatagramConfig config)
            throws IOException {
        this.fd = fd;
        this.options = new DescriptorOptions(fd);
        this.config = config;
        try {
            options.applyTo(this);
            Net.bind(fd, bind);
            this.local = Net.localAddress(fd);
            this.batch = config.batchSize();
            this.recvHeader = MsgVec.recvmsgHeader(arena, NAME_SPACE);
            this.out = new MsgVec(arena, batch);
            this.outArea = arena.allocate(config.sendAreaSize(), 64);
            this.scratch = arena.allocate(SockAddr.STORAGE_SIZE, 8);
            this.lastRaw = arena.allocate(SockAddr.STORAGE_SIZE, 8);
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    @Override
    public int fd() {
        return fd;
    }

    @Override
    public int batchSize() {
        return batch;
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }

    // --- the ring ---------------------------------------------------------------------------------

    @Override
    void bound() {
        // The buffers are mapped and registered on the loop thread, with the ring that uses them.
        int entries = Integer.highestOneBit(Math.max(1, batch - 1)) << 1;
        try {
            int group = poller.newGroup();
            // Each buffer starts on a cache line, so its header's fields are aligned.
            int size = ((int) OUT_SIZE + NAME_SPACE + config.maxDatagramSize() + 63) & ~63;
            buffers = new BufferRing(arena, entries, size, group);
            poller.ring.registerBufferRing(buffers.ring(), entries, group);
        } catch (ErrnoException e) {
            throw new java.io.UncheckedIOException(e);
        }
        completed = new int[entries];
        dirty();
    }

    @Override
    int readyOps() {
        return (completedCount > 0 ? Interest.READ : 0) | (writable ? Interest.WRITE : 0);
    }

    @Override
    void registrationChanged() {
        dirty();
    }

    @Override
    void reported() {
        writable = false;
    }

    @Override
    void prepare() throws ErrnoException {
        if (closing) {
            if (recvArmed || pollOutArmed) {
                poller.ring.prepare(
                        IoUring.OP_ASYNC_CANCEL,
                        0,
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
            return;
        }
        if (!recvArmed && registered && completedCount < completed.length) {
            poller.ring.prepare(
                    IoUring.OP_RECVMSG,
                    IoUring.SQE_BUFFER_SELECT,
                    IoUring.RECV_MULTISHOT,
                    fd,
                    0,
                    recvHeader.address(),
                    1,
                    0,
                    userData(OP_RECVMSG),
                    buffers.group());
            recvArmed = true;
            inFlight++;
        }
        if (registered && (interest & Interest.WRITE) != 0 && !pollOutArmed && !writable) {
            poller.ring.prepare(IoUring.OP_POLL_ADD, 0, 0, fd, 0, 0, 0, Poll.POLLOUT, userData(OP_POLL), 0);
            pollOutArmed = true;
            inFlight++;
        }
    }

    @Override
    void complete(int op, int res, int flags) {
        switch (op) {
            case OP_RECVMSG -> {
                if ((flags & IoUring.CQE_F_BUFFER) != 0) {
                    int bid = flags >>> IoUring.CQE_BUFFER_SHIFT;
                    if (res > 0 && !closing) completed[(completedHead + completedCount++) % completed.length] = bid;
                    else buffers.recycle(bid);
                }
                if ((flags & IoUring.CQE_F_MORE) == 0) {
                    recvArmed = false;
                    inFlight--;
                    if (res < 0 && res != -Errno.ENOBUFS && res != -Errno.ECANCELED) {
                        System.getLogger(UringDatagramSocket.class.getName())
                                .log(System.Logger.Level.DEBUG, () -> this + ": recvmsg: " + Errno.describe(-res));
                    }
                    dirty(); // armed again (once there are buffers)
                }
            }
            case OP_POLL -> {
                inFlight--;
                pollOutArmed = false;
                if (res > 0 && !closing) writable = true;
            }
            case OP_CANCEL -> inFlight--;
            default -> throw new IllegalStateException("op " + op + " on " + this);
        }
        if (closing && inFlight == 0) release();
        else ready();
    }

    @Override
    boolean finished() {
        return released;
    }

    @Override
    void closeAtShutdown() {
        close();
    }

    // --- DatagramSocket ---------------------------------------------------------------------------

    @Override
    public int receive(Sink sink, int max) throws IOException {
        int n = 0;
        MemorySegment memory = buffers == null ? null : buffers.buffers();
        // The sink may close this socket (a handler that is done): then the rest is dropped unread.
        while (n < max && completedCount > 0 && !closing) {
            int bid = completed[completedHead];
            completedHead = (completedHead + 1) % completed.length;
            completedCount--;
            long base = (long) bid * buffers.bufferSize();
            int nameLength = memory.get(ValueLayout.JAVA_INT, base);
            int controlLength = memory.get(ValueLayout.JAVA_INT, base + 4);
            int payloadLength = memory.get(ValueLayout.JAVA_INT, base + 8);
            int msgFlags = memory.get(ValueLayout.JAVA_INT, base + 12);
            long payload = base + OUT_SIZE + NAME_SPACE + controlLength;
            int kept = (int) Math.min(payloadLength, base + buffers.bufferSize() - payload);
            data.clear();
            data.ensureWritable(kept);
            MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, payload, data.array(), data.writerIndex(), kept);
            data.hasWritten(kept);
            InetSocketAddress sender = sender(memory, base + OUT_SIZE, Math.min(nameLength, NAME_SPACE));
            buffers.recycle(bid);
            n++;
            sink.datagram(sender, data, (msgFlags & SysConst.MSG_TRUNC) != 0);
        }
        if (!recvArmed && !closing) dirty();
        return n;
    }

    private InetSocketAddress sender(MemorySegment memory, long at, int length) {
        MemorySegment raw = memory.asSlice(at, NAME_SPACE);
        long len = Short.toUnsignedInt(raw.get(ValueLayout.JAVA_SHORT, 0)) == SysConst.AF_INET6 ? 28 : 8;
        if (lastSender == null || MemorySegment.mismatch(raw, 0, len, lastRaw, 0, len) != -1) {
            lastSender = SockAddr.decode(raw);
            MemorySegment.copy(raw, 0, lastRaw, 0, len);
        }
        return lastSender;
    }

    @Override
    public boolean send(InetSocketAddress to, byte[] src, int off, int len) throws IOException {
        return Net.sendTo(fd, src, off, len, to, scratch) != Net.WOULD_BLOCK;
    }

    @Override
    public int send(Deque<Datagram> queue) throws IOException {
        Datagram head = queue.peekFirst();
        if (head == null) return 0;
        if (head.data().length > outArea.byteSize()) {
            return send(head.address(), head.data(), 0, head.data().length) ? 1 : 0;
        }
        int count = 0;
        long used = 0;
        for (Iterator<Datagram> it = queue.iterator(); it.hasNext() && count < batch; ) {
            Datagram d = it.next();
            int len = d.data().length;
            if (used + len > outArea.byteSize()) break;
            MemorySegment slice = outArea.asSlice(used, len);
            MemorySegment.copy(d.data(), 0, slice, ValueLayout.JAVA_BYTE, 0, len);
            out.setBuffer(count, slice);
            out.setAddress(count, d.address());
            used += len;
            count++;
        }
        try {
            int n = Net.sendmmsg(fd, out, 0, count);
            return n == Net.WOULD_BLOCK ? 0 : n;
        } catch (ErrnoException e) {
            throw ErrnoException.datagram("sendmmsg", e.errno(), head.data().length, head.address());
        }
    }

    @Override
    public <T> void set(NetOption<T> option, T value) throws IOException {
        options.set(option, value);
    }

    @Override
    public <T> T get(NetOption<T> option) throws IOException {
        return options.get(option);
    }

    /** Whether the native memory is gone (after {@link #close}): for tests. */
    public boolean released() {
        return !arena.scope().isAlive();
    }

    /** Closes: the receive is cancelled, and once it has completed the buffers and the descriptor go. */
    @Override
    public void close() {
        if (closing) return;
        closing = true;
        registered = false;
        if (poller == null || inFlight == 0) {
            release();
        } else {
            dirty();
        }
    }

    private void release() {
        if (released) return;
        released = true;
        try {
            if (buffers != null && poller != null) poller.ring.unregisterBufferRing(buffers.group());
        } catch (ErrnoException e) {
            System.getLogger(UringDatagramSocket.class.getName())
                    .log(System.Logger.Level.WARNING, "unregistering the buffers of " + this, e);
        }
        arena.close();
        try {
            Net.close(fd);
        } catch (ErrnoException e) {
            System.getLogger(UringDatagramSocket.class.getName())
                    .log(System.Logger.Level.WARNING, "closing " + this, e);
        }
        if (poller != null) dirty(); // the poller unbinds it
    }

    @Override
    public String toString() {
        return "io_uring udp fd " + fd + " on " + local;
    }
}
