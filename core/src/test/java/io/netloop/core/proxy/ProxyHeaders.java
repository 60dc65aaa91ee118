package io.netloop.core.proxy;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/** PROXY protocol headers as a proxy would write them, for tests. */
final class ProxyHeaders {
    static final byte[] SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private ProxyHeaders() {}

    static byte[] v1(String line) {
        return (line + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A v2 PROXY (command 1) header over TCP for {@code src:sport -> dst:dport}, then {@code tlvs} as given. */
    static byte[] v2(String src, int sport, String dst, int dport, byte[] tlvs) {
        byte[] a = InetAddress.ofLiteral(src).getAddress();
        byte[] b = InetAddress.ofLiteral(dst).getAddress();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(SIGNATURE);
        out.write(0x21);
        out.write(a.length == 4 ? 0x11 : 0x21);
        int len = 2 * a.length + 4 + tlvs.length;
        out.write(len >> 8);
        out.write(len);
        out.writeBytes(a);
        out.writeBytes(b);
        out.write(sport >> 8);
        out.write(sport);
        out.write(dport >> 8);
        out.write(dport);
        out.writeBytes(tlvs);
        return out.toByteArray();
    }

    /** A v2 LOCAL header (a proxy's health check), with an ignored address block. */
    static byte[] v2Local() {
        byte[] h = v2("10.9.8.7", 1, "10.0.0.1", 2, new byte[0]);
        h[12] = 0x20;
        return h;
    }

    /** One TLV: type, 16-bit length, value. */
    static byte[] tlv(int type, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(type);
        out.write(value.length >> 8);
        out.write(value.length);
        out.writeBytes(value);
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
