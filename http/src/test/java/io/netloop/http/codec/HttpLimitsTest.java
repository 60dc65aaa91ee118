package io.netloop.http.codec;

import static io.netloop.http.codec.ParserDriver.bytes;
import static io.netloop.http.codec.ParserDriver.feed;
import static io.netloop.http.codec.ParserDriver.head;
import static io.netloop.http.codec.ParserDriver.refusal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.netloop.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every limit admits exactly its value and refuses one more, with the status RFC 9110 §15.5 names. */
class HttpLimitsTest {
    private static final HttpLimits LIMITS = HttpLimits.DEFAULT;

    /** A request line of exactly {@code length} bytes, not counting its CRLF. */
    private static String requestLineOfLength(int length) {
        String fixed = "GET / HTTP/1.1";
        return "GET /" + "a".repeat(length - fixed.length()) + " HTTP/1.1";
    }

    /** A request whose header section (field lines with CRLFs, and the closing CRLF) is exactly {@code size} bytes. */
    private static String requestWithHeaderSectionOf(int size) {
        String host = "Host: a\r\n";
        String padding = "X: " + "p".repeat(size - host.length() - "X: \r\n".length() - 2) + "\r\n";
        return "GET / HTTP/1.1\r\n" + host + padding + "\r\n";
    }

    private static String requestWithFields(int count) {
        List<String> lines = new ArrayList<>(List.of("GET / HTTP/1.1", "Host: a"));
        for (int i = 1; i < count; i++) lines.add("X-" + i + ": " + i);
        return head(lines.toArray(String[]::new));
    }

    private static void assertFatal(ParseError error, int status) {
        assertThat(error.status()).isEqualTo(status);
        assertThat(error.closeConnection()).isTrue();
    }

    @Test
    void defaultsAreBounded() {
        assertThat(LIMITS.maxRequestLineLength()).isEqualTo(8 * 1024);
        assertThat(LIMITS.maxHeaderSectionSize()).isEqualTo(16 * 1024);
        assertThat(LIMITS.maxHeaderFields()).isEqualTo(100);
        assertThat(LIMITS.maxBodySize()).isEqualTo(1024 * 1024);
        assertThat(LIMITS.maxChunkExtensionLength()).isEqualTo(1024);
    }

    @Test
    void nonPositiveLimitsAreRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> LIMITS.withMaxRequestLineLength(0));
        assertThatIllegalArgumentException().isThrownBy(() -> LIMITS.withMaxHeaderSectionSize(-1));
        assertThatIllegalArgumentException().isThrownBy(() -> LIMITS.withMaxHeaderFields(0));
        assertThatIllegalArgumentException().isThrownBy(() -> LIMITS.withMaxBodySize(-1));
        assertThatIllegalArgumentException().isThrownBy(() -> LIMITS.withMaxChunkExtensionLength(-1));
    }

    @Test
    void requestLineAtTheLimitIsAccepted() {
        String request = requestLineOfLength(LIMITS.maxRequestLineLength()) + "\r\nHost: a\r\n\r\n";
        assertThat(feed(request).errors()).isEmpty();
    }

    @Test
    void requestLineOverTheLimitGets414() {
        String request = requestLineOfLength(LIMITS.maxRequestLineLength() + 1) + "\r\nHost: a\r\n\r\n";
        assertFatal(refusal(request), 414);
    }

    @Test
    void requestLineThatCannotFitIsRefusedBeforeItEnds() {
        HttpParser parser = new HttpParser();
        // The limit, a CR and one byte more: no CRLF can make this line fit any longer.
        Buffer in = Buffer.of(bytes("GET /" + "a".repeat(LIMITS.maxRequestLineLength() - 3)));
        assertThat(parser.parse(in)).isEqualTo(ParseResult.ERROR);
        assertThat(parser.error().status()).isEqualTo(414);
    }

    @Test
    void requestLineThatMayStillFitWaitsForMore() {
        HttpParser parser = new HttpParser();
        Buffer in = Buffer.of(bytes(requestLineOfLength(LIMITS.maxRequestLineLength()) + "\r"));
        assertThat(parser.parse(in)).isEqualTo(ParseResult.NEED_MORE);
    }

    @Test
    void headerSectionAtTheLimitIsAccepted() {
        assertThat(feed(requestWithHeaderSectionOf(LIMITS.maxHeaderSectionSize()))
                        .errors())
                .isEmpty();
    }

    @Test
    void headerSectionOverTheLimitGets431() {
        assertFatal(refusal(requestWithHeaderSectionOf(LIMITS.maxHeaderSectionSize() + 1)), 431);
    }

    @Test
    void headerSectionThatCannotFitIsRefusedBeforeItEnds() {
        HttpParser parser = new HttpParser();
        Buffer in = Buffer.of(bytes("GET / HTTP/1.1\r\nHost: a\r\nX: " + "p".repeat(LIMITS.maxHeaderSectionSize())));
        assertThat(parser.parse(in)).isEqualTo(ParseResult.ERROR);
        assertThat(parser.error().status()).isEqualTo(431);
    }

    @Test
    void hundredFieldsAreAccepted() {
        assertThat(feed(requestWithFields(100)).errors()).isEmpty();
    }

    @Test
    void hundredAndOneFieldsGet431() {
        assertFatal(refusal(requestWithFields(101)), 431);
    }

    @Test
    void defaultBodyLimitAdmitsOneMebibyte() {
        String body = "b".repeat(1024 * 1024);
        ParserDriver.Transcript t = feed(head("POST / HTTP/1.1", "Host: a", "Content-Length: " + body.length()) + body);
        assertThat(t.errors()).isEmpty();
        assertThat(t.messages().getFirst().body()).hasSize(1024 * 1024);
    }

    @Test
    void defaultBodyLimitRefusesOneByteMore() {
        assertFatal(refusal(head("POST / HTTP/1.1", "Host: a", "Content-Length: " + (1024 * 1024 + 1))), 413);
    }
}
