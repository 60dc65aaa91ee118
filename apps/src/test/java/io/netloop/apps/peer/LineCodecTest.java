package io.netloop.apps.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netloop.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LineCodecTest {
    /** What the codec handed out: lines as they are, refusals as "!reason". */
    private static final class Collected implements LineCodec.Lines {
        final List<String> got = new ArrayList<>();

        @Override
        public void line(String line) {
            got.add(line);
        }

        @Override
        public void invalid(String reason) {
            got.add("!" + reason);
        }
    }

    private static List<String> decode(LineCodec codec, byte[]... chunks) {
        Collected out = new Collected();
        Buffer in = new Buffer();
        for (byte[] c : chunks) {
            in.append(c);
            drain(codec, in, out);
        }
        return out.got;
    }

    private static void drain(LineCodec codec, Buffer in, Collected out) {
        while (codec.next(in, out)) {
            // collected
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void splitsLinesOnLfDropsACrBeforeItAndKeepsAPartialLine() {
        LineCodec codec = new LineCodec();
        Collected out = new Collected();
        Buffer in = Buffer.of(utf8("one\ntwo\r\nthr"));
        drain(codec, in, out);
        assertThat(out.got).containsExactly("one", "two");
        assertThat(in.readAllAsString()).isEqualTo("thr");
    }

    @Test
    void aLineOfExactlyTheLimitPassesOneMoreByteIsRefused() {
        assertThat(decode(new LineCodec(8), utf8("12345678\n12345678\r\n123456789\nok\n")))
                .containsExactly("12345678", "12345678", "!line longer than 8 bytes", "ok");
    }

    @Test
    void anOverLongLineIsRefusedBeforeItsEndArrivesAndItsRestIsSkipped() {
        LineCodec codec = new LineCodec(8);
        Collected out = new Collected();
        Buffer in = Buffer.of(utf8("0123456789"));
        assertThat(codec.next(in, out)).isTrue();
        assertThat(out.got).containsExactly("!line longer than 8 bytes");
        assertThat(in.isEmpty()).as("nothing kept of a refused line").isTrue();
        in.append(utf8("still the same line"));
        assertThat(codec.next(in, out)).isFalse();
        in.append(utf8(" ends\nnext\n"));
        drain(codec, in, out);
        assertThat(out.got).containsExactly("!line longer than 8 bytes", "next");
    }

    @Test
    void refusesInvalidUtf8AndControlCharactersButNotTabs() {
        assertThat(decode(
                        new LineCodec(),
                        new byte[] {'a', (byte) 0xC3, '\n'},
                        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80, '\n'},
                        utf8("bell\u0007\n"),
                        utf8("del\u007f\n"),
                        utf8("csi\u009b\n"),
                        utf8("a\ttab and caf\u00e9 \u4f60\u597d \ud83d\ude00\n")))
                .containsExactly(
                        "!invalid UTF-8",
                        "!invalid UTF-8",
                        "!control character U+0007",
                        "!control character U+007F",
                        "!control character U+009B",
                        "a\ttab and caf\u00e9 \u4f60\u597d \ud83d\ude00");
    }

    @Test
    void finishTakesALastLineWithoutALineEnd() {
        LineCodec codec = new LineCodec();
        Collected out = new Collected();
        Buffer in = Buffer.of(utf8("first\nlast"));
        drain(codec, in, out);
        codec.finish(in, out);
        assertThat(out.got).containsExactly("first", "last");
    }

    @Test
    void encodeFramesValidLinesAndSaysWhyOthersCannotBeSent() {
        assertThat(LineCodec.encode("say: hi", 4096)).isEqualTo(utf8("say: hi\n"));
        assertThatThrownBy(() -> LineCodec.encode("say: \u001b[31m", 4096)).hasMessage("control character U+001B");
        assertThatThrownBy(() -> LineCodec.encode("x".repeat(9), 8))
                .hasMessage("9 bytes, over the limit of 8 per line");
        assertThatThrownBy(() -> LineCodec.encode("lone \ud800", 4096)).hasMessageContaining("lone surrogate");
    }

    /** However the bytes are cut into reads, the same lines come out. */
    @Test
    void randomChunkingGivesTheSameLines() {
        SplittableRandom random = new SplittableRandom(0x003C2C);
        for (int round = 0; round < 200; round++) {
            List<String> expected = new ArrayList<>();
            StringBuilder stream = new StringBuilder();
            int lines = 1 + random.nextInt(20);
            for (int i = 0; i < lines; i++) {
                StringBuilder line = new StringBuilder();
                int length = random.nextInt(40);
                for (int j = 0; j < length; j++) {
                    line.append(
                            switch (random.nextInt(4)) {
                                case 0 -> "\u00e9";
                                case 1 -> "\ud83d\ude00";
                                case 2 -> "\t";
                                default -> (char) ('a' + random.nextInt(26));
                            });
                }
                expected.add(line.toString());
                stream.append(line).append(random.nextBoolean() ? "\n" : "\r\n");
            }
            byte[] bytes = utf8(stream.toString());
            List<byte[]> chunks = new ArrayList<>();
            for (int at = 0; at < bytes.length; ) {
                int n = Math.min(bytes.length - at, 1 + random.nextInt(16));
                chunks.add(java.util.Arrays.copyOfRange(bytes, at, at + n));
                at += n;
            }
            assertThat(decode(new LineCodec(), chunks.toArray(byte[][]::new)))
                    .as("round %d", round)
                    .isEqualTo(expected);
        }
    }
}
