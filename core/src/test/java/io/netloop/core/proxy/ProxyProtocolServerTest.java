package io.netloop.core.proxy;

import static io.netloop.core.proxy.ProxyHeaders.concat;
import static io.netloop.core.proxy.ProxyHeaders.tlv;
import static io.netloop.core.proxy.ProxyHeaders.v1;
import static io.netloop.core.proxy.ProxyHeaders.v2;
import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.loop.IoMode;
import io.netloop.core.tcp.ConnectionHandler;
import io.netloop.core.tcp.TcpConnection;
import io.netloop.core.tcp.TcpServer;
import io.netloop.testing.AllTransports;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A TcpServer listener with the PROXY protocol: the handler hears of a connection only after
 * its header, and {@code remoteAddress()} is the client the header named.
 */
@ExtendWith(LeakCheck.class)
class ProxyProtocolServerTest {
    /** Says who the connection is from, then echoes. */
    private static final class WhoIsIt implements ConnectionHandler {
        @Override
        public void onOpen(TcpConnection c) {
            InetSocketAddress r = c.remoteAddress();
            c.send(r.getAddress().getHostAddress() + " " + r.getPort() + " via "
                    + c.peerAddress().getAddress().getHostAddress() + "\n");
        }

        @Override
        public void onData(TcpConnection c, Buffer in) {
            c.send(in);
        }
    }

    private static TcpServer server(IoMode io, String trusted, Duration timeout) throws IOException {
        return TcpServer.builder()
                .io(io)
                .filter(ProxyProtocol.trusting(TrustedProxies.parse(trusted))
                        .timeout(timeout)
                        .factory(null))
                .handler(WhoIsIt::new)
                .start();
    }

    private static TcpServer server(IoMode io) throws IOException {
        return server(io, "127.0.0.1/32,::1", Duration.ofSeconds(10));
    }

    private static String exchange(TcpServer server, byte[] header) throws IOException {
        try (Socket s = Clients.connect(server.port())) {
            s.getOutputStream().write(concat(header, "ping\n".getBytes(StandardCharsets.US_ASCII)));
            BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            String who = r.readLine();
            assertThat(r.readLine())
                    .as("bytes after the header reach the handler")
                    .isEqualTo("ping");
            return who;
        }
    }

    @AllTransports
    void v1AndV2HeadersNameTheClient(IoMode io) throws Exception {
        try (TcpServer server = server(io)) {
            assertThat(exchange(server, v1("PROXY TCP4 192.0.2.7 198.51.100.1 56324 443")))
                    .isEqualTo("192.0.2.7 56324 via 127.0.0.1");
            assertThat(exchange(server, v1("PROXY TCP6 2001:db8::1 2001:db8::2 4000 443")))
                    .isEqualTo("2001:db8:0:0:0:0:0:1 4000 via 127.0.0.1");
            assertThat(exchange(server, v2("203.0.113.9", 40000, "10.0.0.1", 443, new byte[0])))
                    .isEqualTo("203.0.113.9 40000 via 127.0.0.1");
            assertThat(exchange(server, v2("2001:db8::42", 5, "2001:db8::1", 80, new byte[0])))
                    .isEqualTo("2001:db8:0:0:0:0:0:42 5 via 127.0.0.1");
            byte[] tlvs = concat(tlv(0x01, "http/1.1".getBytes(StandardCharsets.US_ASCII)), tlv(0x05, new byte[64]));
            assertThat(exchange(server, v2("198.51.100.3", 1234, "10.0.0.1", 443, tlvs)))
                    .isEqualTo("198.51.100.3 1234 via 127.0.0.1");
        }
    }

    @Test
    void v2LocalAndV1UnknownKeepTheSocketsAddress() throws Exception {
        try (TcpServer server = server(IoMode.AUTO)) {
            assertThat(exchange(server, ProxyHeaders.v2Local()))
                    .startsWith("127.0.0.1 ")
                    .endsWith(" via 127.0.0.1");
            assertThat(exchange(server, v1("PROXY UNKNOWN"))).startsWith("127.0.0.1 ");
        }
    }

    @Test
    void aHeaderSplitOverManyWritesWorks() throws Exception {
        byte[] header = v2("203.0.113.77", 6000, "10.0.0.1", 443, tlv(0x04, new byte[20]));
        try (TcpServer server = server(IoMode.AUTO);
                Socket s = Clients.connect(server.port())) {
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            for (byte b : header) {
                out.write(b);
                out.flush();
                Thread.sleep(2); // separate segments, separate reads
            }
            out.write("x\n".getBytes(StandardCharsets.US_ASCII));
            BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(r.readLine()).isEqualTo("203.0.113.77 6000 via 127.0.0.1");
            assertThat(r.readLine()).isEqualTo("x");
        }
    }

    @Test
    void aConnectionWithoutAHeaderIsClosedUnheard() throws Exception {
        try (TcpServer server = server(IoMode.AUTO);
                Socket s = Clients.connect(server.port())) {
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertClosedWithoutAWord(s);
            Clients.await(
                    Duration.ofSeconds(10), "the refused connection counted closed", () -> server.openCount() == 0);
        }
    }

    @Test
    void anUntrustedSourceIsClosedEvenWithAValidHeader() throws Exception {
        try (TcpServer server = server(IoMode.AUTO, "10.0.0.0/8", Duration.ofSeconds(10));
                Socket s = Clients.connect(server.port())) {
            s.getOutputStream().write(v1("PROXY TCP4 192.0.2.7 198.51.100.1 56324 443"));
            assertClosedWithoutAWord(s);
        }
    }

    @Test
    void aSilentConnectionIsClosedAfterTheHeaderTimeout() throws Exception {
        try (TcpServer server = server(IoMode.AUTO, "127.0.0.1", Duration.ofMillis(300));
                Socket s = Clients.connect(server.port())) {
            s.getOutputStream().write("PROX".getBytes(StandardCharsets.US_ASCII)); // a valid beginning, never finished
            assertClosedWithoutAWord(s);
        }
    }

    @Test
    void anIpv6ProxyIsTrustedByItsAddress() throws Exception {
        try (TcpServer server = TcpServer.builder()
                        .host("::1")
                        .filter(ProxyProtocol.trusting(TrustedProxies.parse("::1"))
                                .factory(null))
                        .handler(WhoIsIt::new)
                        .start();
                Socket s = new Socket(InetAddress.ofLiteral("::1"), server.port())) {
            s.getOutputStream()
                    .write(concat(
                            v1("PROXY TCP4 192.0.2.1 192.0.2.2 1 2"), "ok\n".getBytes(StandardCharsets.US_ASCII)));
            BufferedReader r = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(r.readLine()).isEqualTo("192.0.2.1 1 via 0:0:0:0:0:0:0:1");
        }
    }

    /** Closed (end of stream or reset) and not one byte from the handler, which never opened. */
    static void assertClosedWithoutAWord(Socket s) throws IOException {
        s.setSoTimeout(15_000);
        try {
            assertThat(s.getInputStream().read()).as("closed without a byte").isEqualTo(-1);
        } catch (java.net.SocketException reset) {
            assertThat(reset.getMessage()).containsIgnoringCase("reset");
        }
    }
}
