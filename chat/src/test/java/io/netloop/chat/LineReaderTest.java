package io.netloop.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netloop.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineReaderTest {
    private final LineReader reader = new LineReader(16);

    private static Buffer bytes(String s) {
        return Buffer.of(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void cutsAtLfAndCrLfAndWaitsForTheRest() throws Exception {
        Buffer in = bytes("one\r\ntwo\nthr");
        assertThat(reader.next(in)).isEqualTo("one");
        assertThat(reader.next(in)).isEqualTo("two");
        assertThat(reader.next(in)).isNull();
        in.append("ee\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(reader.next(in)).isEqualTo("three");
        assertThat(in.isEmpty()).isTrue();
    }

    @Test
    void theLimitCountsBytesWithoutTheTerminator() throws Exception {
        assertThat(reader.next(bytes("é".repeat(8) + "\r\n"))).isEqualTo("é".repeat(8));
        assertThatThrownBy(() -> reader.next(bytes("x".repeat(17) + "\n")))
                .isInstanceOfSatisfying(
                        LineReader.Rejected.class, r -> assertThat(r.fatal()).isTrue())
                .hasMessage("a line has at most 16 bytes, and yours was longer");
    }

    @Test
    void anUnterminatedLineFailsAsSoonAsItIsTooLong() throws Exception {
        assertThat(reader.next(bytes("x".repeat(16) + "\r"))).isNull(); // the CRLF may still come
        assertThatThrownBy(() -> reader.next(bytes("x".repeat(18)))).isInstanceOf(LineReader.Rejected.class);
    }

    @Test
    void invalidUtf8DropsTheLineOnly() throws Exception {
        Buffer in = Buffer.of(new byte[] {(byte) 0xFF, 'a', '\n', 'o', 'k', '\n'});
        assertThatThrownBy(() -> reader.next(in))
                .isInstanceOfSatisfying(
                        LineReader.Rejected.class, r -> assertThat(r.fatal()).isFalse())
                .hasMessageStartingWith("that line was not valid UTF-8");
        assertThat(reader.next(in)).isEqualTo("ok");
    }
}
