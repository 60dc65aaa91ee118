package io.netloop.http.codec;

import static io.netloop.http.codec.ParserDriver.head;
import static io.netloop.http.codec.ParserDriver.parseHead;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Persistence (RFC 9112 §9.3) and the 100-continue expectation (RFC 9110 §10.1.1). */
class ConnectionSemanticsTest {

    @Test
    void http11KeepsAliveByDefault() {
        assertThat(parseHead(head("GET / HTTP/1.1", "Host: a")).isKeepAlive()).isTrue();
    }

    @Test
    void http11ClosesOnConnectionClose() {
        assertThat(parseHead(head("GET / HTTP/1.1", "Host: a", "Connection: close"))
                        .isKeepAlive())
                .isFalse();
    }

    @Test
    void http10ClosesByDefault() {
        assertThat(parseHead(head("GET / HTTP/1.0")).isKeepAlive()).isFalse();
    }

    @Test
    void http10KeepsAliveWhenAsked() {
        assertThat(parseHead(head("GET / HTTP/1.0", "Connection: keep-alive")).isKeepAlive())
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"CLOSE", "Upgrade, close", "upgrade ,\tClose ", ", close,"})
    void connectionIsACaseInsensitiveList(String value) {
        assertThat(parseHead(head("GET / HTTP/1.1", "Host: a", "Connection: " + value))
                        .isKeepAlive())
                .isFalse();
    }

    @Test
    void connectionTokensCountAcrossSeveralFields() {
        assertThat(parseHead(head("GET / HTTP/1.0", "Connection: Upgrade", "Connection: Keep-Alive"))
                        .isKeepAlive())
                .isTrue();
    }

    @Test
    void closeWinsOverKeepAlive() {
        assertThat(parseHead(head("GET / HTTP/1.0", "Connection: keep-alive, close"))
                        .isKeepAlive())
                .isFalse();
    }

    @Test
    void tokenThatOnlyContainsCloseIsNotClose() {
        assertThat(parseHead(head("GET / HTTP/1.1", "Host: a", "Connection: closed, enclose"))
                        .isKeepAlive())
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"100-continue", "100-Continue", " 100-CONTINUE "})
    void expect100ContinueIsDetected(String value) {
        assertThat(parseHead(head("POST / HTTP/1.1", "Host: a", "Content-Length: 3", "Expect:" + value))
                        .expectsContinue())
                .isTrue();
    }

    @Test
    void noExpectationMeansNoContinue() {
        assertThat(parseHead(head("POST / HTTP/1.1", "Host: a", "Content-Length: 3"))
                        .expectsContinue())
                .isFalse();
    }

    @Test
    void otherExpectationIsNotContinue() {
        assertThat(parseHead(head("POST / HTTP/1.1", "Host: a", "Content-Length: 3", "Expect: 200-ok"))
                        .expectsContinue())
                .isFalse();
    }

    // RFC 9110 §10.1.1: a server MUST ignore a 100-continue expectation in an HTTP/1.0 request.
    @Test
    void expectationInHttp10IsIgnored() {
        assertThat(parseHead(head("POST / HTTP/1.0", "Content-Length: 3", "Expect: 100-continue"))
                        .expectsContinue())
                .isFalse();
    }
}
