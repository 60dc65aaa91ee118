package io.netloop.http.codec;

import static io.netloop.http.codec.ParserDriver.head;
import static io.netloop.http.codec.ParserDriver.parseHead;
import static io.netloop.http.codec.ParserDriver.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Field lines of the header section (RFC 9112 §5, RFC 9110 §5) and line endings (RFC 9112 §2.2). */
class HeaderFieldTest {

    private static ParseError refusalOfField(String fieldLine) {
        return refusal(head("GET / HTTP/1.1", "Host: a", fieldLine));
    }

    private static void assertFatal400(ParseError error) {
        assertThat(error.status()).isEqualTo(400);
        assertThat(error.closeConnection()).isTrue();
    }

    @Test
    void fieldsKeepTheirOrderAndSpelling() {
        HttpRequest r = parseHead(head("GET / HTTP/1.1", "Host: a", "X-First: 1", "x-second: 2", "X-FIRST: 3"));
        assertThat(r.headers().fields())
                .containsExactly(
                        new HeaderField("Host", "a"),
                        new HeaderField("X-First", "1"),
                        new HeaderField("x-second", "2"),
                        new HeaderField("X-FIRST", "3"));
    }

    @Test
    void namesAreLookedUpCaseInsensitively() {
        HttpHeaders h = parseHead(head("GET / HTTP/1.1", "Host: a", "Content-Type: text/plain"))
                .headers();
        assertThat(h.get("content-type")).isEqualTo("text/plain");
        assertThat(h.get("CONTENT-TYPE")).isEqualTo("text/plain");
        assertThat(h.contains("cOnTeNt-TyPe")).isTrue();
    }

    @Test
    void repeatedFieldsKeepEveryValueInOrder() {
        HttpHeaders h = parseHead(head("GET / HTTP/1.1", "Host: a", "Accept: a", "Other: x", "accept: b"))
                .headers();
        assertThat(h.get("Accept")).isEqualTo("a");
        assertThat(h.getAll("ACCEPT")).containsExactly("a", "b");
    }

    @Test
    void absentFieldIsNullAndEmpty() {
        HttpHeaders h = parseHead(head("GET / HTTP/1.1", "Host: a")).headers();
        assertThat(h.get("Accept")).isNull();
        assertThat(h.getAll("Accept")).isEmpty();
        assertThat(h.contains("Accept")).isFalse();
    }

    @Test
    void whitespaceAroundValueIsRemoved() {
        assertThat(parseHead(head("GET / HTTP/1.1", "Host: a", "X:  \t v  a \t "))
                        .headers()
                        .get("X"))
                .isEqualTo("v  a");
    }

    @Test
    void emptyValueIsAccepted() {
        assertThat(parseHead(head("GET / HTTP/1.1", "Host: a", "X:")).headers().get("X"))
                .isEmpty();
    }

    @Test
    void htabInsideValueIsAccepted() {
        assertThat(parseHead(head("GET / HTTP/1.1", "Host: a", "X: a\tb"))
                        .headers()
                        .get("X"))
                .isEqualTo("a\tb");
    }

    @Test
    void obsTextInValueIsKeptByteForByte() {
        assertThat(parseHead(head("GET / HTTP/1.1", "Host: a", "X: caf\u00e9\u00ff"))
                        .headers()
                        .get("X"))
                .isEqualTo("caf\u00e9\u00ff");
    }

    @ParameterizedTest
    @ValueSource(strings = {"X: a\r\n  b", "X: a\r\n\tb"})
    void obsoleteLineFoldingIsRefused(String folded) {
        assertFatal400(refusalOfField(folded));
    }

    @Test
    void whitespaceBeforeTheFirstFieldIsRefused() {
        assertFatal400(refusal(head("GET / HTTP/1.1", " Host: a")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"X : a", "X\t: a", "X  : a"})
    void whitespaceBetweenNameAndColonIsRefused(String line) {
        assertFatal400(refusalOfField(line));
    }

    @Test
    void emptyFieldNameIsRefused() {
        assertFatal400(refusalOfField(": a"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Ho(st: a", "X@Y: 1", "X\u00e9: 1", "X\u0000: 1", "X/Y: 1", "X\"Y: 1", "X{}: 1", "X Y: 1"})
    void invalidCharacterInFieldNameIsRefused(String line) {
        assertFatal400(refusalOfField(line));
    }

    @Test
    void fieldLineWithoutColonIsRefused() {
        assertFatal400(refusalOfField("Just-A-Name"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "X: a\u0000b",
                "X: \u0000",
                "X: a\u0001",
                "X: a\u001bb",
                "X: a\u007f",
                "X: a\u000bb",
                "X: a\u000cb"
            })
    void controlCharacterInFieldValueIsRefused(String line) {
        assertFatal400(refusalOfField(line));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "GET / HTTP/1.1\r\r\nHost: a\r\n\r\n",
                "GET /\r HTTP/1.1\r\nHost: a\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n",
                "GET / HTTP/1.1\r\nHo\rst: a\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: a\r\n\rX: b\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: a\r\n\r\r\n",
                "\rGET / HTTP/1.1\r\nHost: a\r\n\r\n"
            })
    void bareCrInTheHeadIsRefused(String request) {
        assertFatal400(refusal(request));
    }

    // RFC 9112 §2.2 lets a recipient accept a bare LF as a line terminator; we don't, so that no
    // front-end that splits lines differently can make us see a different header section.
    @ParameterizedTest
    @ValueSource(
            strings = {
                "GET / HTTP/1.1\nHost: a\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: a\n\r\n",
                "GET / HTTP/1.1\r\nHost: a\r\n\n",
                "GET / HTTP/1.1\nHost: a\n\n",
                "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"
            })
    void bareLfLineEndingIsRefused(String request) {
        assertFatal400(refusal(request));
    }
}
