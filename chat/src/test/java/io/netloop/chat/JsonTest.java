package io.netloop.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void writesObjectsOfStringsAndArrays() {
        assertThat(Json.object("type", "online", "nicks", List.of("a", "b")))
                .isEqualTo("{\"type\":\"online\",\"nicks\":[\"a\",\"b\"]}");
        assertThat(Json.object("type", "said", "text", "")).isEqualTo("{\"type\":\"said\",\"text\":\"\"}");
    }

    @Test
    void escapesWhatCouldEndAStringOrAScript() {
        assertThat(Json.object("t", "\"\\\n\r\t\u0001</script>&\u2028\u2029"))
                .isEqualTo("{\"t\":\"\\\"\\\\\\n\\r\\t\\u0001\\u003c/script\\u003e\\u0026\\u2028\\u2029\"}");
    }

    @Test
    void keepsSurrogatePairsAndEscapesLoneSurrogates() {
        assertThat(Json.object("t", "\uD83D\uDE00")).isEqualTo("{\"t\":\"\uD83D\uDE00\"}");
        assertThat(Json.object("t", "\uD83D.\uDE00")).isEqualTo("{\"t\":\"\\ud83d.\\ude00\"}");
    }

    @Test
    void readsWhatItWritesForRandomStrings() {
        SplittableRandom random = new SplittableRandom(6455);
        for (int round = 0; round < 2000; round++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(40);
            for (int i = 0; i < n; i++) {
                sb.append((char)
                        switch (random.nextInt(4)) {
                            case 0 -> random.nextInt(0x20); // controls
                            case 1 -> random.nextInt(0x20, 0x80); // ASCII, quotes and backslashes among them
                            case 2 -> random.nextInt(0x80, 0x10000); // the rest of the BMP, lone surrogates too
                            default -> "\"\\<>&/".charAt(random.nextInt(6));
                        });
            }
            String s = sb.toString();
            assertThat(Json.parseFlatObject(Json.object("type", "line", "text", s)))
                    .as("round %d", round)
                    .isEqualTo(Map.of("type", "line", "text", s));
        }
    }

    @Test
    void readsWhitespaceAndEscapesAsBrowsersMayWriteThem() {
        assertThat(Json.parseFlatObject(" {\n \"a\" : \"x\\/y\\u00e9\\b\\f\" ,\"b\":\"\"}\t"))
                .isEqualTo(Map.of("a", "x/yé\b\f", "b", ""));
        assertThat(Json.parseFlatObject("{}")).isEmpty();
    }

    @Test
    void refusesAnythingElseSayingWhere() {
        assertThatThrownBy(() -> Json.parseFlatObject("")).hasMessage("bad JSON at character 1: unexpected end");
        assertThatThrownBy(() -> Json.parseFlatObject("[1]")).hasMessage("bad JSON at character 1: '{' expected");
        assertThatThrownBy(() -> Json.parseFlatObject("{\"a\":1}"))
                .hasMessage("bad JSON at character 6: only string values are understood");
        assertThatThrownBy(() -> Json.parseFlatObject("{\"a\":\"x\",\"a\":\"y\"}"))
                .hasMessageContaining("appears twice");
        assertThatThrownBy(() -> Json.parseFlatObject("{\"a\":\"x\"} {}"))
                .hasMessageContaining("text after the object");
        assertThatThrownBy(() -> Json.parseFlatObject("{\"a\":\"\\u12\"}")).hasMessageContaining("four hex digits");
        assertThatThrownBy(() -> Json.parseFlatObject("{\"a\":\"\\q\"}")).hasMessageContaining("unknown escape \\q");
        assertThatThrownBy(() -> Json.parseFlatObject("{\"a\":\"\n\"}")).hasMessageContaining("must be escaped");
        assertThatThrownBy(() -> Json.parseFlatObject("{\"a\":\"x\"")).hasMessageContaining("unexpected end");
    }
}
