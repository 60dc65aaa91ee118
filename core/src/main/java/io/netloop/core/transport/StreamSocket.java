package io.netloop.core.transport;

import io.netloop.core.file.OpenFile;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A non-blocking stream (TCP) socket of one {@link Transport}.
 *
 * <p>Owns its descriptor or JDK channel and closes it in {@link #close}. Threading: the
 * owning loop's thread only.
 */
public interface StreamSocket extends Selectable, SocketConfig.OptionTarget, AutoCloseable {
    /** {@link #read} returns this at the end of the stream. */
    int EOF = -1;

    /**
     * @return bytes read (> 0), 0 when nothing is available now, or {@link #EOF}
     * @throws io.netloop.core.sys.ErrnoException or another IOException when the connection failed
     */
    int read(byte[] dst, int off, int len) throws IOException;

    /** @return bytes written, 0 when the send buffer is full */
    int write(byte[] src, int off, int len) throws IOException;

    /**
     * As {@link #write(byte[], int, int)}, saying that more bytes follow at once (a file
     * after its header), so the kernel may hold back a partial packet (MSG_MORE). Transports
     * without such a hint just write.
     */
    default int writeMore(byte[] src, int off, int len) throws IOException {
        return write(src, off, len);
    }

    /**
     * While on, the kernel holds back partial packets (TCP_CORK), so that a connection's last
     * answer, a header and a file, leaves with its FIN in one packet instead of a packet and a
     * FIN of their own; off sends at once what is held, bytes written with
     * {@link #writeMore} included. A hint: transports without it (NIO, io_uring) send at once,
     * which is also correct.
     */
    default void holdOutput(boolean on) throws IOException {}

    /**
     * Sends {@code count} bytes of {@code file} from {@code position} without copying them
     * through the heap: sendfile(2) on a native socket, {@code FileChannel.transferTo} on a
     * JDK one (which Linux also turns into sendfile).
     *
     * @return bytes sent, 0 when the send buffer is full; never more than {@code count}
     * @throws java.io.EOFException when the file ends before {@code position}: it shrank
     */
    long transferFrom(OpenFile file, long position, long count) throws IOException;

    /**
     * The error the socket holds for its owner (SO_ERROR), read and cleared: what a poller's
     * ERROR report was about; 0 when there is none.
     */
    int pendingError() throws IOException;

    /** Sends FIN: the peer reads end of stream; reading goes on. */
    void shutdownOutput() throws IOException;

    /**
     * For a socket from {@link Transport#connect}: completes the connection once the socket
     * is writable. @return true when connected, false when still in progress
     * @throws IOException when the connection failed (refused, unreachable...)
     */
    boolean finishConnect() throws IOException;

    InetSocketAddress localAddress() throws IOException;

    InetSocketAddress remoteAddress() throws IOException;

    @Override
    void close() throws IOException;
}
