package io.netloop.core.proxy;

import static io.netloop.core.proxy.ProxyHeaders.concat;
import static io.netloop.core.proxy.ProxyHeaders.tlv;
import static io.netloop.core.proxy.ProxyHeaders.v1;
import static io.netloop.core.proxy.ProxyHeaders.v2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netloop.core.buffer.Buffer;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The filter as the connection drives it: bytes arrive in pieces, the handler's bytes pass untouched. */
class ProxyProtocolFilterTest {
    /** Feeds {@code stream} in random pieces as reads would; returns the plaintext that came out. */
    private static byte[] feed(ProxyProtocolFilter f, int headerLength, byte[] stream, Random rnd) throws Exception {
        Buffer raw = new Buffer();
        Buffer plain = new Buffer();
        Buffer wire = new Buffer();
        int at = 0;
        while (at < stream.length) {
            int n = 1 + rnd.nextInt(Math.min(40, stream.length - at));
            raw.append(stream, at, n);
            at += n;
            f.inbound(raw, plain, wire);
            assertThat(f.established())
                    .as("established exactly once the header is complete")
                    .isEqualTo(at >= headerLength);
        }
        assertThat(wire.isEmpty()).as("nothing to answer").isTrue();
        return plain.readAll();
    }

    @Test
    void seededRandomPiecesGiveTheHeaderOnceAndEveryByteAfterIt() throws Exception {
        long seed = 0xFEED_F00DL;
        Random rnd = new Random(seed);
        for (int round = 0; round < 2_000; round++) {
            byte[] header = switch (rnd.nextInt(3)) {
                case 0 ->
                    v1("PROXY TCP4 192.0.2." + rnd.nextInt(256) + " 10.0.0.1 " + (1 + rnd.nextInt(65535)) + " 443");
                case 1 ->
                    v2(
                            "2001:db8::" + Integer.toHexString(rnd.nextInt(65536)),
                            rnd.nextInt(65536),
                            "2001:db8::1",
                            443,
                            tlv(rnd.nextInt(256), new byte[rnd.nextInt(300)]));
                default -> v2("203.0.113." + rnd.nextInt(256), rnd.nextInt(65536), "10.0.0.1", 80, new byte[0]);
            };
            byte[] payload = new byte[rnd.nextInt(500)];
            rnd.nextBytes(payload);
            ProxyProtocolFilter f = new ProxyProtocolFilter(null, 1);
            byte[] out = feed(f, header.length, concat(header, payload), rnd);
            assertThat(Arrays.equals(out, payload))
                    .as("seed %x round %d", seed, round)
                    .isTrue();
            assertThat(f.remoteAddress())
                    .isEqualTo(ProxyHeaderParser.parse(header, 0, header.length).source());
            assertThat(f.remoteAddress()).isInstanceOf(InetSocketAddress.class);
        }
    }

    @Test
    void garbageInAnyPieceIsRefusedBeforeAByteReachesTheHandler() throws Exception {
        ProxyProtocolFilter f = new ProxyProtocolFilter(null, 1);
        Buffer raw = new Buffer().append("PROXY TCP4 1.2.3.4".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Buffer plain = new Buffer();
        f.inbound(raw, plain, new Buffer());
        assertThat(f.established()).isFalse();
        raw.append(" 5.6.7.8 1 2\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)); // LF without CR
        assertThatThrownBy(() -> f.inbound(raw, plain, new Buffer())).isInstanceOf(ProxyProtocolException.class);
        assertThat(plain.isEmpty()).isTrue();
    }
}
