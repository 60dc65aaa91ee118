package io.netloop.http.codec;

import static io.netloop.http.codec.ParserDriver.bytes;
import static io.netloop.http.codec.ParserDriver.feed;
import static io.netloop.http.codec.ParserDriver.head;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bytes arrive from a non-blocking socket in pieces of any size; wherever the pieces are cut,
 * the parser must report exactly what it reports for the whole input at once.
 */
class IncrementalParsingTest {
    private static final String GET_WITH_HEADERS = head(
            "GET /search?q=netloop&lang=en HTTP/1.1",
            "Host: example.com:8080",
            "User-Agent: test/1.0",
            "Accept: text/html, */*;q=0.1",
            "X-Empty:",
            "Cookie: a=1; b=2");
    private static final String POST_WITH_CONTENT_LENGTH = head(
                    "POST /form HTTP/1.1",
                    "Host: example.com",
                    "Content-Type: application/x-www-form-urlencoded",
                    "Content-Length: 27")
            + "name=netloop&body=%0D%0A&x=";
    private static final String CHUNKED_WITH_EXTENSIONS_AND_TRAILERS =
            head("PUT /files/a.txt HTTP/1.1", "Host: example.com", "Transfer-Encoding: chunked", "Trailer: X-Checksum")
                    + "4;name=value\r\nWiki\r\n"
                    + "5 ; quoted=\"a \\\"b\\\"\"\r\npedia\r\n"
                    + "E\r\n in\r\n\r\nchunks.\r\n"
                    + "0;last\r\nX-Checksum: 0xCAFE\r\nX-Note: done\r\n\r\n";
    private static final String PIPELINED = "\r\n" + GET_WITH_HEADERS + POST_WITH_CONTENT_LENGTH
            + CHUNKED_WITH_EXTENSIONS_AND_TRAILERS + head("GET / HTTP/1.0", "Connection: keep-alive")
            + head("DELETE /x HTTP/1.1", "Host: a", "Content-Length: 0");

    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of(Named.of("GET with headers", GET_WITH_HEADERS), 1, List.of("")),
                Arguments.of(
                        Named.of("POST with Content-Length", POST_WITH_CONTENT_LENGTH),
                        1,
                        List.of("name=netloop&body=%0D%0A&x=")),
                Arguments.of(
                        Named.of("chunked PUT with extensions and trailers", CHUNKED_WITH_EXTENSIONS_AND_TRAILERS),
                        1,
                        List.of("Wikipedia in\r\n\r\nchunks.")),
                Arguments.of(
                        Named.of("five pipelined requests", PIPELINED),
                        5,
                        List.of("", "name=netloop&body=%0D%0A&x=", "Wikipedia in\r\n\r\nchunks.", "", "")));
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                        Named.of("bare LF", head("GET / HTTP/1.1", "Host: a").replace("Host: a\r\n", "Host: a\n")),
                        Named.of("obs-fold", head("GET / HTTP/1.1", "Host: a", "X: a", " b")),
                        Named.of(
                                "Content-Length and Transfer-Encoding",
                                head("POST / HTTP/1.1", "Host: a", "Content-Length: 3", "Transfer-Encoding: chunked")),
                        Named.of(
                                "bad chunk size",
                                head("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked")
                                        + "5\r\nhello\r\nzz\r\n"),
                        Named.of(
                                "chunk data without CRLF",
                                head("POST / HTTP/1.1", "Host: a", "Transfer-Encoding: chunked") + "5\r\nhelloXY"),
                        Named.of("missing Host", head("GET / HTTP/1.1") + head("GET /ok HTTP/1.1", "Host: a")),
                        Named.of("HTTP/2.0", head("GET / HTTP/2.0", "Host: a")))
                .map(Arguments::of);
    }

    @ParameterizedTest
    @MethodSource("requests")
    void wholeInputGivesTheExpectedMessages(String request, int count, List<String> bodies) {
        ParserDriver.Transcript t = feed(request);
        assertThat(t.errors()).isEmpty();
        assertThat(t.messages()).hasSize(count);
        assertThat(t.messages()).extracting(ParserDriver.Message::body).isEqualTo(bodies);
    }

    @Test
    void wholeChunkedInputGivesItsTrailers() {
        ParserDriver.Message m = ParserDriver.parseMessage(CHUNKED_WITH_EXTENSIONS_AND_TRAILERS);
        assertThat(m.trailers())
                .containsExactly(new HeaderField("X-Checksum", "0xCAFE"), new HeaderField("X-Note", "done"));
    }

    @Test
    void wholePipelinedInputGivesTheRequestsInOrder() {
        assertThat(feed(PIPELINED).messages())
                .extracting(ParserDriver.Message::method, ParserDriver.Message::target)
                .containsExactly(
                        tuple("GET", "/search?q=netloop&lang=en"),
                        tuple("POST", "/form"),
                        tuple("PUT", "/files/a.txt"),
                        tuple("GET", "/"),
                        tuple("DELETE", "/x"));
    }

    @ParameterizedTest
    @MethodSource("requests")
    void everySingleSplitGivesTheSameMessages(String request) {
        byte[] input = bytes(request);
        ParserDriver.Transcript whole = feed(HttpLimits.DEFAULT, input);
        for (int cut = 0; cut <= input.length; cut++) {
            assertThat(feed(HttpLimits.DEFAULT, input, cut))
                    .as("cut at %d", cut)
                    .isEqualTo(whole);
        }
    }

    @ParameterizedTest
    @MethodSource("requests")
    void everyPairOfSplitsGivesTheSameMessages(String request) {
        byte[] input = bytes(request);
        ParserDriver.Transcript whole = feed(HttpLimits.DEFAULT, input);
        for (int first = 0; first <= input.length; first++) {
            for (int second = first; second <= input.length; second++) {
                assertThat(feed(HttpLimits.DEFAULT, input, first, second))
                        .as("cuts at %d and %d", first, second)
                        .isEqualTo(whole);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("requests")
    void byteByByteGivesTheSameMessages(String request) {
        byte[] input = bytes(request);
        int[] everyByte = IntStream.range(1, input.length).toArray();
        assertThat(feed(HttpLimits.DEFAULT, input, everyByte)).isEqualTo(feed(HttpLimits.DEFAULT, input));
    }

    @ParameterizedTest
    @MethodSource("requests")
    void randomSplitsGiveTheSameMessages(String request) {
        byte[] input = bytes(request);
        ParserDriver.Transcript whole = feed(HttpLimits.DEFAULT, input);
        Random random = new Random(request.hashCode());
        for (int trial = 0; trial < 500; trial++) {
            int[] cuts = random.ints(random.nextInt(1, 20), 0, input.length + 1)
                    .sorted()
                    .toArray();
            assertThat(feed(HttpLimits.DEFAULT, input, cuts))
                    .as("cuts %s", Arrays.toString(cuts))
                    .isEqualTo(whole);
        }
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void refusalDoesNotDependOnHowTheBytesArrive(String request) {
        byte[] input = bytes(request);
        ParserDriver.Transcript whole = feed(HttpLimits.DEFAULT, input);
        assertThat(whole.errors()).isNotEmpty();
        for (int cut = 0; cut <= input.length; cut++) {
            assertThat(feed(HttpLimits.DEFAULT, input, cut))
                    .as("cut at %d", cut)
                    .isEqualTo(whole);
        }
        assertThat(feed(
                        HttpLimits.DEFAULT,
                        input,
                        IntStream.range(1, input.length).toArray()))
                .isEqualTo(whole);
    }
}
