package io.netloop.http.codec;

import static io.netloop.http.codec.ParserDriver.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netloop.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Coverage-guided fuzzing of {@link HttpParser} (Jazzer). A plain build runs the committed
 * inputs in {@code src/test/resources/io/netloop/http/HttpParserFuzzTestInputs}; {@code
 * scripts/fuzz.sh HttpParserFuzzTest} fuzzes. For every input, whatever it is:
 * <ul>
 *   <li>no exception escapes, every call reports a result, and an error has a documented status
 *       (checked on each call by {@link ParserDriver});
 *   <li>the parser consumes only bytes it was given, and body slices lie within them;
 *   <li>the input cut into pieces anywhere reads exactly as the whole input;
 *   <li>each request it accepts, written out again, reads back as the same request;
 *   <li>no state leaks from one request into the next: the rest of the input after any request
 *       reads the same on a fresh parser;
 *   <li>after an error that closes the connection, the parser reports nothing but errors.
 * </ul>
 */
class HttpParserFuzzTest {
    private static final List<HttpLimits> LIMITS =
            List.of(HttpLimits.DEFAULT, new HttpLimits(64, 128, 8, 64, 16), new HttpLimits(16, 40, 2, 8, 0));
    private static final int MAX_CUTS = 8;
    // Each end checked for leaks costs a parse of the rest; a few are enough to see a leak.
    private static final int MAX_ENDS_CHECKED = 4;

    @FuzzTest(maxDuration = "5m")
    // libFuzzer's dictionary syntax: \xHH for bytes, \" for a quote.
    @DictionaryEntries({
        "\\x0D\\x0A",
        "\\x0D\\x0A\\x0D\\x0A",
        " HTTP/1.1\\x0D\\x0A",
        " HTTP/1.0\\x0D\\x0A",
        "GET ",
        "POST ",
        "OPTIONS * ",
        "CONNECT ",
        "Host: ",
        "Content-Length: ",
        "Transfer-Encoding: ",
        "chunked",
        "Connection: ",
        "close",
        "keep-alive",
        "Expect: 100-continue",
        "0\\x0D\\x0A\\x0D\\x0A",
        ";ext=\\\"v\\\"",
        "http://",
        "%2e%2E",
        "/../",
        "\\x09",
        "\\x0B",
        "\\x00",
        ","
    })
    void anyInputGetsConsistentResultsWhereverItIsCut(FuzzedDataProvider data) {
        HttpLimits limits = data.pickValue(LIMITS);
        int[] cutFractions = new int[data.consumeInt(0, MAX_CUTS)];
        for (int i = 0; i < cutFractions.length; i++) cutFractions[i] = data.consumeInt(0, 1 << 16);
        byte[] input = data.consumeRemainingAsBytes();
        int[] cuts = Arrays.stream(cutFractions)
                .map(f -> (int) ((long) f * input.length >> 16))
                .sorted()
                .toArray();

        HttpParser parser = new HttpParser(limits);
        ParserDriver.Transcript whole = ParserDriver.feed(parser, input);
        assertThat(ParserDriver.feed(limits, input, cuts))
                .as("the input cut at %s", Arrays.toString(cuts))
                .isEqualTo(whole);

        boolean closed = !whole.errors().isEmpty() && whole.errors().getLast().closeConnection();
        if (closed) {
            assertThat(parser.parse(Buffer.of(bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n"))))
                    .as("a parser that failed for good")
                    .isEqualTo(ParseResult.ERROR);
        }
        for (ParserDriver.Message m : whole.messages()) {
            ParserDriver.Transcript again = ParserDriver.feed(limits, serialise(m));
            assertThat(again.errors()).as("errors re-reading %s", m).isEmpty();
            assertThat(again.messages())
                    .as("re-reading a request written out again")
                    .containsExactly(m);
        }
        for (int i = 0; i < Math.min(MAX_ENDS_CHECKED, whole.ends().size()); i++) {
            ParserDriver.End end = whole.ends().get(i);
            byte[] rest = Arrays.copyOfRange(input, end.offset(), input.length);
            assertThat(ParserDriver.feed(limits, rest))
                    .as("the rest after %s on a fresh parser", end)
                    .isEqualTo(suffix(whole, i));
        }
    }

    /**
     * Any valid chunked body, however its sizes are written (leading zeros, either case of hex
     * digits, extensions), decodes to exactly its chunks' data.
     */
    @FuzzTest(maxDuration = "5m")
    void validChunkedBodyDecodesToItsData(FuzzedDataProvider data) {
        StringBuilder wire =
                new StringBuilder(ParserDriver.head("POST /c HTTP/1.1", "Host: a", "Transfer-Encoding: chunked"));
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        int chunks = data.consumeInt(0, 6);
        for (int i = 0; i <= chunks; i++) {
            byte[] chunk = i == chunks ? new byte[0] : data.consumeBytes(data.consumeInt(1, 300));
            if (i < chunks && chunk.length == 0) continue; // an empty chunk would end the body
            expected.writeBytes(chunk);
            String size = Integer.toHexString(chunk.length);
            if (data.consumeBoolean()) size = size.toUpperCase(Locale.ROOT);
            wire.append("0".repeat(data.consumeInt(0, 4))).append(size);
            if (data.consumeBoolean()) wire.append(data.consumeBoolean() ? " ; name" : ";n=\"q \\\" v\"");
            wire.append("\r\n").append(ParserDriver.latin1(chunk));
            if (i < chunks) wire.append("\r\n");
        }
        if (data.consumeBoolean()) wire.append("Trailer-Field: x\r\n");
        wire.append("\r\n");

        ParserDriver.Transcript t =
                ParserDriver.feed(HttpLimits.DEFAULT, bytes(wire.toString()), data.consumeInt(0, wire.length()));
        assertThat(t.errors()).as("errors").isEmpty();
        assertThat(t.messages()).hasSize(1);
        assertThat(bytes(t.messages().getFirst().body())).isEqualTo(expected.toByteArray());
    }

    /** The request as a client would write it from what the parser reported, in its shortest form. */
    static byte[] serialise(ParserDriver.Message m) {
        StringBuilder b = new StringBuilder();
        b.append(m.method())
                .append(' ')
                .append(m.target())
                .append(' ')
                .append(m.version().text())
                .append("\r\n");
        boolean chunked = false;
        for (HeaderField f : m.headers()) {
            b.append(f.name()).append(':').append(f.value()).append("\r\n");
            chunked |= f.name().equalsIgnoreCase("Transfer-Encoding");
        }
        b.append("\r\n");
        if (!chunked) return bytes(b.append(m.body()).toString());
        if (!m.body().isEmpty())
            b.append(Integer.toHexString(m.body().length()))
                    .append("\r\n")
                    .append(m.body())
                    .append("\r\n");
        b.append("0\r\n");
        for (HeaderField f : m.trailers())
            b.append(f.name()).append(':').append(f.value()).append("\r\n");
        return bytes(b.append("\r\n").toString());
    }

    /** What a fresh parser must report for the input after the {@code i}th end. */
    private static ParserDriver.Transcript suffix(ParserDriver.Transcript t, int i) {
        ParserDriver.End end = t.ends().get(i);
        List<ParserDriver.End> ends = t.ends().subList(i + 1, t.ends().size()).stream()
                .map(e -> new ParserDriver.End(
                        e.offset() - end.offset(), e.messages() - end.messages(), e.errors() - end.errors()))
                .toList();
        return new ParserDriver.Transcript(
                t.messages().subList(end.messages(), t.messages().size()),
                t.errors().subList(end.errors(), t.errors().size()),
                ends);
    }
}
