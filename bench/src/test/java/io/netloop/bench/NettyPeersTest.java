package io.netloop.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.testing.LeakCheck;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The Netty peers answer as the harnesses expect: every byte echoed, HTTP connections closed as announced. */
@ExtendWith({NettyWarmUp.class, LeakCheck.class})
class NettyPeersTest {
    @ParameterizedTest
    @EnumSource(
            value = NettyTransport.class,
            names = {"EPOLL", "NIO"})
    void echoServerSendsBackEveryByteOfLargeMessagesInOrder(NettyTransport transport) throws Exception {
        assertThat(transport.unavailability())
                .as("Netty's %s transport on this machine", transport.option)
                .isNull();
        byte[] data = new byte[8 * 16384];
        Random random = new Random(42);
        random.nextBytes(data);
        NettyEchoHandler handler = new NettyEchoHandler();
        try (NettyPeer.Bound server =
                        NettyPeer.bind("echo-test", transport, 1, "127.0.0.1", 0, p -> p.addLast(handler));
                Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            // Ping-pong as the benchmark does, each 16 KiB message sent in pieces of random size.
            for (int m = 0; m < 8; m++) {
                for (int off = m * 16384; off < (m + 1) * 16384; ) {
                    int n = Math.min((m + 1) * 16384 - off, 1 + random.nextInt(6000));
                    out.write(data, off, n);
                    off += n;
                }
                out.flush();
                byte[] back = in.readNBytes(16384);
                assertThat(back)
                        .as("message %d", m)
                        .isEqualTo(java.util.Arrays.copyOfRange(data, m * 16384, (m + 1) * 16384));
            }
            // Netty closes a channel whose peer has ended; waiting for that leaves nothing to the shutdown.
            s.shutdownOutput();
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void http10WithoutKeepAliveIsAnsweredConnectionCloseAndClosed(@TempDir Path root) {
        EmbeddedChannel ch = http(root);
        String response = exchange(ch, "GET /plaintext HTTP/1.0\r\nHost: x\r\n\r\n");
        // The response is HTTP/1.1: without "Connection: close" a client takes it as kept alive (wrk then
        // sends its next request into the closing connection and counts a read error).
        assertThat(response)
                .startsWith("HTTP/1.1 200 OK")
                .containsIgnoringCase("connection: close")
                .endsWith("Hello, World!");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void http11WithConnectionCloseIsAnsweredConnectionCloseAndClosed(@TempDir Path root) {
        EmbeddedChannel ch = http(root);
        assertThat(exchange(ch, "GET /plaintext HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .containsIgnoringCase("connection: close");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void http10WithKeepAliveIsToldSoAndStaysOpen(@TempDir Path root) {
        EmbeddedChannel ch = http(root);
        assertThat(exchange(ch, "GET /plaintext HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n\r\n"))
                .containsIgnoringCase("connection: keep-alive");
        assertThat(exchange(ch, "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n"))
                .doesNotContainIgnoringCase("connection:")
                .endsWith("Hello, World!");
        assertThat(ch.isOpen()).isTrue();
        ch.finishAndReleaseAll();
    }

    private static EmbeddedChannel http(Path root) {
        return new EmbeddedChannel(
                new HttpServerCodec(),
                new NettyHttpHandler(root.toAbsolutePath().normalize()));
    }

    /** Sends one request and returns all the bytes written back, as text. */
    private static String exchange(EmbeddedChannel ch, String request) {
        ch.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
        ch.runPendingTasks();
        StringBuilder sb = new StringBuilder();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            ByteBuf b = (ByteBuf) o;
            sb.append(b.toString(StandardCharsets.US_ASCII));
            b.release();
        }
        return sb.toString();
    }
}
