package io.netloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.testing.LeakCheck;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/** {@code netloop peer} as a user runs it: in a process of its own, typed into through a pipe. */
@ExtendWith(LeakCheck.class)
class PeerCommandTest {
    private static final String BANNER =
            "\\* you are %s, listening on 127\\.0\\.0\\.1:(\\d+) \\(epoll-lt, input on the poller\\); /help lists the"
                    + " commands";

    @Test
    void helpListsTheOptions() {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute("peer", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: netloop peer", "--port", "--name", "--host", "/connect HOST:PORT");
    }

    @Test
    void aBadNameSaysWhatANameMayHold() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        assertThat(cl.execute("peer", "--port", "0", "--name", "two words")).isNotZero();
        assertThat(err.toString()).contains("bad name 'two words': a name is 1 to 32 letters, digits");
    }

    /** In this JVM, with in-memory input and output passed in; signal handlers are put back afterwards. */
    @Test
    void runsInProcessOnStreamsPassedIn() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream printed = new PrintStream(out, true, StandardCharsets.UTF_8);
        InputStream typed =
                new ByteArrayInputStream("/list\nnobody here\n/exit\nnot read\n".getBytes(StandardCharsets.UTF_8));
        CommandLine cl = Main.commandLine(new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                return type == PeerCommand.class
                        ? type.cast(new PeerCommand(typed, -1, printed))
                        : CommandLine.defaultFactory().create(type);
            }
        });
        assertThat(cl.execute("peer", "--port", "0", "--name", "solo")).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        Matcher banner = Pattern.compile(
                        "\\* you are solo, listening on (127\\.0\\.0\\.1:\\d+) \\(.*, input on a reader thread\\); .*")
                .matcher(lines.getFirst());
        assertThat(banner.matches()).as(lines.getFirst()).isTrue();
        assertThat(lines.subList(1, lines.size()))
                .containsExactly(
                        "* you: solo, listening on " + banner.group(1),
                        "* no peers: /connect HOST:PORT to add one",
                        "* nobody to send to: /connect HOST:PORT first",
                        "* bye");
    }

    /** The same on io_uring: the peers' sockets and the piped keyboard all on the ring. */
    @Test
    void chatsOnIoUring() throws Exception {
        try (PeerProcess alice = new PeerProcess("--port", "0", "--name", "alice", "--io", "io_uring")) {
            int port = Integer.parseInt(
                    alice.await("\\* you are alice, listening on 127\\.0\\.0\\.1:(\\d+) \\(io_uring, input on the"
                                    + " poller\\); .*")
                            .group(1));
            try (Talker bob = Talker.join(port, "alice", "bob")) {
                alice.await("\\* #1 bob joined from 127\\.0\\.0\\.1:\\d+ \\(in\\)");
                bob.send("say: hi alice");
                alice.await("\\[#1 bob\\] hi alice");
                alice.type("hi bob");
                assertThat(bob.readLine()).isEqualTo("say: hi bob");
                alice.closeInput();
                assertThat(bob.readLine()).isNull();
            }
            assertThat(alice.awaitExit()).as(alice.output()).isZero();
        }
    }

    /** Standard input is a pipe here, so the loop's poller watches it. */
    @Test
    void chatsThroughPipedStandardInputAndExitsAtItsEnd() throws Exception {
        try (PeerProcess alice = new PeerProcess("--port", "0", "--name", "alice")) {
            int port = Integer.parseInt(alice.await(BANNER.formatted("alice")).group(1));
            try (Talker bob = Talker.join(port, "alice", "bob")) {
                alice.await("\\* #1 bob joined from 127\\.0\\.0\\.1:\\d+ \\(in\\)");
                bob.send("say: hi alice \u001b[31m");
                alice.await("\\* #1 bob dropped: control character U\\+001B");
                assertThat(bob.readLine()).isEqualTo("error: control character U+001B");
                assertThat(bob.readLine()).isNull();
            }
            try (Talker carol = Talker.join(port, "alice", "carol")) {
                carol.send("say: hi alice");
                alice.await("\\[#2 carol\\] hi alice");
                alice.type("hi carol");
                assertThat(carol.readLine()).isEqualTo("say: hi carol");
                alice.closeInput();
                assertThat(carol.readLine()).isNull();
            }
            assertThat(alice.awaitExit()).as(alice.output()).isZero();
            assertThat(alice.output())
                    .endsWith("* bye")
                    .doesNotContain("WARNING")
                    .doesNotContain("Exception");
        }
    }

    /** A peer killed with SIGKILL: the kernel closes its sockets; the other notices and carries on. */
    @Test
    void aKilledPeerIsNoticedAndTheOtherCarriesOnWithAThird() throws Exception {
        try (PeerProcess alice = new PeerProcess("--port", "0", "--name", "alice");
                PeerProcess bob = new PeerProcess("--port", "0", "--name", "bob")) {
            int alicePort =
                    Integer.parseInt(alice.await(BANNER.formatted("alice")).group(1));
            int bobPort = Integer.parseInt(bob.await(BANNER.formatted("bob")).group(1));
            bob.type("/connect 127.0.0.1:" + alicePort);
            bob.await("\\* #1 alice joined from 127\\.0\\.0\\.1:" + alicePort + " \\(out\\)");
            bob.type("are you there?");
            alice.await("\\[#1 bob\\] are you there\\?");
            alice.process.destroyForcibly();
            alice.process.waitFor();
            bob.await("\\* #1 alice (left|lost: .*)");

            try (Talker carol = Talker.join(bobPort, "bob", "carol")) {
                bob.await("\\* #2 carol joined from .*");
                bob.type("carol, alice is gone");
                assertThat(carol.readLine()).isEqualTo("say: carol, alice is gone");
            }
            bob.await("\\* #2 carol left");
            bob.type("/exit");
            assertThat(bob.awaitExit()).as(bob.output()).isZero();
        }
    }

    /** A peer on a plain JDK socket that has exchanged hellos with the one under test. */
    private record Talker(Socket socket, BufferedReader in) implements AutoCloseable {
        static Talker join(int port, String expectedName, String name) throws IOException {
            Socket s = new Socket("127.0.0.1", port);
            s.setSoTimeout(20_000);
            Talker t = new Talker(
                    s, new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)));
            assertThat(t.readLine()).isEqualTo("hello: " + expectedName);
            t.send("hello: " + name);
            return t;
        }

        void send(String line) throws IOException {
            socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }

        String readLine() throws IOException {
            return in.readLine();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
