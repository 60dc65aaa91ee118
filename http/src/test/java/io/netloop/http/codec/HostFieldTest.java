package io.netloop.http.codec;

import static io.netloop.http.codec.ParserDriver.head;
import static io.netloop.http.codec.ParserDriver.parseHead;
import static io.netloop.http.codec.ParserDriver.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Host field (RFC 9112 §3.2, RFC 9110 §7.2). */
class HostFieldTest {

    @Test
    void missingHostInHttp11IsRefused() {
        ParseError error = refusal(head("GET / HTTP/1.1", "Accept: */*"));
        assertThat(error.status()).isEqualTo(400);
        // The request is complete and has no body: the next one can still be read.
        assertThat(error.closeConnection()).isFalse();
    }

    @Test
    void missingHostInHttp11WithBodyClosesTheConnection() {
        ParseError error = refusal(head("POST / HTTP/1.1", "Content-Length: 3") + "abc");
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.closeConnection()).isTrue();
    }

    @Test
    void missingHostInHttp10IsAccepted() {
        assertThat(parseHead(head("GET / HTTP/1.0")).host()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/1.1", "HTTP/1.0"})
    void moreThanOneHostIsRefused(String version) {
        ParseError error = refusal(head("GET / " + version, "Host: a.example", "Host: b.example"));
        assertThat(error.status()).isEqualTo(400);
    }

    @Test
    void sameHostTwiceIsRefused() {
        assertThat(refusal(head("GET / HTTP/1.1", "Host: a.example", "host: a.example"))
                        .status())
                .isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "exa mple.com",
                "user@example.com",
                "example.com:http",
                "example.com:99999",
                "[::1",
                "example.com/path",
                "example.com:",
                ":80",
                "a.example, b.example",
                "[fe80::1%25eth0]"
            })
    void invalidHostIsRefused(String host) {
        assertThat(refusal(head("GET / HTTP/1.1", "Host: " + host)).status()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "example.com",
                "example.com:8080",
                "127.0.0.1:80",
                "[::1]:8080",
                "[2001:db8::1]",
                "xn--bcher-kva.example",
                "my_host.local",
                "caf%C3%A9.example"
            })
    void validHostIsAccepted(String host) {
        assertThat(parseHead(head("GET / HTTP/1.1", "Host: " + host)).host()).isEqualTo(host);
    }

    // RFC 9112 §3.2: a client sends an empty Host when the target URI has no authority.
    @Test
    void emptyHostIsAccepted() {
        assertThat(parseHead(head("GET / HTTP/1.1", "Host:")).host()).isEmpty();
    }
}
