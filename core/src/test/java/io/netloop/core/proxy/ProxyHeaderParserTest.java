package io.netloop.core.proxy;

import static io.netloop.core.proxy.ProxyHeaders.concat;
import static io.netloop.core.proxy.ProxyHeaders.tlv;
import static io.netloop.core.proxy.ProxyHeaders.v1;
import static io.netloop.core.proxy.ProxyHeaders.v2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProxyHeaderParserTest {
    private static ProxyHeader parse(byte[] b) throws ProxyProtocolException {
        return ProxyHeaderParser.parse(b, 0, b.length);
    }

    @Test
    void v1Tcp4GivesTheSourceAndTheLength() throws Exception {
        byte[] h = v1("PROXY TCP4 192.0.2.7 198.51.100.1 56324 443");
        ProxyHeader p = parse(concat(h, "GET /".getBytes(StandardCharsets.US_ASCII)));
        assertThat(p.version()).isEqualTo(1);
        assertThat(p.source()).isEqualTo(new InetSocketAddress("192.0.2.7", 56324));
        assertThat(p.destination()).isEqualTo(new InetSocketAddress("198.51.100.1", 443));
        assertThat(p.length()).isEqualTo(h.length);
    }

    @Test
    void v1Tcp6() throws Exception {
        ProxyHeader p = parse(v1("PROXY TCP6 2001:db8::1 2001:db8::2 1 65535"));
        assertThat(p.source()).isEqualTo(new InetSocketAddress("2001:db8::1", 1));
    }

    @Test
    void v1UnknownKeepsTheSocketsAddress() throws Exception {
        assertThat(parse(v1("PROXY UNKNOWN ffff:f...f:ffff ffff:f...f:ffff 65535 65535"))
                        .source())
                .isNull();
        assertThat(parse(v1("PROXY UNKNOWN")).source()).isNull();
    }

    @Test
    void v1MalformedLinesAreRefused() {
        for (String bad : new String[] {
            "PROXY TCP4 192.0.2.7 198.51.100.1 56324",
            "PROXY TCP4 192.0.2.7 198.51.100.1 56324 443 x",
            "PROXY TCP4 ::1 ::1 1 2",
            "PROXY TCP6 1.2.3.4 1.2.3.4 1 2",
            "PROXY TCP4 1.2.3 1.2.3.4 1 2",
            "PROXY TCP4 1.2.3.256 1.2.3.4 1 2",
            "PROXY TCP4 1.2.3.4 1.2.3.4 65536 2",
            "PROXY TCP4 1.2.3.4 1.2.3.4 01 2",
            "PROXY TCP4 localhost 1.2.3.4 1 2",
            "PROXY UDP4 1.2.3.4 1.2.3.4 1 2",
            "PROXY  TCP4 1.2.3.4 1.2.3.4 1 2"
        }) {
            assertThatThrownBy(() -> parse(v1(bad))).as(bad).isInstanceOf(ProxyProtocolException.class);
        }
        assertThatThrownBy(() -> parse("PROXY TCP4 1.2.3.4 1.2.3.4 1 2\n".getBytes(StandardCharsets.US_ASCII)))
                .hasMessageContaining("CRLF");
    }

    @Test
    void v1LineWithoutEndIsRefusedAt107Bytes() throws Exception {
        byte[] longLine = ("PROXY UNKNOWN " + "x".repeat(200)).getBytes(StandardCharsets.US_ASCII);
        assertThat(ProxyHeaderParser.parse(longLine, 0, 106)).isNull();
        assertThatThrownBy(() -> ProxyHeaderParser.parse(longLine, 0, 107)).hasMessageContaining("longer than 107");
    }

    @Test
    void v2Ipv4AndIpv6() throws Exception {
        byte[] h4 = v2("203.0.113.9", 40000, "10.0.0.1", 443, new byte[0]);
        ProxyHeader p = parse(concat(h4, new byte[] {1, 2, 3}));
        assertThat(p.version()).isEqualTo(2);
        assertThat(p.source()).isEqualTo(new InetSocketAddress("203.0.113.9", 40000));
        assertThat(p.destination()).isEqualTo(new InetSocketAddress("10.0.0.1", 443));
        assertThat(p.length()).isEqualTo(16 + 12);
        ProxyHeader p6 = parse(v2("2001:db8::42", 5, "2001:db8::1", 80, new byte[0]));
        assertThat(p6.source()).isEqualTo(new InetSocketAddress("2001:db8::42", 5));
        assertThat(p6.length()).isEqualTo(16 + 36);
    }

    @Test
    void v2LocalKeepsTheSocketsAddress() throws Exception {
        ProxyHeader p = parse(ProxyHeaders.v2Local());
        assertThat(p.source()).isNull();
        assertThat(p.length()).isEqualTo(28);
    }

    @Test
    void v2TlvsAreSkipped() throws Exception {
        byte[] tlvs = concat(
                tlv(0x01, "http/1.1".getBytes(StandardCharsets.US_ASCII)),
                tlv(0x04, new byte[0]),
                tlv(0x05, new byte[100]));
        byte[] h = v2("198.51.100.3", 1234, "10.0.0.1", 443, tlvs);
        ProxyHeader p = parse(concat(h, "after".getBytes(StandardCharsets.US_ASCII)));
        assertThat(p.source()).isEqualTo(new InetSocketAddress("198.51.100.3", 1234));
        assertThat(p.length()).isEqualTo(h.length);
    }

    @Test
    void v2TlvRunningPastTheHeaderIsRefused() {
        byte[] tlvs = tlv(0x01, new byte[10]);
        byte[] h = v2("198.51.100.3", 1234, "10.0.0.1", 443, Arrays.copyOf(tlvs, 8)); // the TLV says 10, 5 follow
        assertThatThrownBy(() -> parse(h)).hasMessageContaining("TLV");
    }

    @Test
    void v2BadVersionCommandFamilyOrLengthIsRefused() {
        byte[] h = v2("198.51.100.3", 1, "10.0.0.1", 2, new byte[0]);
        byte[] version1 = h.clone();
        version1[12] = 0x11;
        assertThatThrownBy(() -> parse(version1)).hasMessageContaining("version");
        byte[] command2 = h.clone();
        command2[12] = 0x22;
        assertThatThrownBy(() -> parse(command2)).hasMessageContaining("command");
        byte[] family = h.clone();
        family[13] = 0x41;
        assertThatThrownBy(() -> parse(family)).hasMessageContaining("family");
        byte[] shortBlock = h.clone();
        shortBlock[15] = 8; // IPv4 needs 12
        assertThatThrownBy(() -> parse(Arrays.copyOf(shortBlock, 24))).hasMessageContaining("address block");
        byte[] huge = h.clone();
        huge[14] = 0x10; // 4096 + 12 bytes announced
        assertThatThrownBy(() -> parse(huge)).hasMessageContaining("over the limit");
    }

    @Test
    void garbageIsRefusedAtItsFirstByte() {
        assertThatThrownBy(() -> parse("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)))
                .hasMessageContaining("no PROXY");
        assertThatThrownBy(() -> parse(new byte[] {0x16, 0x03, 0x01}))
                .hasMessageContaining("0x16"); // a TLS ClientHello
        assertThatThrownBy(() -> parse("PROXX".getBytes(StandardCharsets.US_ASCII)))
                .hasMessageContaining("no PROXY");
        assertThatThrownBy(() -> parse(new byte[] {0x0D, 0x0A, 0x0D, 0x0B})).hasMessageContaining("signature");
    }

    /**
     * Every prefix of a valid header is "need more" and the whole gives the same answer; a
     * valid header with a random byte changed gives an answer or a ProxyProtocolException,
     * never another exception; random bytes likewise. Seeded, so a failure repeats.
     */
    @Test
    void seededRandomSplitsAndGarbage() throws Exception {
        long seed = 0x5eed_7a11L;
        Random rnd = new Random(seed);
        byte[][] valid = {
            v1("PROXY TCP4 192.0.2.7 198.51.100.1 56324 443"),
            v1("PROXY TCP6 2001:db8::1 ::1 80 8080"),
            v1("PROXY UNKNOWN"),
            v2("203.0.113.9", 40000, "10.0.0.1", 443, new byte[0]),
            v2("2001:db8::42", 5, "2001:db8::1", 80, concat(tlv(1, new byte[3]), tlv(0xEE, new byte[40]))),
            ProxyHeaders.v2Local(),
        };
        for (int round = 0; round < 20_000; round++) {
            byte[] h = valid[rnd.nextInt(valid.length)];
            ProxyHeader whole = parse(h);
            int cut = rnd.nextInt(h.length);
            assertThat(ProxyHeaderParser.parse(h, 0, cut))
                    .as("seed %x round %d: a prefix of %d bytes", seed, round, cut)
                    .isNull();
            byte[] withTail = concat(h, new byte[rnd.nextInt(4)]);
            assertThat(parse(withTail)).as("seed %x round %d", seed, round).isEqualTo(whole);

            byte[] mutated = withTail.clone();
            mutated[rnd.nextInt(mutated.length)] = (byte) rnd.nextInt(256);
            parseOrRefuse(mutated, 0, rnd.nextInt(mutated.length + 1));

            byte[] noise = new byte[rnd.nextInt(300)];
            rnd.nextBytes(noise);
            if (noise.length > 0 && rnd.nextBoolean()) noise[0] = rnd.nextBoolean() ? (byte) 'P' : 0x0D;
            parseOrRefuse(noise, 0, noise.length);
        }
    }

    private static void parseOrRefuse(byte[] b, int off, int len) {
        try {
            ProxyHeader p = ProxyHeaderParser.parse(b, off, len);
            if (p != null) assertThat(p.length()).isBetween(1, len);
        } catch (ProxyProtocolException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
    }
}
