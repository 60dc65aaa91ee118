package io.netloop.core.proxy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * Reads a PROXY protocol header (haproxy's proxy-protocol.txt) from the first bytes of a
 * connection: version 1 ({@code PROXY TCP4 src dst sport dport\r\n}, at most 107 bytes) or
 * version 2 (a 12-byte signature, then version/command, family, length, addresses and TLVs).
 *
 * <p>Never guesses: bytes that cannot begin a header fail as soon as they arrive, and a header
 * is believed only complete and well-formed. A v2 header may carry at most
 * {@link #MAX_V2_PAYLOAD} bytes after its fixed 16; its TLVs are walked, to check that they
 * fit, and skipped.
 *
 * <p>Stateless: each call parses from the first byte, so a header that arrives in pieces is
 * simply parsed again when more has come (it is at most a few hundred bytes).
 *
 * <p>Threading: static and stateless, any thread.
 */
public final class ProxyHeaderParser {
    /** The longest v1 line the spec allows, CRLF included. */
    public static final int MAX_V1_LENGTH = 107;
    /** Address block and TLVs of a v2 header: room for haproxy's TLVs (ALPN, authority, SSL, unique id). */
    public static final int MAX_V2_PAYLOAD = 2048;

    private static final byte[] V1_PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final int V2_FIXED = 16;

    private ProxyHeaderParser() {}

    /**
     * @return the header, or null when {@code src[off, off+len)} is a valid beginning of one
     *     and more bytes are needed
     * @throws ProxyProtocolException when these bytes cannot be (the start of) a valid header
     */
    public static ProxyHeader parse(byte[] src, int off, int len) throws ProxyProtocolException {
        if (len == 0) return null;
        if (src[off] == 'P') return parseV1(src, off, len);
        if (src[off] == V2_SIGNATURE[0]) return parseV2(src, off, len);
        throw new ProxyProtocolException(
                "no PROXY protocol header: the connection starts with byte 0x" + Integer.toHexString(src[off] & 0xff));
    }

    private static void expectPrefix(byte[] prefix, byte[] src, int off, int len, String what)
            throws ProxyProtocolException {
        for (int i = 0; i < Math.min(len, prefix.length); i++) {
            if (src[off + i] != prefix[i]) throw new ProxyProtocolException("no PROXY protocol header: bad " + what);
        }
    }

    // --- version 1 -----------------------------------------------------------------------

    private static ProxyHeader parseV1(byte[] src, int off, int len) throws ProxyProtocolException {
        expectPrefix(V1_PREFIX, src, off, len, "v1 prefix");
        int end = -1;
        int limit = Math.min(len, MAX_V1_LENGTH);
        for (int i = 0; i < limit; i++) {
            byte b = src[off + i];
            if (b == '\n') {
                if (i == 0 || src[off + i - 1] != '\r')
                    throw new ProxyProtocolException("PROXY v1 line ends without CRLF");
                end = i - 1;
                break;
            }
            // Printable ASCII only: the line is text, and anything else is not a header.
            if ((b < 0x20 || b > 0x7e) && b != '\r')
                throw new ProxyProtocolException("PROXY v1 line has a control byte");
            if (b == '\r' && i + 1 < len && src[off + i + 1] != '\n')
                throw new ProxyProtocolException("PROXY v1 line has a bare CR");
        }
        if (end < 0) {
            if (len >= MAX_V1_LENGTH)
                throw new ProxyProtocolException("PROXY v1 line longer than " + MAX_V1_LENGTH + " bytes");
            return null;
        }
        String line = new String(src, off, end, StandardCharsets.US_ASCII);
        String[] f = line.split(" ", -1);
        int length = end + 2;
        if (f.length >= 2 && f[1].equals("UNKNOWN"))
            return new ProxyHeader(1, null, null, length); // the rest is ignored
        if (f.length != 6) throw new ProxyProtocolException("PROXY v1 line needs 6 fields: " + quote(line));
        boolean v4 = switch (f[1]) {
            case "TCP4" -> true;
            case "TCP6" -> false;
            default ->
                throw new ProxyProtocolException("PROXY v1 protocol must be TCP4, TCP6 or UNKNOWN: " + quote(line));
        };
        InetAddress from = v1Address(f[2], v4, line);
        InetAddress to = v1Address(f[3], v4, line);
        return new ProxyHeader(
                1,
                new InetSocketAddress(from, v1Port(f[4], line)),
                new InetSocketAddress(to, v1Port(f[5], line)),
                length);
    }

    private static InetAddress v1Address(String s, boolean v4, String line) throws ProxyProtocolException {
        try {
            if (v4) {
                if (!isDottedQuad(s)) throw new IllegalArgumentException();
                return Inet4Address.ofLiteral(s);
            }
            if (s.indexOf(':') < 0) throw new IllegalArgumentException();
            return Inet6Address.ofLiteral(s);
        } catch (IllegalArgumentException e) {
            throw new ProxyProtocolException("PROXY v1 bad " + (v4 ? "IPv4" : "IPv6") + " address: " + quote(line));
        }
    }

    private static boolean isDottedQuad(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return false;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3) return false;
            for (int i = 0; i < p.length(); i++) if (p.charAt(i) < '0' || p.charAt(i) > '9') return false;
            if (Integer.parseInt(p) > 255) return false;
        }
        return true;
    }

    private static int v1Port(String s, String line) throws ProxyProtocolException {
        boolean digits = !s.isEmpty() && s.length() <= 5 && (s.length() == 1 || s.charAt(0) != '0');
        for (int i = 0; digits && i < s.length(); i++) digits = s.charAt(i) >= '0' && s.charAt(i) <= '9';
        if (!digits || Integer.parseInt(s) > 65535)
            throw new ProxyProtocolException("PROXY v1 bad port: " + quote(line));
        return Integer.parseInt(s);
    }

    private static String quote(String line) {
        return "'" + line + "'";
    }

    // --- version 2 -----------------------------------------------------------------------

    private static ProxyHeader parseV2(byte[] src, int off, int len) throws ProxyProtocolException {
        expectPrefix(V2_SIGNATURE, src, off, len, "v2 signature");
        if (len < V2_FIXED) {
            if (len > 12 && (src[off + 12] & 0xf0) != 0x20) throw badVersion(src[off + 12]);
            return null;
        }
        int verCmd = src[off + 12] & 0xff;
        if ((verCmd & 0xf0) != 0x20) throw badVersion(src[off + 12]);
        int command = verCmd & 0x0f;
        if (command > 1) throw new ProxyProtocolException("PROXY v2 unknown command " + command);
        int family = src[off + 13] & 0xff;
        int payload = (src[off + 14] & 0xff) << 8 | src[off + 15] & 0xff;
        if (payload > MAX_V2_PAYLOAD) {
            throw new ProxyProtocolException("PROXY v2 header of " + (V2_FIXED + payload) + " bytes, over the limit of "
                    + (V2_FIXED + MAX_V2_PAYLOAD));
        }
        if (len < V2_FIXED + payload) return null;
        int length = V2_FIXED + payload;
        int p = off + V2_FIXED;
        int addressBytes = switch (family >> 4) {
            case 0 -> 0; // AF_UNSPEC
            case 1 -> 12; // AF_INET: 4 + 4 + 2 + 2
            case 2 -> 36; // AF_INET6: 16 + 16 + 2 + 2
            case 3 -> 216; // AF_UNIX: 108 + 108
            default -> throw new ProxyProtocolException("PROXY v2 unknown address family " + (family >> 4));
        };
        if ((family & 0x0f) > 2) throw new ProxyProtocolException("PROXY v2 unknown transport " + (family & 0x0f));
        if (command == 1 && payload < addressBytes) {
            throw new ProxyProtocolException(
                    "PROXY v2 address block of " + payload + " bytes, family needs " + addressBytes);
        }
        InetSocketAddress from = null;
        InetSocketAddress to = null;
        if (command == 1 && (family >> 4 == 1 || family >> 4 == 2)) {
            int n = family >> 4 == 1 ? 4 : 16;
            InetAddress a = address(src, p, n);
            InetAddress b = address(src, p + n, n);
            from = new InetSocketAddress(a, port(src, p + 2 * n));
            to = new InetSocketAddress(b, port(src, p + 2 * n + 2));
        }
        if (command == 1 && family >> 4 != 0) checkTlvs(src, p + addressBytes, off + length); // UNSPEC: nothing to read
        // LOCAL (command 0): a health check from the proxy itself; the socket's endpoints stand.
        return new ProxyHeader(2, from, to, length);
    }

    /** Walks the TLVs after the addresses: each must fit in the header; their contents are not used. */
    private static void checkTlvs(byte[] src, int p, int end) throws ProxyProtocolException {
        while (p < end) {
            if (end - p < 3) throw new ProxyProtocolException("PROXY v2 truncated TLV");
            int n = (src[p + 1] & 0xff) << 8 | src[p + 2] & 0xff;
            p += 3 + n;
            if (p > end) throw new ProxyProtocolException("PROXY v2 TLV runs past the header");
        }
    }

    private static InetAddress address(byte[] src, int p, int n) {
        byte[] a = new byte[n];
        System.arraycopy(src, p, a, 0, n);
        try {
            return InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are an address", e);
        }
    }

    private static int port(byte[] src, int p) {
        return (src[p] & 0xff) << 8 | src[p + 1] & 0xff;
    }

    private static ProxyProtocolException badVersion(byte verCmd) {
        return new ProxyProtocolException("PROXY v2 unsupported version " + ((verCmd & 0xf0) >> 4));
    }
}
