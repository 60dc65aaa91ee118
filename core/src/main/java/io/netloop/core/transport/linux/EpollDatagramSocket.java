package io.netloop.core.transport.linux;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.sys.ErrnoException;
import io.netloop.core.sys.linux.MsgVec;
import io.netloop.core.sys.linux.Net;
import io.netloop.core.sys.linux.SockAddr;
import io.netloop.core.sys.linux.SysConst;
import io.netloop.core.transport.Datagram;
import io.netloop.core.transport.DatagramConfig;
import io.netloop.core.transport.DatagramSocket;
import io.netloop.core.transport.SocketConfig;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.Deque;
import java.util.Iterator;

/**
 * The epoll transport's UDP socket: a raw descriptor, batches in and out with
 * recvmmsg/sendmmsg.
 *
 * <pre>
 * receive: MsgVec[batch] -> slot 0 | slot 1 | ... (maxDatagramSize bytes each, filled by the kernel)
 * send:    MsgVec[batch] -> one area, datagrams packed back to back from the queue's head
 * </pre>
 *
 * <p>Owns the descriptor and an arena with both vectors, the areas and an address scratch,
 * all released by {@link #close}. Threading: the owning loop's thread; the arena is shared
 * only because the socket is created on the caller's thread and used on the loop's.
 */
public final class EpollDatagramSocket extends DescriptorOptions implements DatagramSocket {
    private final Arena arena = Arena.ofShared();
    private final InetSocketAddress local;
    private final int batch;
    private final int slotSize;
    private final MsgVec in;
    private final MemorySegment inArea;
    private final MsgVec out;
    private final MemorySegment outArea;
    private final MemorySegment scratch;
    private final Buffer data = new Buffer(2048);
    /* The last sender, raw and decoded: a burst from one peer decodes its address once. */
    private final MemorySegment lastRaw;
    private InetSocketAddress lastSender;
    private boolean closed;

    /** Opens a socket for {@code bind}'s family, applies {@code options}, binds. */
    static EpollDatagramSocket open(InetSocketAddress bind, SocketConfig options, DatagramConfig config)
            throws IOException {
        int fd = Net.socket(SockAddr.family(bind), SysConst.SOCK_DGRAM);
        try {
            return new EpollDatagramSocket(fd, bind, options, config);
        } catch (IOException | RuntimeException e) {
            try {
                Net.close(fd);
            } catch (ErrnoException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private EpollDatagramSocket(int fd, InetSocketAddress bind, SocketConfig options, DatagramConfig config)
            throws IOException {
        super(fd);
        try {
            options.applyTo(this);
            Net.bind(fd, bind);
            this.local = Net.localAddress(fd);
            this.batch = config.batchSize();
            this.slotSize = config.maxDatagramSize();
            this.in = new MsgVec(arena, batch);
            this.inArea = arena.allocate((long) batch * slotSize, 64);
            for (int i = 0; i < batch; i++) in.setBuffer(i, inArea.asSlice((long) i * slotSize, slotSize));
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

    @Override
    public int receive(Sink sink, int max) throws IOException {
        int n = Net.recvmmsg(fd, in, Math.min(max, batch));
        if (n == Net.WOULD_BLOCK) return 0;
        // The sink may close this socket (a handler that is done): then the rest of the batch is dropped unread.
        for (int i = 0; i < n && !closed; i++) {
            int len = in.length(i);
            boolean truncated = (in.flags(i) & SysConst.MSG_TRUNC) != 0;
            data.clear();
            int kept = Math.min(len, slotSize);
            data.ensureWritable(kept);
            MemorySegment.copy(
                    inArea, ValueLayout.JAVA_BYTE, (long) i * slotSize, data.array(), data.writerIndex(), kept);
            data.hasWritten(kept);
            sink.datagram(sender(in.address(i)), data, truncated);
        }
        return n;
    }

    private InetSocketAddress sender(MemorySegment raw) {
        // family, port and address: 8 bytes for sockaddr_in, all 28 for sockaddr_in6 (flow info and scope too)
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
            // Longer than any datagram: let the kernel say so (EMSGSIZE) for this one.
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

    /** Whether the native memory is gone (after {@link #close}): for tests. */
    public boolean released() {
        return !arena.scope().isAlive();
    }

    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        try {
            Net.close(fd);
        } finally {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "udp fd " + fd + " on " + local;
    }
}
