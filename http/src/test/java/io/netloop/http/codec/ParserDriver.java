package io.netloop.http.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.netloop.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Feeds bytes to a parser in chosen pieces, as a connection's read loop would, and records what
 * it reports. Strings stand for bytes one to one (ISO-8859-1), so tests can write any byte.
 * Every call is checked against the parser's contract: it consumes only readable bytes, a body
 * slice lies within what was readable, an error carries a documented status.
 */
final class ParserDriver {

    /** What one request amounted to, in values that compare by content. */
    record Message(
            String method,
            String target,
            HttpVersion version,
            List<HeaderField> headers,
            String host,
            boolean keepAlive,
            String body,
            List<HeaderField> trailers) {
        static Message of(HttpRequest r, byte[] body) {
            return new Message(
                    r.method().name(),
                    r.target().raw(),
                    r.version(),
                    List.copyOf(r.headers().fields()),
                    r.host(),
                    r.isKeepAlive(),
                    latin1(body),
                    List.copyOf(r.trailers().fields()));
        }
    }

    /**
     * Where one request ended and the next starts: after a message, or an error that kept the
     * connection. {@code offset} input bytes were consumed, {@code messages} messages and
     * {@code errors} errors reported by then.
     */
    record End(int offset, int messages, int errors) {}

    /** Everything the parser reported for one input, in order. */
    record Transcript(List<Message> messages, List<ParseError> errors, List<End> ends) {
        ParseError onlyError() {
            assertThat(errors).as("errors").hasSize(1);
            return errors.getFirst();
        }
    }

    private ParserDriver() {}

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** A head from its lines: each ends in CRLF, and an empty line ends the section. */
    static String head(String... lines) {
        return String.join("\r\n", lines) + "\r\n\r\n";
    }

    static Transcript feed(String input) {
        return feed(HttpLimits.DEFAULT, bytes(input));
    }

    static Transcript feed(HttpLimits limits, String input) {
        return feed(limits, bytes(input));
    }

    static Transcript feed(HttpLimits limits, byte[] input, int... cuts) {
        return feed(new HttpParser(limits), input, cuts);
    }

    /** Feeds {@code input} cut at the ascending positions {@code cuts}, parsing after each piece. */
    static Transcript feed(HttpParser parser, byte[] input, int... cuts) {
        List<Message> messages = new ArrayList<>();
        List<ParseError> errors = new ArrayList<>();
        List<End> boundaries = new ArrayList<>();
        Buffer in = new Buffer();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        HttpRequest request = null;
        int[] ends = Arrays.copyOf(cuts, cuts.length + 1);
        ends[cuts.length] = input.length;
        int from = 0;
        int consumed = 0;
        // Every result but NEED_MORE moves the parser on, so more calls than this means it is stuck.
        long callsLeft = 4L * input.length + 16L * (cuts.length + 1);
        for (int end : ends) {
            in.append(input, from, end - from);
            from = end;
            while (true) {
                if (--callsLeft < 0) fail("parser made no progress");
                int readable = in.readableBytes();
                int readerIndex = in.readerIndex();
                ParseResult result = parser.parse(in);
                assertThat(in.readableBytes())
                        .as("readable bytes after %s", result)
                        .isBetween(0, readable);
                consumed += readable - in.readableBytes();
                switch (result) {
                    case NEED_MORE -> {}
                    case HEAD_COMPLETE -> {
                        request = parser.request();
                        body.reset();
                    }
                    case BODY -> {
                        assertThat(parser.bodyLength()).as("body slice length").isPositive();
                        assertThat(parser.bodyArray()).as("body slice array").isSameAs(in.array());
                        assertThat(parser.bodyOffset()).as("body slice start").isGreaterThanOrEqualTo(readerIndex);
                        assertThat(parser.bodyOffset() + parser.bodyLength())
                                .as("body slice end")
                                .isLessThanOrEqualTo(readerIndex + readable);
                        body.write(parser.bodyArray(), parser.bodyOffset(), parser.bodyLength());
                    }
                    case MESSAGE_COMPLETE -> {
                        messages.add(Message.of(request, body.toByteArray()));
                        boundaries.add(new End(consumed, messages.size(), errors.size()));
                    }
                    case ERROR -> {
                        ParseError error = parser.error();
                        assertThat(error.status()).as("status of %s", error).isIn(400, 413, 414, 431, 501, 505);
                        errors.add(error);
                        if (error.closeConnection()) return new Transcript(messages, errors, boundaries);
                        boundaries.add(new End(consumed, messages.size(), errors.size()));
                    }
                }
                if (result == ParseResult.NEED_MORE) break;
            }
        }
        return new Transcript(messages, errors, boundaries);
    }

    /** The head of a request that must parse. */
    static HttpRequest parseHead(String input) {
        HttpParser parser = new HttpParser();
        Buffer in = Buffer.of(bytes(input));
        ParseResult result = parser.parse(in);
        assertThat(result).as("result, error %s", parser.error()).isEqualTo(ParseResult.HEAD_COMPLETE);
        return parser.request();
    }

    /** The single message in a request that must parse whole. */
    static Message parseMessage(String input) {
        Transcript t = feed(input);
        assertThat(t.errors()).as("errors").isEmpty();
        assertThat(t.messages()).hasSize(1);
        return t.messages().getFirst();
    }

    /** How the parser refuses an input that must be refused. */
    static ParseError refusal(String input) {
        return refusal(HttpLimits.DEFAULT, input);
    }

    static ParseError refusal(HttpLimits limits, String input) {
        Transcript t = feed(limits, input);
        assertThat(t.errors()).as("refusal of %s", input).isNotEmpty();
        return t.errors().getFirst();
    }
}
