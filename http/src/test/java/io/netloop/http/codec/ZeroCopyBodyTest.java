package io.netloop.http.codec;

import static io.netloop.http.codec.ParserDriver.bytes;
import static io.netloop.http.codec.ParserDriver.head;
import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Body bytes are handed out where they lie in the input buffer, and only parsed bytes are consumed. */
class ZeroCopyBodyTest {

    private static String slice(HttpParser parser) {
        return new String(parser.bodyArray(), parser.bodyOffset(), parser.bodyLength(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void headCompleteLeavesTheBodyInTheBuffer() {
        String next = head("GET / HTTP/1.1", "Host: a");
        HttpParser parser = new HttpParser();
        Buffer in = Buffer.of(bytes(head("POST / HTTP/1.1", "Host: a", "Content-Length: 5") + "hello" + next));

        assertThat(parser.parse(in)).isEqualTo(ParseResult.HEAD_COMPLETE);
        assertThat(in.readableBytes()).isEqualTo("hello".length() + next.length());
    }

    @Test
    void bodySlicePointsIntoTheInputArray() {
        String head = head("POST / HTTP/1.1", "Host: a", "Content-Length: 5");
        HttpParser parser = new HttpParser();
        Buffer in = Buffer.of(bytes(head + "hello"));
        byte[] array = in.array();

        parser.parse(in);
        assertThat(parser.parse(in)).isEqualTo(ParseResult.BODY);
        assertThat(parser.bodyArray()).isSameAs(array);
        assertThat(parser.bodyOffset()).isEqualTo(head.length());
        assertThat(slice(parser)).isEqualTo("hello");
    }

    @Test
    void bodySliceStopsAtTheDeclaredLength() {
        String next = head("GET / HTTP/1.1", "Host: a");
        HttpParser parser = new HttpParser();
        Buffer in = Buffer.of(bytes(head("POST / HTTP/1.1", "Host: a", "Content-Length: 5") + "hello" + next));

        parser.parse(in);
        assertThat(parser.parse(in)).isEqualTo(ParseResult.BODY);
        assertThat(parser.bodyLength()).isEqualTo(5);
        assertThat(in.readableBytes()).isEqualTo(next.length());
    }

    @Test
    void partialBodyIsHandedOutAsItArrives() {
        HttpParser parser = new HttpParser();
        Buffer in = Buffer.of(bytes(head("POST / HTTP/1.1", "Host: a", "Content-Length: 10") + "01234"));

        assertThat(parser.parse(in)).isEqualTo(ParseResult.HEAD_COMPLETE);
        assertThat(parser.parse(in)).isEqualTo(ParseResult.BODY);
        assertThat(slice(parser)).isEqualTo("01234");
        assertThat(parser.parse(in)).isEqualTo(ParseResult.NEED_MORE);

        in.append("56789");
        assertThat(parser.parse(in)).isEqualTo(ParseResult.BODY);
        assertThat(slice(parser)).isEqualTo("56789");
        assertThat(parser.parse(in)).isEqualTo(ParseResult.MESSAGE_COMPLETE);
    }

    @Test
    void chunkDataSlicesPointIntoTheInputArray() {
        String head = head("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked");
        HttpParser parser = new HttpParser();
        Buffer in = Buffer.of(bytes(head + "5;x=y\r\nhello\r\n3\r\nabc\r\n0\r\n\r\n"));
        byte[] array = in.array();

        parser.parse(in);
        assertThat(parser.parse(in)).isEqualTo(ParseResult.BODY);
        assertThat(parser.bodyArray()).isSameAs(array);
        assertThat(parser.bodyOffset()).isEqualTo(head.length() + "5;x=y\r\n".length());
        assertThat(slice(parser)).isEqualTo("hello");

        assertThat(parser.parse(in)).isEqualTo(ParseResult.BODY);
        assertThat(parser.bodyArray()).isSameAs(array);
        assertThat(parser.bodyOffset()).isEqualTo(head.length() + "5;x=y\r\nhello\r\n3\r\n".length());
        assertThat(slice(parser)).isEqualTo("abc");
        assertThat(parser.parse(in)).isEqualTo(ParseResult.MESSAGE_COMPLETE);
    }

    @Test
    void partialHeadLineStaysInTheBuffer() {
        HttpParser parser = new HttpParser();
        Buffer in = Buffer.of(bytes("GET / HTTP/1.1\r\nHost: a\r\nAcc"));

        assertThat(parser.parse(in)).isEqualTo(ParseResult.NEED_MORE);
        assertThat(in.readableBytes()).isEqualTo("Acc".length());
    }
}
