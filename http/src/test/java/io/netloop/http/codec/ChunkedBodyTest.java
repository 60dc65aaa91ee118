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

/** The chunked transfer coding (RFC 9112 §7.1): sizes, extensions, data, trailers. */
class ChunkedBodyTest {
    private static final String HEAD = head("POST /upload HTTP/1.1", "Host: a", "Transfer-Encoding: chunked");

    private static void assertFatal(ParseError error, int status) {
        assertThat(error.status()).isEqualTo(status);
        assertThat(error.closeConnection()).isTrue();
    }

    @Test
    void chunksAreJoinedIntoTheBody() {
        assertThat(parseMessage(HEAD + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n").body())
                .isEqualTo("hello world");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "A", "00a", "0000000000000000000a"})
    void chunkSizeIsHexadecimal(String size) {
        assertThat(parseMessage(HEAD + size + "\r\n0123456789\r\n0\r\n\r\n").body())
                .isEqualTo("0123456789");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                ";a",
                ";a=b",
                "; a = b",
                " ;a=b",
                ";a=\"q s\\\" \\\\x\"",
                ";a;b=c;d",
                ";a=\"\"",
                ";a=\"caf\u00e9\""
            })
    void chunkExtensionsAreAcceptedAndIgnored(String extension) {
        assertThat(parseMessage(HEAD + "3" + extension + "\r\nabc\r\n0" + extension + "\r\n\r\n")
                        .body())
                .isEqualTo("abc");
    }

    @Test
    void trailersAreKeptApartFromHeaders() {
        ParserDriver.Message m =
                parseMessage(HEAD + "3\r\nabc\r\n0\r\nX-Checksum: 900150983cd2\r\nX-Other:  two \r\n\r\n");
        assertThat(m.trailers())
                .containsExactly(new HeaderField("X-Checksum", "900150983cd2"), new HeaderField("X-Other", "two"));
        assertThat(m.headers()).extracting(HeaderField::name).doesNotContain("X-Checksum");
    }

    @Test
    void emptyChunkedBodyIsJustTheLastChunk() {
        assertThat(parseMessage(HEAD + "0\r\n\r\n").body()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"zz", "", "-1", " 5", "+5", "0x5", "5 ", "5\u0000", "g"})
    void invalidChunkSizeIsRefused(String sizeLine) {
        assertFatal(refusal(HEAD + sizeLine + "\r\nhello\r\n0\r\n\r\n"), 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"8000000000000000", "FFFFFFFFFFFFFFFF", "10000000000000000", "123456789abcdef01"})
    void chunkSizeBeyondALongIsRefused(String size) {
        assertFatal(refusal(HEAD + size + "\r\nhello\r\n0\r\n\r\n"), 400);
    }

    @Test
    void largestChunkSizeIsValidButTooLarge() {
        assertFatal(refusal(HEAD + "7fffffffffffffff\r\nhello"), 413);
    }

    @Test
    void bareLfAfterChunkSizeIsRefused() {
        assertFatal(refusal(HEAD + "5\nhello\r\n0\r\n\r\n"), 400);
    }

    @Test
    void bareCrInChunkSizeLineIsRefused() {
        assertFatal(refusal(HEAD + "5\r;a\r\nhello\r\n0\r\n\r\n"), 400);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "5\r\nhelloX\r\n0\r\n\r\n",
                "5\r\nhello\n0\r\n\r\n",
                "5\r\nhello\rX0\r\n\r\n",
                "5\r\nhello0\r\n\r\n",
                "5\r\nhello\r\r\n0\r\n\r\n"
            })
    void chunkDataNotFollowedByCrlfIsRefused(String body) {
        assertFatal(refusal(HEAD + body), 400);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                ";",
                ";=a",
                "; a=\"open",
                ";a=",
                ";a b",
                "x",
                ";a=\"\u0001\"",
                ";a=b c",
                ";a=\"x\"y",
                ";a ",
                ";a=\"\\\""
            })
    void malformedChunkExtensionIsRefused(String extension) {
        assertFatal(refusal(HEAD + "5" + extension + "\r\nhello\r\n0\r\n\r\n"), 400);
    }

    @Test
    void chunkExtensionAtTheLimitIsAccepted() {
        String extension = ";" + "e".repeat(15);
        assertThat(feed(
                                HttpLimits.DEFAULT.withMaxChunkExtensionLength(16),
                                HEAD + "5" + extension + "\r\nhello\r\n0\r\n\r\n")
                        .errors())
                .isEmpty();
    }

    @Test
    void chunkExtensionOverTheLimitIsRefused() {
        String extension = ";" + "e".repeat(16);
        assertFatal(
                refusal(
                        HttpLimits.DEFAULT.withMaxChunkExtensionLength(16),
                        HEAD + "5" + extension + "\r\nhello\r\n0\r\n\r\n"),
                400);
    }

    @Test
    void endlessChunkExtensionIsRefusedBeforeItEnds() {
        HttpParser parser = new HttpParser(HttpLimits.DEFAULT.withMaxChunkExtensionLength(16));
        Buffer in = Buffer.of(bytes(HEAD + "5;" + "e".repeat(100)));
        assertThat(parser.parse(in)).isEqualTo(ParseResult.HEAD_COMPLETE);
        assertThat(parser.parse(in)).isEqualTo(ParseResult.ERROR);
        assertThat(parser.error().status()).isEqualTo(400);
    }

    @Test
    void chunkedBodyOverTheLimitGets413() {
        ParserDriver.Transcript t =
                feed(HttpLimits.DEFAULT.withMaxBodySize(10), HEAD + "6\r\nabcdef\r\n5\r\nghijk\r\n0\r\n\r\n");
        assertFatal(t.onlyError(), 413);
    }

    @Test
    void chunkedBodyAtTheLimitIsAccepted() {
        ParserDriver.Transcript t =
                feed(HttpLimits.DEFAULT.withMaxBodySize(10), HEAD + "6\r\nabcdef\r\n4\r\nghij\r\n0\r\n\r\n");
        assertThat(t.errors()).isEmpty();
        assertThat(t.messages().getFirst().body()).isEqualTo("abcdefghij");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "X : y\r\n\r\n",
                " folded\r\n\r\n",
                "X: a\u0000\r\n\r\n",
                "X: y\n\r\n",
                "X: y\r\n\n",
                ": y\r\n\r\n"
            })
    void malformedTrailerIsRefused(String trailer) {
        assertFatal(refusal(HEAD + "3\r\nabc\r\n0\r\n" + trailer), 400);
    }

    @Test
    void trailerSectionOverTheLimitGets431() {
        String trailer = "X: " + "v".repeat(100) + "\r\n\r\n";
        assertFatal(
                refusal(
                        HttpLimits.DEFAULT.withMaxHeaderSectionSize(64),
                        head("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked") + "0\r\n" + trailer),
                431);
    }

    @Test
    void tooManyTrailerFieldsGet431() {
        String trailers = "X: 1\r\nX: 2\r\nX: 3\r\n\r\n";
        assertFatal(
                refusal(
                        HttpLimits.DEFAULT.withMaxHeaderFields(3),
                        head("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked") + "0\r\n" + "X: 0\r\n"
                                + trailers),
                431);
    }
}
