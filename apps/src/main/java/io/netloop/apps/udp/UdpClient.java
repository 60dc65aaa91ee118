package io.netloop.apps.udp;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.loop.EventLoop;
import io.netloop.core.loop.IoMode;
import io.netloop.core.udp.DatagramHandler;
import io.netloop.core.udp.UdpSocket;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends one datagram and waits for the reply: what {@code netloop udp-send} does.
 *
 * <pre>{@code
 * byte[] reply = UdpClient.request(new InetSocketAddress("127.0.0.1", 9009), "hello".getBytes(), Duration.ofSeconds(2), IoMode.AUTO);
 * }</pre>
 *
 * <p>The reply is the first datagram that comes from {@code server}'s address; datagrams
 * from elsewhere are ignored. UDP says nothing when nobody listens, so silence ends in a
 * timeout. Threading: {@link #request} blocks the calling thread; the work runs on a loop
 * of its own, stopped before it returns.
 */
public final class UdpClient {
    private UdpClient() {}

    /**
     * @return the reply's bytes
     * @throws SocketTimeoutException when no reply came within {@code timeout}
     * @throws io.netloop.core.sys.ErrnoException when the datagram could not be sent (EMSGSIZE...)
     */
    public static byte[] request(InetSocketAddress server, byte[] message, Duration timeout, IoMode io)
            throws IOException {
        if (server.isUnresolved()) throw new IOException("cannot resolve host " + server.getHostString());
        CompletableFuture<byte[]> reply = new CompletableFuture<>();
        DatagramHandler handler = new DatagramHandler() {
            @Override
            public void onDatagram(UdpSocket socket, InetSocketAddress sender, Buffer data) {
                if (sender.equals(server)) reply.complete(data.readAll());
            }

            @Override
            public void onError(UdpSocket socket, InetSocketAddress peer, IOException error) {
                reply.completeExceptionally(error);
            }
        };
        InetAddress any = server.getAddress() instanceof Inet6Address
                ? InetAddress.getByName("::")
                : InetAddress.getByName("0.0.0.0");
        try (EventLoop loop = EventLoop.open(io)) {
            UdpSocket socket = UdpSocket.builder()
                    .bind(new InetSocketAddress(any, 0))
                    .handler(handler)
                    .open(loop);
            socket.send(server, message);
            return reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new SocketTimeoutException("no reply from " + display(server) + " within " + describe(timeout)
                    + ": is a UDP server listening there? (UDP says nothing when nobody is)");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io2) throw io2;
            throw new IOException("sending to " + server + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a reply from " + server, e);
        }
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    /** host:port, with an IPv6 host in brackets. */
    private static String display(InetSocketAddress address) {
        if (address.isUnresolved()) return address.getHostString() + ":" + address.getPort();
        String host = address.getAddress().getHostAddress();
        return (address.getAddress() instanceof java.net.Inet6Address ? "[" + host + "]" : host) + ":"
                + address.getPort();
    }
}
