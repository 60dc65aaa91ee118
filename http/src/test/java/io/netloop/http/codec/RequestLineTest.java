package io.netloop.http.codec;

import static io.netloop.http.codec.ParserDriver.feed;
import static io.netloop.http.codec.ParserDriver.head;
import static io.netloop.http.codec.ParserDriver.parseHead;
import static io.netloop.http.codec.ParserDriver.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The request line (RFC 9112 §3) and the request target's four forms (§3.2). */
class RequestLineTest {

    private static ParseError refusalOfLine(String requestLine) {
        return refusal(head(requestLine, "Host: example.com"));
    }

    private static void assertFatal400(ParseError error) {
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.closeConnection()).isTrue();
    }

    /** A refusal of a complete, bodiless request: the connection may carry on. */
    private static void assertRecoverable400(ParseError error) {
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.closeConnection()).isFalse();
    }

    @Test
    void readsMethodTargetAndVersion() {
        HttpRequest r = parseHead(head("GET /index.html?x=1&y HTTP/1.1", "Host: example.com"));
        assertThat(r.method()).isSameAs(Method.GET);
        assertThat(r.target().form()).isEqualTo(RequestTarget.Form.ORIGIN);
        assertThat(r.target().raw()).isEqualTo("/index.html?x=1&y");
        assertThat(r.target().rawPath()).isEqualTo("/index.html");
        assertThat(r.path()).isEqualTo("/index.html");
        assertThat(r.query()).isEqualTo("x=1&y");
        assertThat(r.version()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(r.host()).isEqualTo("example.com");
    }

    @Test
    void readsHttp10() {
        assertThat(parseHead(head("GET / HTTP/1.0")).version()).isEqualTo(HttpVersion.HTTP_1_0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"})
    void standardMethodsAreTheConstants(String name) {
        String target = name.equals("CONNECT") ? "example.com:443" : name.equals("OPTIONS") ? "*" : "/";
        HttpRequest r = parseHead(head(name + " " + target + " HTTP/1.1", "Host: example.com"));
        assertThat(r.method()).isSameAs(Method.of(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PURGE", "M-SEARCH", "get", "X!#$%&'*+-.^_`|~9"})
    void anyTokenIsAMethod(String name) {
        assertThat(parseHead(head(name + " / HTTP/1.1", "Host: a")).method().name())
                .isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "GE(T / HTTP/1.1",
                "GE\"T / HTTP/1.1",
                "G@T / HTTP/1.1",
                "GE/T / HTTP/1.1",
                "G\u00c9T / HTTP/1.1",
                "GET\u0000 / HTTP/1.1",
                "GE{T} / HTTP/1.1",
                " / HTTP/1.1"
            })
    void invalidMethodTokenIsRefused(String line) {
        assertFatal400(refusalOfLine(line));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "GET  / HTTP/1.1",
                "GET / HTTP/1.1 ",
                "GET /",
                "GET",
                "GET\t/\tHTTP/1.1",
                "GET / HTTP/1.1 extra",
                " GET / HTTP/1.1",
                "GET  HTTP/1.1"
            })
    void malformedRequestLineIsRefused(String line) {
        assertFatal400(refusalOfLine(line));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a\u0000b", "/a\u0001", "/a\u007f", "/caf\u00e9", "/a\u001bb"})
    void controlAndNonAsciiBytesInTargetAreRefused(String target) {
        assertFatal400(refusalOfLine("GET " + target + " HTTP/1.1"));
    }

    @Test
    void fragmentInTargetIsRefused() {
        assertFatal400(refusalOfLine("GET /page#section HTTP/1.1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTP/2.0", "HTTP/1.2", "HTTP/0.9", "HTTP/3.0", "HTTP/9.9"})
    void wellFormedUnsupportedVersionGets505(String version) {
        ParseError error = refusalOfLine("GET / " + version);
        assertThat(error.status()).isEqualTo(505);
        assertThat(error.closeConnection()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http/1.1",
                "HTTP/1",
                "HTTP/1.10",
                "HTTP/11",
                "HTTP/1.1x",
                "HTTX/1.1",
                "HTTP1.1",
                "HTTP/a.b",
                "HTTP/1,1",
                "HTTP/1.1\u0000"
            })
    void malformedVersionGets400(String version) {
        assertFatal400(refusalOfLine("GET / " + version));
    }

    @Test
    void emptyVersionGets400() {
        assertFatal400(refusalOfLine("GET / "));
    }

    @Test
    void emptyLinesBeforeRequestLineAreSkipped() {
        HttpRequest r = parseHead("\r\n\r\n" + head("GET /after HTTP/1.1", "Host: a"));
        assertThat(r.path()).isEqualTo("/after");
    }

    @Test
    void absoluteFormGivesPathQueryAndHost() {
        HttpRequest r = parseHead(head("GET http://example.com:8080/a/b?q=1 HTTP/1.1", "Host: other.example"));
        assertThat(r.target().form()).isEqualTo(RequestTarget.Form.ABSOLUTE);
        assertThat(r.target().authority()).isEqualTo("example.com:8080");
        assertThat(r.path()).isEqualTo("/a/b");
        assertThat(r.query()).isEqualTo("q=1");
        // RFC 9112 §3.2.2: the target's authority wins over the Host field.
        assertThat(r.host()).isEqualTo("example.com:8080");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://example.com", "HTTPS://example.com", "http://example.com?"})
    void absoluteFormWithoutPathMeansRoot(String target) {
        HttpRequest r = parseHead(head("GET " + target + " HTTP/1.1", "Host: example.com"));
        assertThat(r.path()).isEqualTo("/");
        assertThat(r.target().rawPath()).isEqualTo("/");
    }

    @Test
    void absoluteFormWithUserinfoIsRefused() {
        assertRecoverable400(refusalOfLine("GET http://user:pw@example.com/ HTTP/1.1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/", "file:///etc/passwd", "1http://example.com/"})
    void absoluteFormWithOtherSchemeIsRefused(String target) {
        assertRecoverable400(refusalOfLine("GET " + target + " HTTP/1.1"));
    }

    @Test
    void absoluteFormWithEmptyAuthorityIsRefused() {
        assertRecoverable400(refusalOfLine("GET http:///path HTTP/1.1"));
    }

    @Test
    void asteriskFormIsAcceptedForOptions() {
        HttpRequest r = parseHead(head("OPTIONS * HTTP/1.1", "Host: example.com"));
        assertThat(r.target().form()).isEqualTo(RequestTarget.Form.ASTERISK);
        assertThat(r.path()).isEqualTo("*");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST", "HEAD", "DELETE"})
    void asteriskFormIsRefusedForOtherMethods(String method) {
        assertRecoverable400(refusalOfLine(method + " * HTTP/1.1"));
    }

    @Test
    void authorityFormIsAcceptedForConnect() {
        HttpRequest r = parseHead(head("CONNECT example.com:443 HTTP/1.1", "Host: example.com:443"));
        assertThat(r.target().form()).isEqualTo(RequestTarget.Form.AUTHORITY);
        assertThat(r.target().authority()).isEqualTo("example.com:443");
        assertThat(r.host()).isEqualTo("example.com:443");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST", "OPTIONS"})
    void authorityFormIsRefusedForOtherMethods(String method) {
        assertRecoverable400(refusalOfLine(method + " example.com:443 HTTP/1.1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "example.com", "http://example.com:443/", "*", "example.com:99999", "[::1"})
    void connectNeedsHostAndPort(String target) {
        assertRecoverable400(refusalOfLine("CONNECT " + target + " HTTP/1.1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"index.html", "example.com/x", "?x", "%2F", "a/b", "**"})
    void targetInNoKnownFormIsRefused(String target) {
        assertRecoverable400(refusalOfLine("GET " + target + " HTTP/1.1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%zz", "/%4", "/a%", "/a%g0", "/%4/"})
    void badPercentEncodingInPathIsRefused(String target) {
        assertRecoverable400(refusalOfLine("GET " + target + " HTTP/1.1"));
    }

    @Test
    void percentEncodedPathIsDecodedAndRawPathKept() {
        HttpRequest r = parseHead(head("GET /a%20b/caf%C3%A9?q=%20 HTTP/1.1", "Host: a"));
        assertThat(r.path()).isEqualTo("/a b/café");
        assertThat(r.target().rawPath()).isEqualTo("/a%20b/caf%C3%A9");
        assertThat(r.query()).isEqualTo("q=%20");
    }

    @Test
    void dotSegmentsInPathAreResolved() {
        assertThat(parseHead(head("GET /a/./b/../c HTTP/1.1", "Host: a")).path())
                .isEqualTo("/a/c");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/..", "/../etc/passwd", "/a/../../b", "/%2e%2e/x", "/%00"})
    void unsafePathIsRefused(String target) {
        assertRecoverable400(refusalOfLine("GET " + target + " HTTP/1.1"));
    }

    @Test
    void targetRefusalKeepsTheConnectionWhenNoBodyFollows() {
        ParserDriver.Transcript t = feed(head("GET * HTTP/1.1", "Host: a") + head("GET /next HTTP/1.1", "Host: a"));
        assertRecoverable400(t.onlyError());
        assertThat(t.messages()).extracting(ParserDriver.Message::target).containsExactly("/next");
    }

    @Test
    void targetRefusalClosesTheConnectionWhenABodyFollows() {
        ParseError error = refusal(head("POST * HTTP/1.1", "Host: a", "Content-Length: 5") + "hello");
        assertFatal400(error);
    }
}
