package io.netloop.core.proxy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The addresses a server believes when they speak for someone else: the sources allowed to
 * send a PROXY header, and the proxies whose {@code X-Forwarded-For} entries count. A list of
 * CIDR blocks ({@code 10.0.0.0/8}, {@code ::1}, {@code 127.0.0.1/32}); an address without a
 * prefix length is a single host. An IPv4-mapped IPv6 address ({@code ::ffff:10.0.0.1})
 * matches as the IPv4 address it carries.
 *
 * <p>Threading: immutable.
 */
public final class TrustedProxies {
    /** Trusts nobody. */
    public static final TrustedProxies NONE = new TrustedProxies(List.of(), "");

    private record Block(byte[] network, int prefix) {
        boolean contains(byte[] a) {
            if (a.length != network.length) return false;
            int full = prefix / 8;
            for (int i = 0; i < full; i++) if (a[i] != network[i]) return false;
            int rest = prefix % 8;
            if (rest == 0) return true;
            int mask = 0xff << (8 - rest) & 0xff;
            return (a[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Block> blocks;
    private final String spec;

    private TrustedProxies(List<Block> blocks, String spec) {
        this.blocks = blocks;
        this.spec = spec;
    }

    /**
     * Parses a comma-separated list of address literals with optional prefix lengths. Names
     * are refused: a trust list must not depend on DNS.
     *
     * @throws IllegalArgumentException naming the entry that is not an address or CIDR block
     */
    public static TrustedProxies parse(String list) {
        List<Block> blocks = new ArrayList<>();
        for (String raw : list.split(",")) {
            String entry = raw.strip();
            if (entry.isEmpty()) continue;
            int slash = entry.indexOf('/');
            String host = slash < 0 ? entry : entry.substring(0, slash);
            byte[] address;
            try {
                address = canonical(InetAddress.ofLiteral(host));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "not an IP address or CIDR block: '" + entry + "' (write 10.0.0.0/8, ::1 or 192.168.1.7)");
            }
            int bits = address.length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(entry.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException(
                            "bad prefix length in '" + entry + "': 0.." + bits + " for this address");
                }
            }
            blocks.add(new Block(address, prefix));
        }
        return new TrustedProxies(List.copyOf(blocks), list.strip());
    }

    /** Whether {@code address} lies in one of the blocks. */
    public boolean contains(InetAddress address) {
        if (address == null || blocks.isEmpty()) return false;
        byte[] a = canonical(address);
        for (Block b : blocks) if (b.contains(a)) return true;
        return false;
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }

    /** An IPv4-mapped IPv6 address as its four IPv4 bytes; any other address as is. */
    private static byte[] canonical(InetAddress address) {
        byte[] a = address.getAddress();
        if (address instanceof Inet6Address && isV4Mapped(a)) return Arrays.copyOfRange(a, 12, 16);
        return a;
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) if (a[i] != 0) return false;
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    @Override
    public String toString() {
        return "TrustedProxies[" + spec + "]";
    }
}
