package io.netloop.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The rules the room applies, unit by unit: commands, nicknames, text. */
class RulesTest {
    @Test
    void commandsAreReadFromTheFirstWord() {
        assertThat(ChatCommand.parse("hello")).isEqualTo(new ChatCommand.Say("hello"));
        assertThat(ChatCommand.parse("//etc")).isEqualTo(new ChatCommand.Say("/etc"));
        assertThat(ChatCommand.parse("/NICK  bob ")).isEqualTo(new ChatCommand.Nick("bob"));
        assertThat(ChatCommand.parse("/me waves at  you")).isEqualTo(new ChatCommand.Me("waves at  you"));
        assertThat(ChatCommand.parse("/who")).isEqualTo(new ChatCommand.Who());
        assertThat(ChatCommand.parse("/quit")).isEqualTo(new ChatCommand.Quit(""));
        assertThat(ChatCommand.parse("/help")).isEqualTo(new ChatCommand.Help());
        assertThat(ChatCommand.parse("/x y")).isEqualTo(new ChatCommand.Unknown("x"));
        assertThat(ChatCommand.parse("   ")).isEqualTo(new ChatCommand.Blank());
    }

    @Test
    void nicknamesAreAsciiWordsComparedWithoutCase() {
        assertThat(Nicknames.problem("Alice_2-b", 16)).isNull();
        assertThat(Nicknames.problem("", 16)).isEqualTo("a nickname cannot be empty");
        assertThat(Nicknames.problem("2pac", 16)).startsWith("a nickname starts with a letter");
        assertThat(Nicknames.problem("Zoë", 16)).contains("(not 'ë')");
        assertThat(Nicknames.problem("a\u0000", 16)).contains("(not 'U+0000')");
        assertThat(Nicknames.problem("a".repeat(17), 16)).isEqualTo("a nickname has at most 16 characters");
        assertThat(Nicknames.key("BoB")).isEqualTo(Nicknames.key("bob"));
    }

    @Test
    void textHasNoControlCharactersAndABoundedLength() {
        assertThat(ChatText.problem("héllo 😀", 1024)).isNull();
        assertThat(ChatText.problem("a\u0085b", 1024))
                .isEqualTo("control characters are not allowed (U+0085 at character 2)");
        assertThat(ChatText.problem("\u007f", 1024)).contains("U+007F");
        assertThat(ChatText.utf8Length("aé€😀")).isEqualTo(1 + 2 + 3 + 4);
        assertThat(ChatText.problem("😀".repeat(4), 15))
                .isEqualTo("a line has at most 15 bytes of UTF-8 (this one has 16)");
    }

    @Test
    void textThatReordersWhatFollowsOrIsNoTextIsRefused() {
        // An override left open would flip the next line's "<nick> " prefix on a terminal or page.
        assertThat(ChatText.problem("pay \u202Eevil\u202C now", 1024))
                .isEqualTo("bidirectional embeddings, overrides and isolates are not allowed (U+202E at character 5)");
        for (char c : new char[] {'\u202A', '\u202B', '\u202C', '\u202D', '\u2066', '\u2067', '\u2068', '\u2069'}) {
            assertThat(ChatText.problem("x" + c, 1024))
                    .as("U+%04X", (int) c)
                    .contains(String.format("U+%04X", (int) c));
        }
        // Marks reorder nothing beyond themselves, and right-to-left text itself is text.
        assertThat(ChatText.problem("\u200E\u200F\u061C שלום مرحبا", 1024)).isNull();
        assertThat(ChatText.problem("a\uD83D", 1024))
                .isEqualTo("an unpaired surrogate is no text (U+D83D at character 2)");
        assertThat(ChatText.problem("\uDE00b", 1024)).contains("U+DE00 at character 1");
        assertThat(ChatText.problem("😀😀", 1024)).isNull();
    }

    @Test
    void theOutputBoundMustHoldTheEchoOfAFullCommandWindowTwice() {
        assertThat(ChatLimits.DEFAULT
                        .withMaxPendingCommands(8)
                        .withMaxQueuedOutputBytes(32 * 1024)
                        .maxQueuedOutputBytes())
                .isEqualTo(32 * 1024);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ChatLimits.DEFAULT.withMaxQueuedOutputBytes(32 * 1024))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxQueuedOutputBytes must be at least 72704 (twice the echo of a full command window: "
                        + "maxPendingCommands x (maxLineBytes + 96)), got 32768");
    }
}
