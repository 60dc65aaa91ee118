package io.netloop.bench.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every lab model answers the same bytes, pipelined and split at random places. */
class LabServerTest {
    @ParameterizedTest
    @ValueSource(
            strings = {"blocking", "virtual", "busy-poll", "select", "poll", "epoll", "epoll-et", "signal", "io_uring"})
    void everyModelAnswersPipelinedRequestsSplitAnywhere(String name) throws Exception {
        try (LabServer.Model model = LabServer.model(name)) {
            int port = model.start("127.0.0.1", 0);
            byte[] one = "GET /plaintext HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            byte[] all = new byte[one.length * 20];
            for (int i = 0; i < 20; i++) System.arraycopy(one, 0, all, i * one.length, one.length);
            byte[] expected = PlainResponder.responses(20);
            Random random = new Random(name.hashCode());
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.setSoTimeout(10_000);
                s.setTcpNoDelay(true);
                OutputStream out = s.getOutputStream();
                for (int off = 0; off < all.length; ) {
                    int n = Math.min(all.length - off, 1 + random.nextInt(60));
                    out.write(all, off, n);
                    out.flush();
                    off += n;
                }
                InputStream in = s.getInputStream();
                assertThat(in.readNBytes(expected.length)).isEqualTo(expected);
                // The server closes its side once ours ends, so that its connection thread (a virtual one
                // included, whose blocking the JDK parks on pollers it opens lazily per carrier) is done
                // before the next class's descriptor baseline is taken.
                s.shutdownOutput();
                assertThat(in.read()).isEqualTo(-1);
            }
        }
    }

    @Test
    void responderCountsHeadsAcrossReads() {
        PlainResponder r = new PlainResponder();
        byte[] b = "GET / HTTP/1.1\r\n\r\nGET / HTTP/1.1\r\n\r".getBytes(StandardCharsets.US_ASCII);
        assertThat(r.requestsEndingIn(b, 0, b.length)).isEqualTo(1);
        assertThat(r.requestsEndingIn(new byte[] {'\n'}, 0, 1)).isEqualTo(1);
        assertThat(r.requestsEndingIn(new byte[] {'\r', '\n', 'x', '\r', '\n'}, 0, 5))
                .isZero();
    }
}
