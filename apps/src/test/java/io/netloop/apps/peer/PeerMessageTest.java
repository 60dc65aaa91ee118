package io.netloop.apps.peer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PeerMessageTest {
    @Test
    void linesRoundTrip() {
        for (PeerMessage m : new PeerMessage[] {
            PeerMessage.hello("alice"),
            PeerMessage.say("hi: there"),
            PeerMessage.whisper(""),
            PeerMessage.error("line longer than 4096 bytes")
        }) {
            assertThat(PeerMessage.parse(m.toLine())).isEqualTo(m);
        }
        assertThat(PeerMessage.error("line longer than 4096 bytes").toLine())
                .isEqualTo("error: line longer than 4096 bytes");
        assertThat(PeerMessage.parse("say:no space")).isEqualTo(PeerMessage.say("no space"));
        assertThat(PeerMessage.parse("shout: hi")).isNull();
        assertThat(PeerMessage.parse("no colon")).isNull();
    }

    @Test
    void namesAreShortAndPlain() {
        assertThat(PeerMessage.nameProblem("alice_2.0-b")).isNull();
        assertThat(PeerMessage.nameProblem("\u00e9lodie")).isNull();
        assertThat(PeerMessage.nameProblem("")).isNotNull();
        assertThat(PeerMessage.nameProblem("two words")).isNotNull();
        assertThat(PeerMessage.nameProblem("x".repeat(33))).isNotNull();
    }
}
