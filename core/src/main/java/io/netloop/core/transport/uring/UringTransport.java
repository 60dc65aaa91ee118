package io.netloop.core.transport.uring;

import io.netloop.core.sys.ErrnoException;
import io.netloop.core.sys.linux.Net;
import io.netloop.core.sys.linux.SockAddr;
import io.netloop.core.sys.linux.SysConst;
import io.netloop.core.transport.DatagramConfig;
import io.netloop.core.transport.DatagramSocket;
import io.netloop.core.transport.ListenSocket;
import io.netloop.core.transport.NetOption;
import io.netloop.core.transport.Poller;
import io.netloop.core.transport.SocketConfig;
import io.netloop.core.transport.StreamSocket;
import io.netloop.core.transport.Transport;
import io.netloop.core.transport.linux.DescriptorOptions;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The asynchronous transport: raw socket descriptors whose I/O runs in an io_uring per loop
 * ({@link UringPoller}), readiness emulated over completions so that the loop and everything
 * above it are the ones every other transport runs. Level-triggered; every {@link NetOption}.
 *
 * <p>{@link #unavailableReason()} says, once per process, whether this kernel and sandbox allow
 * it (io_uring at all, and the operations and features used here); {@code IoMode} refuses
 * {@code --io io_uring} with that sentence.
 *
 * <p>Threading: stateless; any thread.
 */
public final class UringTransport implements Transport {
    public static final UringTransport INSTANCE = new UringTransport();

    private UringTransport() {}

    /** Null when io_uring works here; otherwise what is missing, in a sentence. */
    public static String unavailableReason() {
        return UringSupport.REASON;
    }

    @Override
    public String name() {
        return "io_uring";
    }

    @Override
    public boolean edgeTriggered() {
        return false;
    }

    @Override
    public Poller newPoller() throws IOException {
        return new UringPoller(UringSettings.fromSystemProperties());
    }

    @Override
    public ListenSocket listen(InetSocketAddress address, int backlog, SocketConfig options) throws IOException {
        int fd = Net.socket(SockAddr.family(address), SysConst.SOCK_STREAM);
        try {
            if (options.get(NetOption.SO_REUSEADDR) == null) {
                // A restarted server must not wait out TIME_WAIT to bind its port again.
                Net.setInt(fd, SysConst.SOL_SOCKET, SysConst.SO_REUSEADDR, 1);
            }
            options.applyTo(new DescriptorOptions(fd));
            Net.bind(fd, address);
            Net.listen(fd, backlog);
            return new UringListenSocket(fd, Net.localAddress(fd));
        } catch (IOException | RuntimeException e) {
            closeQuietly(fd, e);
            throw e;
        }
    }

    @Override
    public StreamSocket connect(InetSocketAddress remote, SocketConfig options) throws IOException {
        int fd = Net.socket(SockAddr.family(remote), SysConst.SOCK_STREAM);
        try {
            options.applyTo(new DescriptorOptions(fd));
            boolean connected = Net.connect(fd, remote);
            return new UringStreamSocket(fd, !connected, SockAddr.NOT_PACKED);
        } catch (IOException | RuntimeException e) {
            closeQuietly(fd, e);
            throw e;
        }
    }

    @Override
    public DatagramSocket openDatagram(InetSocketAddress bind, SocketConfig options, DatagramConfig config)
            throws IOException {
        return UringDatagramSocket.open(bind, options, config);
    }

    @Override
    public boolean supports(NetOption<?> option) {
        return true;
    }

    /** Linux copies these from the listener to each socket it accepts, however it accepts. */
    @Override
    public boolean inheritsFromListener(NetOption<?> option) {
        return option == NetOption.TCP_NODELAY
                || option == NetOption.SO_KEEPALIVE
                || option == NetOption.SO_SNDBUF
                || option == NetOption.SO_RCVBUF;
    }

    private static void closeQuietly(int fd, Exception cause) {
        try {
            Net.close(fd);
        } catch (ErrnoException e) {
            cause.addSuppressed(e);
        }
    }
}
