package io.netloop.apps.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netloop.core.loop.IoMode;
import io.netloop.core.sys.Errno;
import io.netloop.core.sys.ErrnoException;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The UDP echo server and the client that udp-send uses, on every transport with UDP. */
@ExtendWith(LeakCheck.class)
class UdpEchoServerTest {

    @ParameterizedTest(name = "{0} x{2} over {1}")
    @CsvSource({
        "EPOLL, 127.0.0.1, 1",
        "EPOLL_ET, 127.0.0.1, 2",
        "NIO, 127.0.0.1, 2",
        "EPOLL, ::1, 2",
        "EPOLL_ET, ::1, 1",
        "NIO, ::1, 1"
    })
    void echoesEveryDatagramFromManySenders(IoMode io, String host, int threads) throws Exception {
        try (UdpEchoServer server = UdpEchoServer.builder()
                .host(host)
                .port(0)
                .io(io)
                .threads(threads)
                .start()) {
            assertThat(server.sockets()).hasSize(threads);
            SplittableRandom random = new SplittableRandom(9009);
            // Several senders (ports), so that SO_REUSEPORT spreads them over the loops.
            for (int sender = 0; sender < 8; sender++) {
                try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(host), 0))) {
                    peer.setSoTimeout(10_000);
                    byte[] d = new byte[1 + random.nextInt(2000)];
                    random.nextBytes(d);
                    peer.send(new DatagramPacket(d, d.length, server.localAddress()));
                    byte[] b = new byte[4096];
                    DatagramPacket p = new DatagramPacket(b, b.length);
                    peer.receive(p);
                    assertThat(java.util.Arrays.copyOf(b, p.getLength())).isEqualTo(d);
                    assertThat(p.getSocketAddress()).isEqualTo(server.localAddress());
                }
            }
            // Counters are a monitoring read: the loop counts a reply just after the peer may have it.
            Clients.await(
                    Duration.ofSeconds(5),
                    "8 datagrams counted each way",
                    () -> server.stats().datagramsIn() == 8 && server.stats().datagramsOut() == 8);
        }
    }

    @ParameterizedTest
    @CsvSource({"EPOLL, 127.0.0.1", "NIO, 127.0.0.1", "EPOLL, ::1", "NIO, ::1"})
    void theClientGetsTheReply(IoMode io, String host) throws Exception {
        try (UdpEchoServer server = UdpEchoServer.builder().host(host).io(io).start()) {
            byte[] reply = UdpClient.request(
                    server.localAddress(), "ping".getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(10), io);
            assertThat(reply).asString(StandardCharsets.US_ASCII).isEqualTo("ping");
        }
    }

    @Test
    void theClientTimesOutWhenNobodyAnswers() throws Exception {
        // Bound but silent: no ICMP either, so only the timeout can end the wait.
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            InetSocketAddress to = (InetSocketAddress) silent.getLocalSocketAddress();
            assertThatThrownBy(() -> UdpClient.request(to, new byte[] {1}, Duration.ofMillis(300), IoMode.AUTO))
                    .isInstanceOf(SocketTimeoutException.class)
                    .hasMessage("no reply from 127.0.0.1:" + to.getPort()
                            + " within 300 ms: is a UDP server listening there? (UDP says nothing when nobody is)");
        }
    }

    @Test
    void theClientSaysWhenTheMessageIsTooLongForOneDatagram() throws Exception {
        try (UdpEchoServer server = UdpEchoServer.builder().start()) {
            assertThatThrownBy(() -> UdpClient.request(
                            server.localAddress(), new byte[70_000], Duration.ofSeconds(10), IoMode.AUTO))
                    .isInstanceOf(ErrnoException.class)
                    .hasMessageContaining("EMSGSIZE")
                    .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(Errno.EMSGSIZE));
        }
    }
}
