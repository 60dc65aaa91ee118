package io.netloop.core.sys.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netloop.core.sys.Errno;
import io.netloop.core.sys.ErrnoException;
import io.netloop.testing.LeakCheck;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** sendto, sendmmsg and recvmmsg against the kernel, and the mmsghdr layout they share. */
@ExtendWith(LeakCheck.class)
class DatagramBindingsTest {

    @Test
    void mmsghdrIsAMsghdrOf56BytesFollowedByMsgLen() {
        assertThat(MsgVec.MSGHDR.byteSize()).isEqualTo(56);
        assertThat(MsgVec.MMSGHDR_SIZE).isEqualTo(64);
        assertThat(MsgVec.MMSGHDR.byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("msg_len")))
                .isEqualTo(56);
    }

    @Test
    void sendmmsgAndRecvmmsgMoveSeveralDatagramsInOneCallEach() throws Exception {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        int a = Net.socket(SysConst.AF_INET, SysConst.SOCK_DGRAM);
        int b = Net.socket(SysConst.AF_INET, SysConst.SOCK_DGRAM);
        try (Arena arena = Arena.ofConfined()) {
            Net.bind(a, loopback);
            Net.bind(b, loopback);
            InetSocketAddress toB = Net.localAddress(b);
            MsgVec out = new MsgVec(arena, 5);
            for (int i = 0; i < 5; i++) {
                out.setBuffer(i, arena.allocateFrom("datagram " + i).asSlice(0, 10)); // without the NUL
                out.setAddress(i, toB);
            }
            assertThat(Net.sendmmsg(a, out, 0, 5)).isEqualTo(5);

            MsgVec in = new MsgVec(arena, 8);
            MemorySegment area = arena.allocate(8 * 100);
            for (int i = 0; i < 8; i++) in.setBuffer(i, area.asSlice(i * 100L, 100));
            assertThat(Net.recvmmsg(b, in, 8)).isEqualTo(5);
            for (int i = 0; i < 5; i++) {
                assertThat(in.length(i)).isEqualTo(10);
                byte[] got = area.asSlice(i * 100L, 10).toArray(ValueLayout.JAVA_BYTE);
                assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo("datagram " + i);
                assertThat(SockAddr.decode(in.address(i))).isEqualTo(Net.localAddress(a));
            }
            assertThat(Net.recvmmsg(b, in, 8)).isEqualTo(Net.WOULD_BLOCK);
        } finally {
            Net.close(a);
            Net.close(b);
        }
    }

    @Test
    void aDatagramLongerThanTheBufferIsMarkedTruncated() throws Exception {
        int a = Net.socket(SysConst.AF_INET, SysConst.SOCK_DGRAM);
        int b = Net.socket(SysConst.AF_INET, SysConst.SOCK_DGRAM);
        try (Arena arena = Arena.ofConfined()) {
            Net.bind(b, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            assertThat(Net.sendTo(a, new byte[300], 0, 300, Net.localAddress(b), arena.allocate(SockAddr.STORAGE_SIZE)))
                    .isEqualTo(300);
            MsgVec in = new MsgVec(arena, 1);
            in.setBuffer(0, arena.allocate(100));
            assertThat(Net.recvmmsg(b, in, 1)).isEqualTo(1);
            assertThat(in.flags(0) & SysConst.MSG_TRUNC).isNotZero();
        } finally {
            Net.close(a);
            Net.close(b);
        }
    }

    @Test
    void anOversizeDatagramIsEmsgsizeSayingTheLimit() throws Exception {
        int a = Net.socket(SysConst.AF_INET, SysConst.SOCK_DGRAM);
        try (Arena arena = Arena.ofConfined()) {
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
            assertThatThrownBy(
                            () -> Net.sendTo(a, new byte[65_508], 0, 65_508, to, arena.allocate(SockAddr.STORAGE_SIZE)))
                    .isInstanceOf(ErrnoException.class)
                    .hasMessageStartingWith(
                            "sendto: EMSGSIZE (Message too long) (a datagram of 65508 bytes to 127.0.0.1:9): ")
                    .hasMessageContaining("at most 65507 bytes over IPv4")
                    .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(Errno.EMSGSIZE));
        } finally {
            Net.close(a);
        }
    }
}
