package io.netloop.http.codec;

import static io.netloop.http.codec.ParserDriver.bytes;
import static io.netloop.http.codec.ParserDriver.feed;
import static io.netloop.http.codec.ParserDriver.head;
import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.buffer.Buffer;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Several requests on one connection, sent without waiting (RFC 9112 §9.3.2). */
class PipeliningTest {

    private static String request(int i) {
        return switch (i % 3) {
            case 0 -> head("GET /item/" + i + " HTTP/1.1", "Host: a");
            case 1 -> {
                String body = "body-" + i;
                yield head("POST /item/" + i + " HTTP/1.1", "Host: a", "Content-Length: " + body.length()) + body;
            }
            default ->
                head("PUT /item/" + i + " HTTP/1.1", "Host: a", "Transfer-Encoding: chunked") + "5\r\nbody-\r\n"
                        + Integer.toHexString(String.valueOf(i).length()) + "\r\n" + i + "\r\n0\r\n\r\n";
        };
    }

    @Test
    void hundredRequestsInOneBufferParseInOrder() {
        String input = String.join(
                "", IntStream.range(0, 100).mapToObj(PipeliningTest::request).toList());
        ParserDriver.Transcript t = feed(input);

        assertThat(t.errors()).isEmpty();
        assertThat(t.messages())
                .extracting(ParserDriver.Message::target)
                .isEqualTo(IntStream.range(0, 100).mapToObj(i -> "/item/" + i).toList());
        assertThat(t.messages())
                .extracting(ParserDriver.Message::body)
                .isEqualTo(IntStream.range(0, 100)
                        .mapToObj(i -> i % 3 == 0 ? "" : "body-" + i)
                        .toList());
    }

    @Test
    void messageCompleteLeavesTheNextRequestUnread() {
        String second = head("GET /second HTTP/1.1", "Host: a");
        HttpParser parser = new HttpParser();
        Buffer in = Buffer.of(bytes(head("POST /first HTTP/1.1", "Host: a", "Content-Length: 2") + "hi" + second));

        assertThat(List.of(parser.parse(in), parser.parse(in), parser.parse(in)))
                .containsExactly(ParseResult.HEAD_COMPLETE, ParseResult.BODY, ParseResult.MESSAGE_COMPLETE);
        assertThat(in.readableBytes()).isEqualTo(second.length());
    }

    @Test
    void aRequestIsReusedForTheNextOneAndACopyKeepsIt() {
        HttpParser parser = new HttpParser();
        Buffer in = Buffer.of(bytes(head("GET /first HTTP/1.1", "Host: a") + head("GET /second HTTP/1.1", "Host: b")));

        assertThat(parser.parse(in)).isEqualTo(ParseResult.HEAD_COMPLETE);
        HttpRequest first = parser.request();
        HttpRequest kept = first.copy();
        assertThat(parser.parse(in)).isEqualTo(ParseResult.MESSAGE_COMPLETE);
        assertThat(parser.parse(in)).isEqualTo(ParseResult.HEAD_COMPLETE);

        // One instance per parser: valid until the next head, as the server's lifetime rule says.
        assertThat(parser.request()).isSameAs(first);
        assertThat(parser.request().path()).isEqualTo("/second");
        assertThat(parser.request().host()).isEqualTo("b");
        assertThat(kept.path()).isEqualTo("/first");
        assertThat(kept.host()).isEqualTo("a");
        assertThat(kept.headers().get("host")).isEqualTo("a");
    }

    @Test
    void emptyLineAfterABodyIsSkipped() {
        // Old clients send a CRLF after a POST body; RFC 9112 §2.2 says to ignore it.
        String input = head("POST / HTTP/1.1", "Host: a", "Content-Length: 2") + "hi\r\n"
                + head("GET /next HTTP/1.1", "Host: a");
        assertThat(feed(input).messages())
                .extracting(ParserDriver.Message::target)
                .containsExactly("/", "/next");
    }

    @Test
    void bufferIsEmptyAfterTheLastRequest() {
        HttpParser parser = new HttpParser();
        Buffer in = Buffer.of(bytes(head("GET / HTTP/1.1", "Host: a")));
        assertThat(parser.parse(in)).isEqualTo(ParseResult.HEAD_COMPLETE);
        assertThat(parser.parse(in)).isEqualTo(ParseResult.MESSAGE_COMPLETE);
        assertThat(parser.parse(in)).isEqualTo(ParseResult.NEED_MORE);
        assertThat(in.isEmpty()).isTrue();
    }
}
