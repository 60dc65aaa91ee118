package io.netloop.core.sys.linux;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;

/**
 * A native array of {@code struct mmsghdr} for {@link Net#recvmmsg} and {@link Net#sendmmsg}:
 * one message per entry, each with one {@code iovec} and its own {@code sockaddr_storage}.
 *
 * <pre>
 * struct msghdr  (56): msg_name ptr @0 | msg_namelen u32 @8 | pad 4 | msg_iov ptr @16 | msg_iovlen size_t @24
 *                     | msg_control ptr @32 | msg_controllen size_t @40 | msg_flags i32 @48 | pad 4
 * struct mmsghdr (64): msg_hdr @0 | msg_len u32 @56 | pad 4
 * struct iovec   (16): iov_base ptr @0 | iov_len size_t @8
 * </pre>
 * x86_64 and aarch64 share this layout (LP64, natural alignment, unlike x86_64's packed
 * {@code epoll_event}); {@link #layoutFor} is where another architecture would differ.
 *
 * <p>The data each message points at belongs to the caller ({@link #setBuffer}), and must
 * be native and outlive the call. Threading: confined to the thread that uses it (a socket's
 * loop); memory owned by the given arena.
 */
public final class MsgVec {
    /** {@code struct msghdr} and {@code struct mmsghdr} on this architecture. */
    static final StructLayout MSGHDR;

    static final StructLayout MMSGHDR;

    static {
        StructLayout[] l = layoutFor(Native.ARCH);
        MSGHDR = l[0];
        MMSGHDR = l[1];
    }

    public static final int MMSGHDR_SIZE = (int) MMSGHDR.byteSize();
    private static final long NAME = MMSGHDR.byteOffset(groupElement("msg_hdr"), groupElement("msg_name"));
    private static final long NAMELEN = MMSGHDR.byteOffset(groupElement("msg_hdr"), groupElement("msg_namelen"));
    private static final long IOV = MMSGHDR.byteOffset(groupElement("msg_hdr"), groupElement("msg_iov"));
    private static final long IOVLEN = MMSGHDR.byteOffset(groupElement("msg_hdr"), groupElement("msg_iovlen"));
    private static final long FLAGS = MMSGHDR.byteOffset(groupElement("msg_hdr"), groupElement("msg_flags"));
    private static final long LEN = MMSGHDR.byteOffset(groupElement("msg_len"));

    private final MemorySegment headers;
    private final MemorySegment iovecs;
    private final MemorySegment names;
    private final int capacity;

    /** Headers, iovecs and addresses for {@code capacity} messages, zeroed, in {@code arena}. */
    public MsgVec(Arena arena, int capacity) {
        if (capacity <= 0 || capacity > 1024)
            throw new IllegalArgumentException("capacity must be 1..1024 (UIO_MAXIOV): " + capacity);
        this.capacity = capacity;
        this.headers = arena.allocate(MMSGHDR, capacity);
        this.iovecs = arena.allocate((long) IoVec.SIZE * capacity, 8);
        this.names = arena.allocate((long) SockAddr.STORAGE_SIZE * capacity, 8);
        for (int i = 0; i < capacity; i++) {
            long h = (long) i * MMSGHDR_SIZE;
            headers.set(ValueLayout.ADDRESS, h + NAME, address(i));
            headers.set(ValueLayout.JAVA_INT, h + NAMELEN, SockAddr.STORAGE_SIZE);
            headers.set(ValueLayout.ADDRESS, h + IOV, iovecs.asSlice((long) i * IoVec.SIZE, IoVec.SIZE));
            headers.set(ValueLayout.JAVA_LONG, h + IOVLEN, 1L);
        }
    }

    static StructLayout[] layoutFor(Native.Arch arch) {
        if (arch == Native.Arch.OTHER)
            throw new UnsupportedOperationException("no mmsghdr layout for " + System.getProperty("os.arch"));
        StructLayout msghdr = MemoryLayout.structLayout(
                        ValueLayout.ADDRESS.withName("msg_name"),
                        ValueLayout.JAVA_INT.withName("msg_namelen"),
                        MemoryLayout.paddingLayout(4),
                        ValueLayout.ADDRESS.withName("msg_iov"),
                        ValueLayout.JAVA_LONG.withName("msg_iovlen"),
                        ValueLayout.ADDRESS.withName("msg_control"),
                        ValueLayout.JAVA_LONG.withName("msg_controllen"),
                        ValueLayout.JAVA_INT.withName("msg_flags"),
                        MemoryLayout.paddingLayout(4))
                .withName("msghdr");
        StructLayout mmsghdr = MemoryLayout.structLayout(
                        msghdr.withName("msg_hdr"),
                        ValueLayout.JAVA_INT.withName("msg_len"),
                        MemoryLayout.paddingLayout(4))
                .withName("mmsghdr");
        return new StructLayout[] {msghdr, mmsghdr};
    }

    /**
     * A lone {@code struct msghdr} for a multishot IORING_OP_RECVMSG with provided buffers: no
     * iovec (each datagram lands in the buffer the kernel picks), no control data, and
     * {@code nameLength} bytes reserved in every buffer for the sender's address.
     */
    public static MemorySegment recvmsgHeader(Arena arena, int nameLength) {
        MemorySegment h = arena.allocate(MSGHDR);
        MemorySegment name = arena.allocate(nameLength, 8);
        h.set(ValueLayout.ADDRESS, MSGHDR.byteOffset(groupElement("msg_name")), name);
        h.set(ValueLayout.JAVA_INT, MSGHDR.byteOffset(groupElement("msg_namelen")), nameLength);
        return h;
    }

    public int capacity() {
        return capacity;
    }

    /** Points message {@code i}'s single iovec at {@code data} (native memory). */
    public void setBuffer(int i, MemorySegment data) {
        if (!data.isNative()) throw new IllegalArgumentException("an iovec can only point at native memory");
        long v = (long) i * IoVec.SIZE;
        iovecs.set(ValueLayout.ADDRESS, v, data);
        iovecs.set(ValueLayout.JAVA_LONG, v + 8, data.byteSize());
    }

    /** Sets message {@code i}'s destination (for sending). */
    public void setAddress(int i, InetSocketAddress to) {
        int len = SockAddr.encode(to, address(i));
        headers.set(ValueLayout.JAVA_INT, (long) i * MMSGHDR_SIZE + NAMELEN, len);
    }

    /** Message {@code i}'s {@code sockaddr_storage}: the sender after a receive. */
    public MemorySegment address(int i) {
        return names.asSlice((long) i * SockAddr.STORAGE_SIZE, SockAddr.STORAGE_SIZE);
    }

    /** Bytes the kernel received into (or sent from) message {@code i}. */
    public int length(int i) {
        return headers.get(ValueLayout.JAVA_INT, (long) i * MMSGHDR_SIZE + LEN);
    }

    /** Message {@code i}'s flags after a receive, such as {@link SysConst#MSG_TRUNC}. */
    public int flags(int i) {
        return headers.get(ValueLayout.JAVA_INT, (long) i * MMSGHDR_SIZE + FLAGS);
    }

    /** Before a receive: each address field may take any family again (the kernel shrank the lengths). */
    void resetForReceive(int count) {
        for (int i = 0; i < count; i++) {
            headers.set(ValueLayout.JAVA_INT, (long) i * MMSGHDR_SIZE + NAMELEN, SockAddr.STORAGE_SIZE);
        }
    }

    /** The headers from message {@code first} on, as the kernel takes them. */
    MemorySegment from(int first) {
        return headers.asSlice((long) first * MMSGHDR_SIZE);
    }
}
