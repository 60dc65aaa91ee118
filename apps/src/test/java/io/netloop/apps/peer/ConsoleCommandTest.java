package io.netloop.apps.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.apps.peer.ConsoleCommand.Connect;
import io.netloop.apps.peer.ConsoleCommand.Exit;
import io.netloop.apps.peer.ConsoleCommand.Help;
import io.netloop.apps.peer.ConsoleCommand.Invalid;
import io.netloop.apps.peer.ConsoleCommand.ListPeers;
import io.netloop.apps.peer.ConsoleCommand.Msg;
import io.netloop.apps.peer.ConsoleCommand.Quit;
import io.netloop.apps.peer.ConsoleCommand.Say;
import org.junit.jupiter.api.Test;

class ConsoleCommandTest {
    @Test
    void parsesEveryCommand() {
        assertThat(ConsoleCommand.parse("hello all")).isEqualTo(new Say("hello all"));
        assertThat(ConsoleCommand.parse("//not a command")).isEqualTo(new Say("/not a command"));
        assertThat(ConsoleCommand.parse("/connect 127.0.0.1:7070")).isEqualTo(new Connect("127.0.0.1", 7070));
        assertThat(ConsoleCommand.parse("/connect [::1]:7070")).isEqualTo(new Connect("::1", 7070));
        assertThat(ConsoleCommand.parse("/connect example.org:80")).isEqualTo(new Connect("example.org", 80));
        assertThat(ConsoleCommand.parse("/list")).isEqualTo(new ListPeers());
        assertThat(ConsoleCommand.parse("/msg 2 just  you")).isEqualTo(new Msg(2, "just  you"));
        assertThat(ConsoleCommand.parse("/msg #3 hi")).isEqualTo(new Msg(3, "hi"));
        assertThat(ConsoleCommand.parse("/quit 4")).isEqualTo(new Quit(4));
        assertThat(ConsoleCommand.parse("/exit")).isEqualTo(new Exit());
        assertThat(ConsoleCommand.parse("/help")).isEqualTo(new Help());
        assertThat(ConsoleCommand.parse("   ")).isNull();
    }

    @Test
    void aMistakeSaysWhatToType() {
        assertThat(ConsoleCommand.parse("/connect 127.0.0.1"))
                .isInstanceOf(Invalid.class)
                .extracting(c -> ((Invalid) c).message())
                .asString()
                .startsWith("usage: /connect HOST:PORT");
        assertThat(ConsoleCommand.parse("/connect ::1:7070"))
                .extracting(c -> ((Invalid) c).message())
                .asString()
                .endsWith("put an IPv6 address in brackets");
        assertThat(ConsoleCommand.parse("/connect h:70000"))
                .isEqualTo(new Invalid("port 70000 is out of range: use 1 to 65535"));
        assertThat(ConsoleCommand.parse("/msg bob hi"))
                .isEqualTo(new Invalid("usage: /msg ID TEXT (ID is the number /list shows)"));
        assertThat(ConsoleCommand.parse("/msg 2"))
                .isEqualTo(new Invalid("usage: /msg ID TEXT (ID is the number /list shows)"));
        assertThat(ConsoleCommand.parse("/quit")).isEqualTo(new Invalid("usage: /quit ID (the number /list shows)"));
        assertThat(ConsoleCommand.parse("/exit now")).isEqualTo(new Invalid("usage: /exit"));
        assertThat(ConsoleCommand.parse("/shout hi"))
                .isEqualTo(new Invalid("unknown command /shout; /help lists the commands"));
    }
}
