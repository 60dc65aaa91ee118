package io.netloop.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The room's rules as a TCP client (nc) meets them. */
@ExtendWith(LeakCheck.class)
class TcpChatTest {
    static ChatServer chat;
    static int port;

    @BeforeAll
    static void start() throws IOException {
        chat = ChatServer.builder().port(0).httpPort(0).start();
        port = chat.tcpAddress().getPort();
    }

    @AfterAll
    static void stop() {
        chat.close();
    }

    @Test
    void anEmptyFirstLinePicksAGuestName() throws IOException {
        try (LineClient c = LineClient.connect(port)) {
            assertThat(c.reply()).startsWith("*** welcome to netloop chat. Your nickname?");
            c.send("");
            assertThat(c.reply()).matches("\\*\\*\\* you are guest\\d+; /help lists the commands");
        }
    }

    @Test
    void messagesReachEveryMemberWithTheSendersNick() throws IOException {
        try (LineClient alice = LineClient.join(port, "alice1");
                LineClient bob = LineClient.join(port, "bob1")) {
            alice.expect(l -> l.equals("*** bob1 joined"));
            alice.send("hello, bob");
            assertThat(bob.expect(l -> l.startsWith("<"))).isEqualTo("<alice1> hello, bob");
            assertThat(alice.expect(l -> l.startsWith("<"))).isEqualTo("<alice1> hello, bob");
        }
    }

    @Test
    void nicknamesAreUniqueRegardlessOfCase() throws IOException {
        try (LineClient first = LineClient.join(port, "Carol");
                LineClient second = LineClient.connect(port)) {
            second.expect(l -> l.startsWith("*** welcome"));
            second.send("cAROL");
            assertThat(second.reply()).isEqualTo("!!! the nickname cAROL is taken; choose another");
            second.send("carol2");
            assertThat(second.reply()).startsWith("*** you are carol2;");
            second.send("/nick CAROL");
            assertThat(second.expect(l -> l.startsWith("!!!")))
                    .isEqualTo("!!! the nickname CAROL is taken; choose another");
        }
    }

    @Test
    void nicknamesHaveARestrictedAlphabetAndLength() throws IOException {
        try (LineClient c = LineClient.connect(port)) {
            c.expect(l -> l.startsWith("*** welcome"));
            c.send("<script>");
            assertThat(c.reply()).isEqualTo("!!! a nickname starts with a letter (a-z, A-Z); choose another nickname");
            c.send("bad name");
            assertThat(c.reply()).contains("only letters, digits, '_' and '-' (not ' ')");
            c.send("a".repeat(17));
            assertThat(c.reply()).contains("at most 16 characters");
            c.send("Dave_the-2nd");
            assertThat(c.reply()).startsWith("*** you are Dave_the-2nd;");
        }
    }

    @Test
    void whoListsTheMembersInTheOrderTheyJoined() throws IOException {
        try (LineClient a = LineClient.join(port, "w1");
                LineClient b = LineClient.join(port, "w2")) {
            b.send("/who");
            String online = b.expect(l -> l.startsWith("*** online"));
            assertThat(online).matches("\\*\\*\\* online \\(\\d+\\): .*");
            assertThat(online.indexOf("w1")).isLessThan(online.indexOf("w2"));
        }
    }

    @Test
    void meSaysWhatTheMemberDoes() throws IOException {
        try (LineClient a = LineClient.join(port, "me1");
                LineClient b = LineClient.join(port, "me2")) {
            a.send("/me waves");
            assertThat(b.expect(l -> l.startsWith("* "))).isEqualTo("* me1 waves");
            a.send("/me");
            assertThat(a.expect(l -> l.startsWith("!!!"))).isEqualTo("!!! /me needs an action, as in: /me waves");
        }
    }

    @Test
    void renamesAreAnnouncedToTheOthers() throws IOException {
        try (LineClient a = LineClient.join(port, "ren1");
                LineClient b = LineClient.join(port, "ren2")) {
            a.send("/nick Ren1x");
            assertThat(a.expect(l -> l.startsWith("*** you are"))).startsWith("*** you are Ren1x;");
            assertThat(b.expect(l -> l.contains("known as"))).isEqualTo("*** ren1 is now known as Ren1x");
        }
    }

    @Test
    void helpAndUnknownCommandsAnswerTheAsker() throws IOException {
        try (LineClient a = LineClient.join(port, "helper")) {
            a.send("/help");
            assertThat(a.reply()).startsWith("*** commands: /nick NAME");
            assertThat(a.reply()).startsWith("*** /quit [MESSAGE]");
            a.send("/frobnicate");
            assertThat(a.reply()).startsWith("!!! unknown command /frobnicate; /help lists the commands");
            a.send("//slashes are fine");
            assertThat(a.reply()).isEqualTo("<helper> /slashes are fine");
        }
    }

