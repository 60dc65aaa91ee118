package io.netloop.core.sys.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/**
 * {@code struct sockaddr_in} and {@code sockaddr_in6} to and from {@link InetSocketAddress}.
 *
 * <pre>
 * sockaddr_in  (16): family u16 host order | port u16 network order | addr[4]  | zero[8]
 * sockaddr_in6 (28): family u16 host order | port u16 network order | flowinfo u32 | addr[16] | scope_id u32
 * </pre>
 *
 * <p>Threading: stateless; any thread.
 */
public final class SockAddr {
    private SockAddr() {}

    /** sizeof(struct sockaddr_storage): room for any address family. */
    public static final int STORAGE_SIZE = 128;

    static final int IN_SIZE = 16;
    static final int IN6_SIZE = 28;

    private static final ValueLayout.OfShort U16_HOST =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfShort U16_NET = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32_NET = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32_HOST = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.nativeOrder());

    /** Writes {@code address} into {@code dst} (at least {@link #STORAGE_SIZE} bytes) and returns its length. */
    public static int encode(InetSocketAddress address, MemorySegment dst) {
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address " + address + ": resolve the host name first");
        }
        InetAddress ip = address.getAddress();
        dst.asSlice(0, STORAGE_SIZE).fill((byte) 0);
        if (ip instanceof Inet4Address) {
            dst.set(U16_HOST, 0, (short) SysConst.AF_INET);
            dst.set(U16_NET, 2, (short) address.getPort());
            MemorySegment.copy(ip.getAddress(), 0, dst, ValueLayout.JAVA_BYTE, 4, 4);
            return IN_SIZE;
        }
        Inet6Address ip6 = (Inet6Address) ip;
        dst.set(U16_HOST, 0, (short) SysConst.AF_INET6);
        dst.set(U16_NET, 2, (short) address.getPort());
        MemorySegment.copy(ip6.getAddress(), 0, dst, ValueLayout.JAVA_BYTE, 8, 16);
        dst.set(U32_HOST, 24, ip6.getScopeId());
        return IN6_SIZE;
    }

    /** Reads the address {@code src} holds; its family decides the layout. */
    public static InetSocketAddress decode(MemorySegment src) {
        int family = Short.toUnsignedInt(src.get(U16_HOST, 0));
        int port = Short.toUnsignedInt(src.get(U16_NET, 2));
        try {
            if (family == SysConst.AF_INET) {
                byte[] a = src.asSlice(4, 4).toArray(ValueLayout.JAVA_BYTE);
                return new InetSocketAddress(InetAddress.getByAddress(a), port);
            }
            if (family == SysConst.AF_INET6) {
                byte[] a = src.asSlice(8, 16).toArray(ValueLayout.JAVA_BYTE);
                int scope = src.get(U32_HOST, 24);
                InetAddress ip = scope != 0 ? Inet6Address.getByAddress(null, a, scope) : InetAddress.getByAddress(a);
                return new InetSocketAddress(ip, port);
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException("kernel returned a malformed address", e);
        }
        throw new IllegalArgumentException("unsupported address family " + family);
    }

    /** {@link #packIpv4}'s answer for an address that is not IPv4. */
    public static final long NOT_PACKED = -1L;

    /** An IPv4 socket address as {@code port << 32 | address}; {@link #NOT_PACKED} for another family. */
    public static long packIpv4(MemorySegment src) {
        if (Short.toUnsignedInt(src.get(U16_HOST, 0)) != SysConst.AF_INET) return NOT_PACKED;
        long port = Short.toUnsignedInt(src.get(U16_NET, 2));
        long address = Integer.toUnsignedLong(src.get(U32_NET, 4));
        return port << 32 | address;
    }

    /** The address {@link #packIpv4} packed. */
    public static InetSocketAddress unpackIpv4(long packed) {
        int a = (int) packed;
        byte[] ip = {(byte) (a >>> 24), (byte) (a >>> 16), (byte) (a >>> 8), (byte) a};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), (int) (packed >>> 32));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are an IPv4 address", e);
        }
    }

    /** The address a raw {@code struct sockaddr} holds ({@code Net.acceptedPeerRaw}). */
    public static InetSocketAddress decode(byte[] raw) {
        return decode(MemorySegment.ofArray(raw));
    }

    /** {@code 127.0.0.1:9009} or {@code [::1]:9009}, for messages: no host name, no leading slash. */
    public static String display(InetSocketAddress address) {
        if (address.isUnresolved()) return address.getHostString() + ":" + address.getPort();
        String host = address.getAddress().getHostAddress();
        return (address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** AF_INET or AF_INET6 for this address. */
    public static int family(InetSocketAddress address) {
        return address.getAddress() instanceof Inet6Address ? SysConst.AF_INET6 : SysConst.AF_INET;
    }
}
