package io.netloop.http.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The incremental UTF-8 check agrees with the JDK's strict decoder, however the bytes are split. */
class Utf8ValidatorTest {
    private static boolean jdkSaysValid(byte[] b) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static boolean validInPieces(byte[] b, Random r) {
        Utf8Validator v = new Utf8Validator();
        int at = 0;
        while (at < b.length) {
            int n = Math.min(b.length - at, 1 + r.nextInt(4));
            if (!v.feed(b, at, n)) return false;
            at += n;
        }
        return v.isComplete();
    }

    @Test
    void knownCases() {
        assertThat(Utf8Validator.isValid(bytes(0x41), 0, 1)).isTrue();
        assertThat(Utf8Validator.isValid(bytes(0xC3, 0xA9), 0, 2)).as("é").isTrue();
        assertThat(Utf8Validator.isValid(bytes(0xF4, 0x8F, 0xBF, 0xBF), 0, 4))
                .as("U+10FFFF")
                .isTrue();
        assertThat(Utf8Validator.isValid(bytes(0xEF, 0xBF, 0xBF), 0, 3))
                .as("U+FFFF")
                .isTrue();
        assertThat(Utf8Validator.isValid(bytes(0xC0, 0x80), 0, 2))
                .as("overlong NUL")
                .isFalse();
        assertThat(Utf8Validator.isValid(bytes(0xE0, 0x80, 0xAF), 0, 3))
                .as("overlong /")
                .isFalse();
        assertThat(Utf8Validator.isValid(bytes(0xED, 0xA0, 0x80), 0, 3))
                .as("surrogate")
                .isFalse();
        assertThat(Utf8Validator.isValid(bytes(0xF4, 0x90, 0x80, 0x80), 0, 4))
                .as("above U+10FFFF")
                .isFalse();
        assertThat(Utf8Validator.isValid(bytes(0xF8, 0x88, 0x80, 0x80, 0x80), 0, 5))
                .as("5-byte form")
                .isFalse();
        assertThat(Utf8Validator.isValid(bytes(0xE2, 0x82), 0, 2))
                .as("truncated")
                .isFalse();
        assertThat(Utf8Validator.isValid(bytes(0x80), 0, 1))
                .as("lone continuation")
                .isFalse();
    }

    @Test
    void agreesWithTheJdkOnSeededRandomBytes() {
        Random r = new Random(2026);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[r.nextInt(12)];
            for (int j = 0; j < b.length; j++) {
                // Mostly bytes near the interesting boundaries, so valid multi-byte forms do occur.
                b[j] = (byte)
                        switch (r.nextInt(4)) {
                            case 0 -> r.nextInt(0x80);
                            case 1 -> 0x80 + r.nextInt(0x40);
                            case 2 -> 0xC0 + r.nextInt(0x40);
                            default -> r.nextInt(256);
                        };
            }
            assertThat(validInPieces(b, r))
                    .as("bytes %s", java.util.HexFormat.of().formatHex(b))
                    .isEqualTo(jdkSaysValid(b));
        }
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }
}
