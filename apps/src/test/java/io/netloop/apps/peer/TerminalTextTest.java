package io.netloop.apps.peer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TerminalTextTest {
    @Test
    void plainTextIsUnchanged() {
        String s = "caf\u00e9, \u4f60\u597d, \ud83d\ude00 and a\ttab";
        assertThat(TerminalText.sanitize(s)).isSameAs(s);
    }

    @Test
    void controlsAndReorderingCharactersBecomeReplacementCharacters() {
        assertThat(TerminalText.sanitize("\u001b[2Jred\u0007\r\n\u009b1m"))
                .isEqualTo("\uFFFD[2Jred\uFFFD\uFFFD\uFFFD\uFFFD1m");
        assertThat(TerminalText.sanitize("\u202Eexe.txt\u202C \u2067x\u2069 \u200F"))
                .isEqualTo("\uFFFDexe.txt\uFFFD \uFFFDx\uFFFD \uFFFD");
        assertThat(TerminalText.sanitize("lone \ud800 and \udc00")).isEqualTo("lone \uFFFD and \uFFFD");
    }
}
