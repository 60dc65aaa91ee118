package io.netloop.http.codec;

import static io.netloop.http.codec.ParserDriver.bytes;
import static io.netloop.http.codec.ParserDriver.feed;
import static io.netloop.http.codec.ParserDriver.head;
import static io.netloop.http.codec.ParserDriver.parseMessage;
import static io.netloop.http.codec.ParserDriver.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How the body's length is determined (RFC 9112 §6), and the body size limit. */
class MessageFramingTest {

    private static void assertFramingRefused(ParseError error, int status) {
        assertThat(error.status()).isEqualTo(status);
        assertThat(error.closeConnection())
                .as("close: the body's end is in doubt")
                .isTrue();
    }

    @Test
    void contentLengthBodyIsDelivered() {
        assertThat(parseMessage(head("POST / HTTP/1.1", "Host: a", "Content-Length: 5") + "hello")
                        .body())
                .isEqualTo("hello");
    }

    @Test
    void requestWithoutContentLengthOrTransferEncodingHasNoBody() {
        ParserDriver.Transcript t = feed(head("POST / HTTP/1.1", "Host: a") + head("GET /next HTTP/1.1", "Host: a"));
        assertThat(t.messages()).extracting(ParserDriver.Message::body).containsExactly("", "");
        assertThat(t.messages()).extracting(ParserDriver.Message::target).containsExactly("/", "/next");
    }

    @Test
    void contentLengthZeroMeansNoBody() {
        HttpRequest r = ParserDriver.parseHead(head("POST / HTTP/1.1", "Host: a", "Content-Length: 0"));
        assertThat(r.hasBody()).isFalse();
        assertThat(r.contentLength()).isZero();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Content-Length: 5\r\nTransfer-Encoding: chunked",
                "Transfer-Encoding: chunked\r\nContent-Length: 5"
            })
    void contentLengthWithTransferEncodingIsRefused(String fields) {
        assertFramingRefused(refusal(head("POST / HTTP/1.1", "Host: a", fields) + "5\r\nhello\r\n0\r\n\r\n"), 400);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Content-Length: 5\r\nContent-Length: 6",
                "Content-Length: 5, 6",
                "Content-Length: 5,5,6",
                "Content-Length: 5\r\nContent-Length: 05",
                "Content-Length: 5,"
            })
    void differingContentLengthsAreRefused(String fields) {
        assertFramingRefused(refusal(head("POST / HTTP/1.1", "Host: a", fields) + "hello!"), 400);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Content-Length: 5\r\nContent-Length: 5",
                "Content-Length: 5, 5",
                "Content-Length: 5,5\r\nContent-Length: 5"
            })
    void identicalContentLengthsAreTakenAsOne(String fields) {
        assertThat(parseMessage(head("POST / HTTP/1.1", "Host: a", fields) + "hello")
                        .body())
                .isEqualTo("hello");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "-5",
                "+5",
                "5a",
                "",
                " ",
                "0x5",
                "5.0",
                "1 2",
                "five",
                "99999999999999999999",
                "9223372036854775808"
            })
    void invalidContentLengthIsRefused(String value) {
        assertFramingRefused(refusal(head("POST / HTTP/1.1", "Host: a", "Content-Length: " + value) + "hello"), 400);
    }

    @Test
    void largestLongContentLengthIsValidButTooLarge() {
        assertFramingRefused(refusal(head("POST / HTTP/1.1", "Host: a", "Content-Length: 9223372036854775807")), 413);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "chunked, gzip",
                "chunked, identity",
                "chunked\r\nTransfer-Encoding: gzip",
                "chunked, chunked, gzip"
            })
    void chunkedThatIsNotTheFinalCodingIsRefused(String codings) {
        assertFramingRefused(refusal(head("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: " + codings)), 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"chunked, chunked", "chunked\r\nTransfer-Encoding: chunked", "chunked,,chunked"})
    void chunkedAppliedTwiceIsRefused(String codings) {
        assertFramingRefused(refusal(head("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: " + codings)), 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip, chunked", "foo", "gzip", "deflate, chunked", "identity", "foo;bar=1, chunked"})
    void unknownTransferCodingGets501(String codings) {
        assertFramingRefused(refusal(head("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: " + codings)), 501);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ",", " , ", "chu nked", "chunked;x=1", "ch(unked"})
    void malformedTransferEncodingIsRefused(String value) {
        assertFramingRefused(refusal(head("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: " + value)), 400);
    }

    // RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 message means its framing is faulty.
    @Test
    void transferEncodingInHttp10IsRefused() {
        assertFramingRefused(refusal(head("POST / HTTP/1.0", "Transfer-Encoding: chunked") + "0\r\n\r\n"), 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Chunked", "CHUNKED", " chunked ", ", chunked"})
    void chunkedIsRecognisedInAnyCase(String value) {
        String request = head("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: " + value) + "3\r\nabc\r\n0\r\n\r\n";
        assertThat(parseMessage(request).body()).isEqualTo("abc");
    }

    @Test
    void bodyAtTheLimitIsAccepted() {
        ParserDriver.Transcript t = feed(
                HttpLimits.DEFAULT.withMaxBodySize(10),
                head("POST / HTTP/1.1", "Host: a", "Content-Length: 10") + "0123456789");
        assertThat(t.errors()).isEmpty();
        assertThat(t.messages().getFirst().body()).isEqualTo("0123456789");
    }

    @Test
    void bodyOverTheLimitGets413() {
        ParseError error = refusal(
                HttpLimits.DEFAULT.withMaxBodySize(10),
                head("POST / HTTP/1.1", "Host: a", "Content-Length: 11") + "0123456789A");
        assertFramingRefused(error, 413);
    }

    @Test
    void raisedBodyLimitAdmitsALargerBodyForOneRequestOnly() {
        HttpParser parser = new HttpParser(HttpLimits.DEFAULT.withMaxBodySize(10));
        String post = head("POST / HTTP/1.1", "Host: a", "Content-Length: 20") + "01234567890123456789";
        Buffer in = Buffer.of(bytes(post + post));

        assertThat(parser.parse(in)).isEqualTo(ParseResult.HEAD_COMPLETE);
        parser.bodyLimit(20);
        assertThat(parser.parse(in)).isEqualTo(ParseResult.BODY);
        assertThat(parser.bodyLength()).isEqualTo(20);
        assertThat(parser.parse(in)).isEqualTo(ParseResult.MESSAGE_COMPLETE);

        assertThat(parser.parse(in)).isEqualTo(ParseResult.HEAD_COMPLETE);
        assertThat(parser.bodyLimit()).isEqualTo(10);
        assertThat(parser.parse(in)).isEqualTo(ParseResult.ERROR);
        assertThat(parser.error().status()).isEqualTo(413);
    }

    @Test
    void errorIsFinalOnceTheConnectionMustClose() {
        HttpParser parser = new HttpParser();
        Buffer in = Buffer.of(
                bytes(head("GET / HTTP/1.1", "Host: a", "Content-Length: x") + head("GET / HTTP/1.1", "Host: a")));
        assertThat(parser.parse(in)).isEqualTo(ParseResult.ERROR);
        assertThat(parser.parse(in)).isEqualTo(ParseResult.ERROR);
        assertThat(parser.error().status()).isEqualTo(400);
    }
}
