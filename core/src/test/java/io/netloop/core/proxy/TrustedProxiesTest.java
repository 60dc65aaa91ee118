package io.netloop.core.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
    private static InetAddress ip(String s) {
        return InetAddress.ofLiteral(s);
    }

    @Test
    void cidrBlocksAndSingleHosts() {
        TrustedProxies t = TrustedProxies.parse("127.0.0.1/32, ::1,10.0.0.0/8,192.168.7.0/23");
        assertThat(t.contains(ip("127.0.0.1"))).isTrue();
        assertThat(t.contains(ip("127.0.0.2"))).isFalse();
        assertThat(t.contains(ip("::1"))).isTrue();
        assertThat(t.contains(ip("10.255.1.2"))).isTrue();
        assertThat(t.contains(ip("11.0.0.1"))).isFalse();
        assertThat(t.contains(ip("192.168.6.1"))).isTrue();
        assertThat(t.contains(ip("192.168.7.255"))).isTrue();
        assertThat(t.contains(ip("192.168.8.1"))).isFalse();
        assertThat(t.contains(ip("::ffff:10.1.2.3"))).as("IPv4-mapped").isTrue();
    }

    @Test
    void namesAndBadPrefixesAreRefusedWithTheEntry() {
        assertThatThrownBy(() -> TrustedProxies.parse("proxy.example")).hasMessageContaining("'proxy.example'");
        assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.0/33")).hasMessageContaining("prefix");
        assertThatThrownBy(() -> TrustedProxies.parse("::1/x")).hasMessageContaining("prefix");
    }

    @Test
    void emptyTrustsNobody() {
        assertThat(TrustedProxies.parse("").contains(ip("127.0.0.1"))).isFalse();
        assertThat(TrustedProxies.parse("0.0.0.0/0").contains(ip("8.8.8.8"))).isTrue();
    }
}