    @Test
    void quitSaysGoodbyeAnnouncesTheLeaveAndCloses() throws IOException {
        try (LineClient a = LineClient.join(port, "q1");
                LineClient b = LineClient.join(port, "q2")) {
            b.send("/quit see you");
            assertThat(b.repliesToEnd()).containsExactly("*** disconnected: bye");
            assertThat(a.expect(l -> l.contains("q2 left"))).isEqualTo("*** q2 left (quit: see you)");
        }
    }

    @Test
    void linesAfterQuitAreIgnoredNotTakenForANickname() throws IOException {
        try (LineClient a = LineClient.join(port, "after1");
                LineClient b = LineClient.join(port, "after2")) {
            b.send("/quit\nzombie\nstill talking"); // one packet: the room reads all three before the goodbye is out
            assertThat(b.repliesToEnd()).containsExactly("*** disconnected: bye");
            a.send("/who"); // answered after anything the room did with b's lines
            assertThat(a.expect(l -> l.startsWith("*** online"))).doesNotContain("zombie", "after2");
            assertThat(a.seen).noneMatch(l -> l.contains("zombie") || l.contains("still talking"));
        }
    }

    @Test
    void anOverLongLineIsExplainedThenDisconnected() throws IOException {
        try (LineClient a = LineClient.join(port, "long1");
                LineClient b = LineClient.join(port, "long2")) {
            b.send("x".repeat(ChatLimits.DEFAULT.maxLineBytes() + 1));
            assertThat(b.repliesToEnd())
                    .containsExactly("*** disconnected: a line has at most 1024 bytes, and yours was longer");
            assertThat(a.expect(l -> l.contains("long2 left")))
                    .isEqualTo("*** long2 left (a line has at most 1024 bytes, and yours was longer)");
        }
    }

    @Test
    void aLineOfExactlyTheLimitIsAMessage() throws IOException {
        try (LineClient a = LineClient.join(port, "limit")) {
            String text = "é".repeat(ChatLimits.DEFAULT.maxLineBytes() / 2); // 2 bytes each: exactly the limit
            a.sendRaw((text + "\r\n").getBytes(StandardCharsets.UTF_8));
            assertThat(a.reply()).isEqualTo("<limit> " + text);
        }
    }

    @Test
    void aNewlineThatNeverComesIsCaughtAtTheLimit() throws IOException {
        try (LineClient a = LineClient.join(port, "nonl")) {
            a.sendRaw("y".repeat(4000).getBytes(StandardCharsets.US_ASCII)); // no newline at all
            assertThat(a.repliesToEnd())
                    .containsExactly("*** disconnected: a line has at most 1024 bytes, and yours was longer");
        }
    }

    @Test
    void invalidUtf8IsRefusedAndTheConnectionGoesOn() throws IOException {
        try (LineClient a = LineClient.join(port, "utf")) {
            a.sendRaw(new byte[] {'a', (byte) 0xC3, (byte) 0x28, '\n'});
            assertThat(a.reply())
                    .isEqualTo("!!! that line was not valid UTF-8 and was dropped; set your terminal to UTF-8");
            a.sendRaw(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80, '\n'}); // an encoded surrogate
            assertThat(a.reply()).startsWith("!!! that line was not valid UTF-8");
            a.send("still here");
            assertThat(a.reply()).isEqualTo("<utf> still here");
        }
    }

    @Test
    void controlCharactersAreRefused() throws IOException {
        try (LineClient a = LineClient.join(port, "ctl");
                LineClient b = LineClient.join(port, "ctl2")) {
            a.send("\u001b[2Jgotcha");
            assertThat(a.reply()).isEqualTo("!!! control characters are not allowed (U+001B at character 1)");
            a.send("bell\u0007");
            assertThat(a.reply()).startsWith("!!! control characters are not allowed (U+0007");
            a.send("clean");
            assertThat(b.expect(l -> l.startsWith("<"))).isEqualTo("<ctl> clean");
        }
    }

    @Test
    void aClosedConnectionLeavesTheRoom() throws Exception {
        try (LineClient a = LineClient.join(port, "stay")) {
            LineClient gone = LineClient.join(port, "gone");
            a.expect(l -> l.equals("*** gone joined"));
            gone.close();
            assertThat(a.expect(l -> l.contains("gone left"))).startsWith("*** gone left (connection");
            Clients.await(
                    Duration.ofSeconds(10),
                    "the room to forget gone",
                    () -> chat.stats().members() == 1);
        }
    }

    @Test
    void linesBeforeEndOfInputAreAllDelivered() throws IOException {
        try (LineClient a = LineClient.join(port, "reader")) {
            try (LineClient piped = LineClient.connect(port)) { // as `printf 'piper\nhi\nlast' | nc -N host port`
                piped.sendRaw("piper\nhi\nlast".getBytes(StandardCharsets.UTF_8));
                piped.socket.shutdownOutput();
                List<String> said = List.of(a.expect(l -> l.startsWith("<")), a.expect(l -> l.startsWith("<")));
                assertThat(said).containsExactly("<piper> hi", "<piper> last");
                assertThat(a.expect(l -> l.contains("piper left"))).isEqualTo("*** piper left (connection closed)");
            }
        }
    }
}
