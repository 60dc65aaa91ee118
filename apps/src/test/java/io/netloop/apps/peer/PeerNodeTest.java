package io.netloop.apps.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.DescriptorInput;
import io.netloop.core.loop.IoMode;
import io.netloop.testing.AllTransports;
import io.netloop.testing.LeakCheck;
import io.netloop.testing.TestDescriptors;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The c2c peer as a user and other peers see it: chat, failures of others, bad input, exit. */
@ExtendWith(LeakCheck.class)
class PeerNodeTest {

    /** Every poller; NIO cannot watch a pipe, so there the input comes through the fallback thread. */
    @AllTransports(pollers = true)
    void twoPeersConnectListEachOtherAndChatBothWays(IoMode io) throws Exception {
        try (TestPeer alice = TestPeer.piped("alice", io);
                TestPeer bob = TestPeer.piped("bob", io)) {
            assertThat(alice.node.inputMode())
                    .isEqualTo(io == IoMode.NIO ? DescriptorInput.Mode.THREAD : DescriptorInput.Mode.POLLER);
            alice.connectTo(bob);
            alice.out.await("\\* #1 bob joined from 127\\.0\\.0\\.1:" + bob.port() + " \\(out\\)");
            bob.out.await("\\* #1 alice joined from 127\\.0\\.0\\.1:\\d+ \\(in\\)");

            alice.type("hello everyone");
            bob.out.await("\\[#1 alice\\] hello everyone");
            bob.type("/msg 1 just for you, alice");
            alice.out.await("\\[#1 bob, to you\\] just for you, alice");
            bob.type("and\ta tab for all");
            alice.out.await("\\[#1 bob\\] and\ta tab for all");

            alice.type("/list");
            alice.out.await("\\* #1 bob 127\\.0\\.0\\.1:" + bob.port() + " \\(out\\)");
            bob.type("/list");
            bob.out.await("\\* you: bob, listening on 127\\.0\\.0\\.1:" + bob.port());
            bob.out.await("\\* #1 alice 127\\.0\\.0\\.1:\\d+ \\(in\\)");

            alice.exit();
            bob.out.await("\\* #1 alice left");
            bob.exit();
        }
    }

    @Test
    void commandsSayWhatToTypeWhenTheyCannotRun() throws Exception {
        try (TestPeer alice = TestPeer.inMemory("alice")) {
            alice.type("nobody hears this");
            alice.out.await("\\* nobody to send to: /connect HOST:PORT first");
            alice.type("/msg 7 hi");
            alice.out.await("\\* no peer #7 to send to; /list shows who is connected");
            alice.type("/frobnicate");
            alice.out.await("\\* unknown command /frobnicate; /help lists the commands");
            alice.type("/list");
            alice.out.await("\\* no peers: /connect HOST:PORT to add one");
            alice.type("/help");
            alice.out.await("/msg ID TEXT .*");
            alice.type("/connect 127.0.0.1:1");
            alice.out.await(
                    "\\* cannot connect to 127\\.0\\.0\\.1:1: .*ECONNREFUSED.* \\(is a peer listening there\\?\\)");
            alice.type("/connect no-such-host.invalid:7070");
            alice.out.await("\\* cannot connect to no-such-host\\.invalid:7070: unknown host no-such-host\\.invalid.*");
            alice.type("x".repeat(LineCodec.MAX_LINE_BYTES));
            alice.out.await("\\* not sent: 4101 bytes, over the limit of 4096 per line");
            alice.exit();
        }
    }

