package io.netloop.core.sys.linux;

import static io.netloop.core.sys.linux.Libc.errno;
import static io.netloop.core.sys.linux.Libc.errnoSegment;

import io.netloop.core.sys.Errno;
import io.netloop.core.sys.ErrnoException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;

/**
 * Socket system calls on raw file descriptors.
 *
 * <p>Conventions: every call retries {@code EINTR} where a retry is right (everything but
 * {@code close}, whose descriptor is gone after EINTR on Linux); {@code EAGAIN} is a
 * normal result ({@link #WOULD_BLOCK}), never an exception; every other failure throws
 * {@link ErrnoException} naming the call. Data calls take heap arrays directly: they are
 * critical downcalls that pin the array for the call instead of copying it.
 *
 * <p>Threading: stateless; any thread. A descriptor itself belongs to whoever owns it
 * (in netloop, one event loop).
 */
public final class Net {
    private Net() {}

    /** Returned by data calls and {@link #accept} instead of throwing on EAGAIN. */
    public static final int WOULD_BLOCK = -1;

    // --- life cycle ----------------------------------------------------------------------

    /** A non-blocking, close-on-exec socket. */
    public static int socket(int family, int type) throws ErrnoException {
        MemorySegment err = errnoSegment();
        try {
            int fd = (int)
                    Libc.SOCKET.invokeExact(err, family, type | SysConst.SOCK_NONBLOCK | SysConst.SOCK_CLOEXEC, 0);
            if (fd < 0) throw new ErrnoException("socket", errno(err));
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A blocking socket, for the blocking I/O models of the lab. */
    public static int blockingSocket(int family, int type) throws ErrnoException {
        MemorySegment err = errnoSegment();
        try {
            int fd = (int) Libc.SOCKET.invokeExact(err, family, type | SysConst.SOCK_CLOEXEC, 0);
            if (fd < 0) throw new ErrnoException("socket", errno(err));
            return fd;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void bind(int fd, InetSocketAddress address) throws ErrnoException {
        Libc.Scratch scratch = Libc.scratch();
        try {
            MemorySegment sa = scratch.sockaddr;
            int len = SockAddr.encode(address, sa);
            MemorySegment err = scratch.errno;
            int r = (int) Libc.BIND.invokeExact(err, fd, sa, len);
            if (r < 0) throw new ErrnoException("bind", errno(err), "to " + address);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void listen(int fd, int backlog) throws ErrnoException {
        MemorySegment err = errnoSegment();
        try {
            if ((int) Libc.LISTEN.invokeExact(err, fd, backlog) < 0) throw new ErrnoException("listen", errno(err));
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Accepts one connection as a non-blocking, close-on-exec socket.
     *
     * @return the new descriptor, or {@link #WOULD_BLOCK} when the queue is empty
     * @throws ErrnoException for EMFILE, ENFILE, ENOBUFS and the rest; ECONNABORTED is too (the caller goes on)
     */
    public static int accept(int listenFd) throws ErrnoException {
        Libc.Scratch scratch = Libc.scratch();
        MemorySegment err = scratch.errno;
        try {
            for (; ; ) {
                // The peer's address comes with the connection, in the thread's scratch memory:
                // no getpeername later ({@link #acceptedPeer}).
                scratch.socklen.set(ValueLayout.JAVA_INT, 0, SockAddr.STORAGE_SIZE);
                int fd = (int) Libc.ACCEPT4.invokeExact(
                        err,
                        listenFd,
                        scratch.sockaddr,
                        scratch.socklen,
                        SysConst.SOCK_NONBLOCK | SysConst.SOCK_CLOEXEC);
                if (fd >= 0) return fd;
                int e = errno(err);
                if (e == Errno.EINTR) continue;
                if (e == Errno.EAGAIN) return WOULD_BLOCK;
                throw new ErrnoException("accept4", e);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * The peer of the connection this thread accepted last ({@link #accept}), packed: an IPv4
     * peer as {@code port << 32 | address} (no object made), anything else as {@link
     * SockAddr#NOT_PACKED}; then {@link #acceptedPeerRaw} has it.
     */
    public static long acceptedPeer() {
        return SockAddr.packIpv4(Libc.scratch().sockaddr);
    }

    /** The raw socket address of the connection this thread accepted last (IPv6: 28 bytes). */
    public static byte[] acceptedPeerRaw() {
        Libc.Scratch scratch = Libc.scratch();
        int len = Math.min(scratch.socklen.get(ValueLayout.JAVA_INT, 0), SockAddr.STORAGE_SIZE);
        return scratch.sockaddr.asSlice(0, len).toArray(ValueLayout.JAVA_BYTE);
    }

    /** Blocking accept (the lab's thread-per-connection model); the result is a blocking socket. */
    public static int acceptBlocking(int listenFd) throws ErrnoException {
        MemorySegment err = errnoSegment();
        try {
            for (; ; ) {
                int fd = (int) Libc.ACCEPT4_BLOCKING.invokeExact(
                        err, listenFd, MemorySegment.NULL, MemorySegment.NULL, SysConst.SOCK_CLOEXEC);
                if (fd >= 0) return fd;
                int e = errno(err);
                if (e == Errno.EINTR) continue;
                throw new ErrnoException("accept4", e);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Starts a connection.
     *
     * @return true when connected at once (loopback can), false when in progress: wait for
     *     writability, then read {@link #socketError}
     */
    public static boolean connect(int fd, InetSocketAddress address) throws ErrnoException {
        Libc.Scratch scratch = Libc.scratch();
        try {
            MemorySegment sa = scratch.sockaddr;
            int len = SockAddr.encode(address, sa);
            MemorySegment err = scratch.errno;
            int r = (int) Libc.CONNECT.invokeExact(err, fd, sa, len);
            if (r == 0) return true;
            int e = errno(err);
            // EINTR: the connection continues asynchronously, as EINPROGRESS (connect(2)).
            if (e == Errno.EINPROGRESS || e == Errno.EINTR) return false;
            throw new ErrnoException("connect", e, "to " + address);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** SHUT_RD, SHUT_WR or SHUT_RDWR. ENOTCONN (the peer already gone) is ignored: there is nothing left to shut. */
    public static void shutdown(int fd, int how) throws ErrnoException {
        MemorySegment err = errnoSegment();
        try {
            if ((int) Libc.SHUTDOWN.invokeExact(err, fd, how) < 0) {
                int e = errno(err);
                if (e != Errno.ENOTCONN) throw new ErrnoException("shutdown", e);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Closes a descriptor once. Not retried on EINTR: Linux has released it already. */
    public static void close(int fd) throws ErrnoException {
        MemorySegment err = errnoSegment();
        try {
            if ((int) Libc.CLOSE.invokeExact(err, fd) < 0) {
                int e = errno(err);
                if (e != Errno.EINTR) throw new ErrnoException("close", e);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // --- data ----------------------------------------------------------------------------

    /**
     * Reads from a non-blocking descriptor into {@code dst[off, off+len)}, through the
     * thread's staging area (see {@code Libc.Scratch}): no memory is allocated per call.
     *
     * @return bytes read, 0 at end of stream, or {@link #WOULD_BLOCK}
     */
    public static int read(int fd, byte[] dst, int off, int len) throws ErrnoException {
        Libc.Scratch scratch = Libc.scratch();
        MemorySegment err = scratch.errno;
        int total = 0;
        try {
            // Through the staging area, a chunk at a time: a read that fills a chunk may have more
            // behind it, and a short read must mean what it means to the caller (drained).
            while (total < len) {
                long want = Math.min(len - total, Libc.Scratch.STAGING_SIZE);
                long n = (long) Libc.READ_STAGED.invokeExact(err, fd, scratch.stagingAddress, want);
                if (n > 0) {
                    MemorySegment.copy(scratch.staging, ValueLayout.JAVA_BYTE, 0, dst, off + total, (int) n);
                    total += (int) n;
                    if (n < want) return total;
                    continue;
                }
                if (n == 0) return total; // end of stream; after bytes, the next read says so
                int e = errno(err);
                if (e == Errno.EAGAIN) return total > 0 ? total : WOULD_BLOCK;
                if (e == Errno.EINTR) continue;
                if (total > 0) return total; // the failure repeats on the next read
                throw new ErrnoException("read", e);
            }
            return total;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Sends {@code src[off, off+len)} on a non-blocking socket with MSG_NOSIGNAL, so a closed
     * peer is an EPIPE exception rather than a process-killing SIGPIPE.
     *
     * @return bytes written (maybe fewer than len), or {@link #WOULD_BLOCK}
     */
    public static int send(int fd, byte[] src, int off, int len) throws ErrnoException {
        return send(fd, src, off, len, 0);
    }

    /**
     * {@link #send(int, byte[], int, int)} with extra flags, such as {@link SysConst#MSG_MORE}
     * (more data follows at once: let the kernel hold a partial packet, like TCP_CORK for one
     * call).
     */
    public static int send(int fd, byte[] src, int off, int len, int flags) throws ErrnoException {
        if (len > Libc.Scratch.STAGING_SIZE) return sendLarge(fd, src, off, len, flags);
        Libc.Scratch scratch = Libc.scratch();
        MemorySegment err = scratch.errno;
        MemorySegment.copy(src, off, scratch.staging, ValueLayout.JAVA_BYTE, 0, len);
        try {
            for (; ; ) {
                long n = (long) Libc.SEND_STAGED.invokeExact(
                        err, fd, scratch.stagingAddress, (long) len, SysConst.MSG_NOSIGNAL | flags);
                if (n >= 0) return (int) n;
                int e = errno(err);
                if (e == Errno.EAGAIN) return WOULD_BLOCK;
                if (e != Errno.EINTR) throw new ErrnoException("send", e);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Sends {@code len} bytes at native {@code address} on a non-blocking socket, as {@link
     * #send(int, byte[], int, int, int)} does from the heap: memory that is already native (a
     * transport's staging) needs no copy.
     *
     * @return bytes written (maybe fewer than len), or {@link #WOULD_BLOCK}
     */
    public static int sendAddress(int fd, long address, long len, int flags) throws ErrnoException {
        MemorySegment err = errnoSegment();
        try {
            for (; ; ) {
                long n = (long) Libc.SEND_STAGED.invokeExact(err, fd, address, len, SysConst.MSG_NOSIGNAL | flags);
                if (n >= 0) return (int) n;
                int e = errno(err);
                if (e == Errno.EAGAIN) return WOULD_BLOCK;
                if (e != Errno.EINTR) throw new ErrnoException("send", e);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A send larger than the staging area: pinned from the heap in one call, a segment made for it. */
    private static int sendLarge(int fd, byte[] src, int off, int len, int flags) throws ErrnoException {
        MemorySegment err = errnoSegment();
        MemorySegment buf = MemorySegment.ofArray(src).asSlice(off, len);
        try {
            for (; ; ) {
                long n = (long) Libc.SEND.invokeExact(err, fd, buf, (long) len, SysConst.MSG_NOSIGNAL | flags);
                if (n >= 0) return (int) n;
                int e = errno(err);
                if (e == Errno.EAGAIN) return WOULD_BLOCK;
                if (e != Errno.EINTR) throw new ErrnoException("send", e);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** recv(2) with flags into a heap array; as {@link #read}. */
    public static int recv(int fd, byte[] dst, int off, int len, int flags) throws ErrnoException {
        MemorySegment err = errnoSegment();
        MemorySegment buf = MemorySegment.ofArray(dst).asSlice(off, len);
        try {
            for (; ; ) {
                long n = (long) Libc.RECV.invokeExact(err, fd, buf, (long) len, flags);
                if (n >= 0) return (int) n;
                int e = errno(err);
                if (e == Errno.EAGAIN) return WOULD_BLOCK;
                if (e != Errno.EINTR) throw new ErrnoException("recv", e);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** write(2) from native memory (pipes, eventfd, files); as {@link #send}. */
    public static long write(int fd, MemorySegment src) throws ErrnoException {
        MemorySegment err = errnoSegment();
        try {
            for (; ; ) {
                long n = (long) Libc.WRITE.invokeExact(err, fd, src, src.byteSize());
                if (n >= 0) return n;
                int e = errno(err);
                if (e == Errno.EAGAIN) return WOULD_BLOCK;
                if (e != Errno.EINTR) throw new ErrnoException("write", e);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** read(2) into native memory; as {@link #read}. */
    public static long read(int fd, MemorySegment dst) throws ErrnoException {
        MemorySegment err = errnoSegment();
        try {
            for (; ; ) {
                long n = (long) Libc.READ.invokeExact(err, fd, dst, dst.byteSize());
                if (n >= 0) return n;
                int e = errno(err);
                if (e == Errno.EAGAIN) return WOULD_BLOCK;
                if (e != Errno.EINTR) throw new ErrnoException("read", e);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Blocking read for the lab's blocking models: may sleep, so it is an ordinary downcall. */
    public static int readBlocking(int fd, byte[] dst, int off, int len) throws ErrnoException {
        Libc.Scratch scratch = Libc.scratch();
        MemorySegment err = scratch.errno;
        long want = Math.min(len, Libc.Scratch.STAGING_SIZE);
        try {
            for (; ; ) {
                long n = (long) Libc.READ_STAGED_BLOCKING.invokeExact(err, fd, scratch.stagingAddress, want);
                if (n >= 0) {
                    MemorySegment.copy(scratch.staging, ValueLayout.JAVA_BYTE, 0, dst, off, (int) n);
                    return (int) n;
                }
                int e = errno(err);
                if (e != Errno.EINTR) throw new ErrnoException("read", e);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Blocking write of the whole range, for the lab's blocking models. */
    public static void writeBlocking(int fd, byte[] src, int off, int len) throws ErrnoException {
        Libc.Scratch scratch = Libc.scratch();
        MemorySegment err = scratch.errno;
        try {
            int done = 0;
            while (done < len) {
                int chunk = Math.min(len - done, Libc.Scratch.STAGING_SIZE);
                MemorySegment.copy(src, off + done, scratch.staging, ValueLayout.JAVA_BYTE, 0, chunk);
                long n = (long) Libc.WRITE_STAGED_BLOCKING.invokeExact(err, fd, scratch.stagingAddress, (long) chunk);
                if (n >= 0) {
                    done += (int) n;
                    continue;
                }
                int e = errno(err);
                if (e != Errno.EINTR) throw new ErrnoException("write", e);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Gathering write of {@code count} iovecs at {@code iov} (see {@link IoVec}); native memory only.
     *
     * @return bytes written, or {@link #WOULD_BLOCK}
     */
    public static long writev(int fd, MemorySegment iov, int count) throws ErrnoException {
        MemorySegment err = errnoSegment();
        try {
            for (; ; ) {
                long n = (long) Libc.WRITEV.invokeExact(err, fd, iov, count);
                if (n >= 0) return n;
                int e = errno(err);
                if (e == Errno.EAGAIN) return WOULD_BLOCK;
                if (e != Errno.EINTR) throw new ErrnoException("writev", e);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Scattering read into {@code count} iovecs; as {@link #writev}. 0 means end of stream. */
    public static long readv(int fd, MemorySegment iov, int count) throws ErrnoException {
        MemorySegment err = errnoSegment();
        try {
            for (; ; ) {
                long n = (long) Libc.READV.invokeExact(err, fd, iov, count);
                if (n >= 0) return n;
                int e = errno(err);
                if (e == Errno.EAGAIN) return WOULD_BLOCK;
                if (e != Errno.EINTR) throw new ErrnoException("readv", e);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Zero-copy file to socket from {@code position}, without changing the file's own offset.
     *
     * @return bytes sent (0 only at the end of the file), or {@link #WOULD_BLOCK}
     */
    public static long sendfile(int outFd, int inFd, long position, long count) throws ErrnoException {
        MemorySegment offset = Libc.scratch().offset;
        offset.set(ValueLayout.JAVA_LONG, 0, position);
        return sendfile(outFd, inFd, offset, count);
    }

    /**
     * Zero-copy file to socket. {@code offset} is a native {@code off_t} (8 bytes) the kernel
     * advances.
     *
     * @return bytes sent, or {@link #WOULD_BLOCK}
     */
    public static long sendfile(int outFd, int inFd, MemorySegment offset, long count) throws ErrnoException {
        MemorySegment err = errnoSegment();
        try {
            for (; ; ) {
                long n = (long) Libc.SENDFILE.invokeExact(err, outFd, inFd, offset, count);
                if (n >= 0) return n;
                int e = errno(err);
                if (e == Errno.EAGAIN) return WOULD_BLOCK;
                if (e != Errno.EINTR) throw new ErrnoException("sendfile", e);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // --- datagrams ------------------------------------------------------------------------

    /**
     * Sends {@code src[off, off+len)} as one datagram to {@code to}; {@code scratch} is at
     * least {@link SockAddr#STORAGE_SIZE} bytes of native memory the caller owns, so the call
     * allocates nothing native.
     *
     * @return bytes sent (all of them: a datagram is never split), or {@link #WOULD_BLOCK}
     * @throws ErrnoException EMSGSIZE (too long for one datagram), EACCES (a broadcast without
     *     SO_BROADCAST), ENETUNREACH and the rest, naming the size and the destination
     */
    public static int sendTo(int fd, byte[] src, int off, int len, InetSocketAddress to, MemorySegment scratch)
            throws ErrnoException {
        int addrLen = SockAddr.encode(to, scratch);
        MemorySegment err = errnoSegment();
        MemorySegment buf = MemorySegment.ofArray(src).asSlice(off, len);
        try {
            for (; ; ) {
                long n = (long)
                        Libc.SENDTO.invokeExact(err, fd, buf, (long) len, SysConst.MSG_NOSIGNAL, scratch, addrLen);
                if (n >= 0) return (int) n;
                int e = errno(err);
                if (e == Errno.EAGAIN) return WOULD_BLOCK;
                if (e != Errno.EINTR) throw ErrnoException.datagram("sendto", e, len, to);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Receives up to {@code count} datagrams into the first {@code count} messages of
     * {@code vec} in one call; read each one's {@link MsgVec#length}, {@link MsgVec#flags} and
     * {@link MsgVec#address}.
     *
     * @return datagrams received (at least 1), or {@link #WOULD_BLOCK} when none is waiting
     */
    public static int recvmmsg(int fd, MsgVec vec, int count) throws ErrnoException {
        vec.resetForReceive(count);
        MemorySegment err = errnoSegment();
        try {
            for (; ; ) {
                int n = (int) Libc.RECVMMSG.invokeExact(
                        err, fd, vec.from(0), count, SysConst.MSG_DONTWAIT, MemorySegment.NULL);
                if (n >= 0) return n;
                int e = errno(err);
                if (e == Errno.EAGAIN) return WOULD_BLOCK;
                if (e != Errno.EINTR) throw new ErrnoException("recvmmsg", e);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Sends messages {@code first .. first+count-1} of {@code vec} in one call.
     *
     * @return how many were sent (at least 1; the kernel may take fewer than asked), or
     *     {@link #WOULD_BLOCK} when it takes none now
     * @throws ErrnoException when message {@code first} itself fails (the ones before it were sent)
     */
    public static int sendmmsg(int fd, MsgVec vec, int first, int count) throws ErrnoException {
        MemorySegment err = errnoSegment();
        try {
            for (; ; ) {
                int n = (int) Libc.SENDMMSG.invokeExact(err, fd, vec.from(first), count, SysConst.MSG_NOSIGNAL);
                if (n >= 0) return n;
                int e = errno(err);
                if (e == Errno.EAGAIN) return WOULD_BLOCK;
                if (e != Errno.EINTR) throw new ErrnoException("sendmmsg", e);
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // --- options and names ---------------------------------------------------------------

    public static void setInt(int fd, int level, int name, int value) throws ErrnoException {
        Libc.Scratch scratch = Libc.scratch();
        try {
            MemorySegment v = scratch.optval;
            v.set(ValueLayout.JAVA_INT, 0, value);
            MemorySegment err = scratch.errno;
            if ((int) Libc.SETSOCKOPT.invokeExact(err, fd, level, name, v, 4) < 0) {
                throw new ErrnoException("setsockopt", errno(err), optionName(level, name));
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getInt(int fd, int level, int name) throws ErrnoException {
        Libc.Scratch scratch = Libc.scratch();
        try {
            MemorySegment v = scratch.optval;
            MemorySegment len = scratch.optlen;
            len.set(ValueLayout.JAVA_INT, 0, 4);
            MemorySegment err = scratch.errno;
            if ((int) Libc.GETSOCKOPT.invokeExact(err, fd, level, name, v, len) < 0) {
                throw new ErrnoException("getsockopt", errno(err), optionName(level, name));
            }
            return v.get(ValueLayout.JAVA_INT, 0);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** SO_LINGER: {@code seconds < 0} turns lingering off; 0 makes close send a reset. */
    public static void setLinger(int fd, int seconds) throws ErrnoException {
        Libc.Scratch scratch = Libc.scratch();
        try {
            MemorySegment v = scratch.optval; // struct linger { int l_onoff; int l_linger; }
            v.set(ValueLayout.JAVA_INT, 0, seconds >= 0 ? 1 : 0);
            v.set(ValueLayout.JAVA_INT, 4, Math.max(seconds, 0));
            MemorySegment err = scratch.errno;
            if ((int) Libc.SETSOCKOPT.invokeExact(err, fd, SysConst.SOL_SOCKET, SysConst.SO_LINGER, v, 8) < 0) {
                throw new ErrnoException("setsockopt", errno(err), "SO_LINGER");
            }
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** SO_LINGER in seconds, or -1 when off. */
    public static int getLinger(int fd) throws ErrnoException {
        Libc.Scratch scratch = Libc.scratch();
        try {
            MemorySegment v = scratch.optval;
            MemorySegment len = scratch.optlen;
            len.set(ValueLayout.JAVA_INT, 0, 8);
            MemorySegment err = scratch.errno;
            if ((int) Libc.GETSOCKOPT.invokeExact(err, fd, SysConst.SOL_SOCKET, SysConst.SO_LINGER, v, len) < 0) {
                throw new ErrnoException("getsockopt", errno(err), "SO_LINGER");
            }
            return v.get(ValueLayout.JAVA_INT, 0) != 0 ? v.get(ValueLayout.JAVA_INT, 4) : -1;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The pending error of a socket (SO_ERROR), cleared by reading it; 0 when none. */
    public static int socketError(int fd) throws ErrnoException {
        return getInt(fd, SysConst.SOL_SOCKET, SysConst.SO_ERROR);
    }

    public static InetSocketAddress localAddress(int fd) throws ErrnoException {
        return name(Libc.GETSOCKNAME, "getsockname", fd);
    }

    public static InetSocketAddress peerAddress(int fd) throws ErrnoException {
        return name(Libc.GETPEERNAME, "getpeername", fd);
    }

    private static InetSocketAddress name(java.lang.invoke.MethodHandle h, String call, int fd) throws ErrnoException {
        Libc.Scratch scratch = Libc.scratch();
        try {
            MemorySegment sa = scratch.sockaddr;
            MemorySegment len = scratch.socklen;
            len.set(ValueLayout.JAVA_INT, 0, SockAddr.STORAGE_SIZE);
            MemorySegment err = scratch.errno;
            if ((int) h.invokeExact(err, fd, sa, len) < 0) throw new ErrnoException(call, errno(err));
            return SockAddr.decode(sa);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static String optionName(int level, int name) {
        return "(level " + level + ", option " + name + ")";
    }

    /** A downcall throws only what the target throws, which for C is nothing: anything else is a bug here. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException("unexpected exception from a downcall", t);
    }
}