    /** A peer that goes away, by FIN or by reset, is reported; the node goes on with a third. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"closed", "reset"})
    void aPeerThatDiesIsReportedAndTheOthersCarryOn(String how) throws Exception {
        try (TestPeer alice = TestPeer.piped("alice");
                TestPeer carol = TestPeer.piped("carol")) {
            try (RawPeer bob = RawPeer.connect(alice)) {
                bob.send("hello: bob");
                alice.out.await("\\* #1 bob joined from .*");
                alice.type("still there?");
                bob.awaitLine("say: still there?"); // unread input would turn any close into a reset
                if (how.equals("reset")) {
                    bob.reset();
                    alice.out.await("\\* #1 bob lost: .*ECONNRESET.*");
                } else {
                    bob.close();
                    alice.out.await("\\* #1 bob left");
                }
            }
            carol.connectTo(alice);
            alice.out.await("\\* #2 carol joined from .*");
            alice.type("carol, bob is gone");
            carol.out.await("\\[#1 alice\\] carol, bob is gone");
            alice.type("/list");
            alice.out.await("\\* #2 carol .*");
            assertThat(alice.out.contains("\\* #1 bob 127\\.0\\.0\\.1:\\d+ \\((in|out)\\)"))
                    .isFalse();
            carol.exit();
            alice.exit();
        }
    }

    static Stream<Arguments> badInput() {
        byte[] longLine = ("say: " + "x".repeat(5000)).getBytes(StandardCharsets.US_ASCII); // no LF at all
        return Stream.of(
                Arguments.of("over-long line", longLine, "line longer than 4096 bytes"),
                Arguments.of(
                        "invalid UTF-8", new byte[] {'s', 'a', 'y', ':', ' ', (byte) 0xC3, '(', '\n'}, "invalid UTF-8"),
                Arguments.of(
                        "escape sequence",
                        "say: \u001b[2J\u001b[31mgotcha\n".getBytes(StandardCharsets.UTF_8),
                        "control character U\\+001B"),
                Arguments.of(
                        "C1 control",
                        "say: \u009b31m\n".getBytes(StandardCharsets.UTF_8),
                        "control character U\\+009B"),
                Arguments.of("unknown message", "shout: hi\n".getBytes(StandardCharsets.UTF_8), "unknown message; .*"),
                Arguments.of("second hello", "hello: again\n".getBytes(StandardCharsets.UTF_8), "hello sent twice"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void aPeerThatSendsGarbageIsToldWhyAndDisconnectedWhileOthersCarryOn(String what, byte[] garbage, String reason)
            throws Exception {
        try (TestPeer alice = TestPeer.piped("alice");
                RawPeer bob = RawPeer.connect(alice);
                RawPeer mallory = RawPeer.connect(alice)) {
            bob.send("hello: bob");
            mallory.send("hello: mallory");
            alice.out.await("\\* #2 mallory joined from .*");
            mallory.sendBytes(garbage);
            assertThat(mallory.readLine()).matches("error: " + reason);
            assertThat(mallory.readToEnd()).isEmpty();
            alice.out.await("\\* #2 mallory dropped: " + reason);

            alice.type("bob, still with me?");
            bob.awaitLine("say: bob, still with me?");
            bob.send("say: yes");
            alice.out.await("\\[#1 bob\\] yes");
            assertThat(alice.out.toString()).doesNotContain("\u001b").doesNotContain("\u009b");
            alice.exit();
        }
    }

    @Test
    void aPeerThatSaysNothingFirstIsDroppedAfterTheHelloTimeout() throws Exception {
        PeerNode.Config config = TestPeer.config("alice").withHelloTimeout(Duration.ofMillis(200));
        try (TestPeer alice = TestPeer.piped(config);
                RawPeer silent = RawPeer.connect(alice)) {
            assertThat(silent.readLine()).isEqualTo("error: no hello within 200 ms");
            alice.out.await("\\* #1 \\(127\\.0\\.0\\.1:\\d+\\) dropped: no hello within 200 ms");
            alice.exit();
        }
    }

    @Test
    void textFromPeersIsPrintedWithoutTerminalControls() throws Exception {
        try (TestPeer alice = TestPeer.piped("alice");
                RawPeer bob = RawPeer.connect(alice)) {
            bob.send("hello: bob");
            bob.send("say: \u202Egnp.exe\u202C and \u2066isolated\u2069");
            alice.out.await("\\[#1 bob\\] \uFFFDgnp.exe\uFFFD and \uFFFDisolated\uFFFD");
            alice.exit();
        }
    }

    @Test
    void aPeerThatNeverReadsIsDroppedOnceItsOutputPassesTheBound() throws Exception {
        PeerNode.Config config = TestPeer.config("alice").withIo(IoMode.EPOLL).withMaxQueuedBytes(64 * 1024);
        try (TestPeer alice = TestPeer.piped(config);
                RawPeer reader = RawPeer.connect(alice);
                RawPeer stalled = RawPeer.connectNotReading(alice)) {
            reader.send("hello: reader");
            stalled.send("hello: stalled");
            alice.out.await("\\* #2 stalled joined from .*");
            AtomicLong received = new AtomicLong();
            Thread drain = Thread.ofVirtual().start(() -> {
                try {
                    for (String l; (l = reader.readLine()) != null; )
                        if (l.startsWith("say: ")) received.incrementAndGet();
                } catch (java.io.IOException closed) {
                    // the test closes the socket at the end
                }
            });
            String line = "y".repeat(4000);
            int sent = 0;
            // Kernel buffers on both sides take a few MiB before anything queues in the node.
            while (!alice.out.contains("\\* #2 stalled dropped: not reading .*") && sent < 20_000) {
                alice.type(line);
                sent++;
                if (sent % 10 == 0) {
                    // Keep the reader close behind, so that only the stalled peer can pass the bound.
                    long behind = sent - 10;
                    io.netloop.testing.Clients.await(
                            Duration.ofSeconds(20), "the reader keeping up", () -> received.get() >= behind);
                }
            }
            alice.out.await(
                    "\\* #2 stalled dropped: not reading \\(\\d+ bytes waiting to be sent, the bound is 65536\\)");
            alice.type("the end");
            int total = sent + 1;
            io.netloop.testing.Clients.await(
                    Duration.ofSeconds(20), "every line at the reader", () -> received.get() == total);
            alice.exit();
            reader.close();
            drain.join();
        }
    }

    @Test
    void exitClosesEveryConnectionAndTheListener() throws Exception {
        try (TestPeer alice = TestPeer.piped("alice");
                TestPeer bob = TestPeer.inMemory("bob");
                RawPeer carol = RawPeer.connect(alice)) {
            carol.send("hello: carol");
            bob.connectTo(alice);
            alice.out.await("\\* #2 bob joined from .*");
            int port = alice.port();
            alice.type("goodbye");
            alice.exit();
            assertThat(carol.readToEnd()).isEqualTo("say: goodbye\n");
            bob.out.await("\\[#1 alice\\] goodbye");
            bob.out.await("\\* #1 alice left");
            assertThat(canConnect(port)).as("listener closed").isFalse();
            bob.exit();
        }
    }

    @Test
    void endOfInputExitsAfterTheLinesBeforeIt() throws Exception {
        try (TestPeer bob = TestPeer.piped("bob");
                TestPeer alice = TestPeer.piped("alice")) {
            alice.connectTo(bob);
            alice.type("sent before the end");
            alice.closeInput();
            alice.awaitStopped();
            bob.out.await("\\[#1 alice\\] sent before the end");
            bob.out.await("\\* #1 alice left");
            bob.exit();
        }
    }

    /** epoll refuses a regular file (EPERM): the fallback thread reads it, with the same result. */
    @Test
    void aRegularFileAsInputIsReadByTheFallbackThread(@TempDir Path dir) throws Exception {
        try (TestPeer bob = TestPeer.piped("bob")) {
            Path script = Files.writeString(
                    dir.resolve("script"),
                    "/connect 127.0.0.1:" + bob.port() + "\nfrom a file\n/msg 1 last line, no line end");
            Transcript out = new Transcript();
            try (TestDescriptors.TestFile file = TestDescriptors.openForReading(script);
                    InputStream in = new FileInputStream(script.toFile())) {
                PeerNode alice =
                        PeerNode.start(TestPeer.config("alice").withIo(IoMode.EPOLL), file.fd(), in, out.stream);
                try {
                    assertThat(alice.awaitExit(Duration.ofSeconds(20)))
                            .as("%s", out)
                            .isTrue();
                } finally {
                    alice.close();
                }
            }
            assertThat(out.lines())
                    .contains("* #1 bob joined from 127.0.0.1:" + bob.port() + " (out)")
                    .last()
                    .isEqualTo("* bye");
            bob.out.await("\\[#1 alice\\] from a file");
            bob.out.await("\\[#1 alice, to you\\] last line, no line end");
            bob.out.await("\\* #1 alice left");
            bob.exit();
        }
    }

    @Test
    void anInMemoryStreamIsReadByTheFallbackThread() throws Exception {
        try (TestPeer memory = TestPeer.inMemory("memory");
                TestPeer bob = TestPeer.piped("bob")) {
            assertThat(memory.node.inputMode()).isEqualTo(DescriptorInput.Mode.THREAD);
            memory.connectTo(bob);
            memory.type("from memory");
            bob.out.await("\\[#1 memory\\] from memory");
            memory.exit();
            bob.exit();
        }
    }

    @Test
    void aBusyPortSaysWhatToDo() throws Exception {
        try (TestPeer alice = TestPeer.piped("alice")) {
            PeerNode.Config same = PeerNode.Config.of("bob", "127.0.0.1", alice.port());
            assertThat(org.assertj.core.api.Assertions.catchThrowable(
                            () -> PeerNode.start(same, -1, InputStream.nullInputStream(), new Transcript().stream)))
                    .hasMessageContaining("EADDRINUSE")
                    .hasMessageContaining("choose another --port");
            alice.exit();
        }
    }

    private static boolean canConnect(int port) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return true;
        } catch (java.io.IOException refused) {
            return false;
        }
    }
}
