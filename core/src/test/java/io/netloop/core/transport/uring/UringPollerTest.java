package io.netloop.core.transport.uring;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.loop.IoMode;
import io.netloop.core.sys.Errno;
import io.netloop.core.sys.ErrnoException;
import io.netloop.core.tcp.ConnectionHandler;
import io.netloop.core.tcp.TcpConnection;
import io.netloop.core.tcp.TcpServer;
import io.netloop.core.transport.Interest;
import io.netloop.core.transport.ListenSocket;
import io.netloop.core.transport.NetOption;
import io.netloop.core.transport.SocketConfig;
import io.netloop.core.transport.StreamSocket;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The io_uring poller's own contract, driven by hand on the test thread (the ring becomes that
 * thread's, as a loop's becomes its thread's): readiness emulated over completions, what an idle
 * or a stalled connection holds of the loop's memory, the send budget, late completions, one
 * io_uring_enter per turn, and a close that frees everything. What every transport does (echo,
 * half-close, files, water marks...) runs on io_uring through {@code @AllTransports}.
 */
@ExtendWith(LeakCheck.class)
class UringPollerTest {
    private static final long LISTENER = 1;
    private static final long CONNECTION = 2;
    private static final long DEADLINE_NANOS = 10_000_000_000L;

    private UringPoller poller;
    private ListenSocket listener;
    private final List<AutoCloseable> closeLast = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        poller = (UringPoller) UringTransport.INSTANCE.newPoller();
        listener = UringTransport.INSTANCE.listen(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16, SocketConfig.EMPTY);
        poller.register(listener, LISTENER, Interest.READ, 0);
    }

    @AfterEach
    void close() throws Exception {
        listener.close();
        for (AutoCloseable c : closeLast) c.close();
        poller.close();
        assertThat(poller.released()).as("every native byte freed").isTrue();
    }

    /** Polls until {@code token} is reported with one of {@code ops}; returns what was reported. */
    private int awaitReport(long token, int ops) throws Exception {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (System.nanoTime() < deadline) {
            int[] got = {0};
            poller.poll(50, (t, o) -> {
                if (t == token) got[0] |= o;
            });
            if ((got[0] & ops) != 0) return got[0];
        }
        throw new AssertionError("no report of " + Interest.toString(ops) + " for token " + token);
    }

    /** Reports of {@code token} in one poll that does not wait. */
    private int pollNow(long token) throws Exception {
        int[] got = {0};
        poller.poll(0, (t, o) -> {
            if (t == token) got[0] |= o;
        });
        return got[0];
    }

    private void pollUntil(String what, java.util.function.BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            poller.poll(20, (t, o) -> {});
        }
    }

    private StreamSocket accept() throws Exception {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        for (; ; ) {
            StreamSocket s = listener.accept();
            if (s != null) {
                closeLast.add(s);
                return s;
            }
            if (System.nanoTime() > deadline) throw new AssertionError("nothing accepted");
            awaitReport(LISTENER, Interest.READ);
        }
    }

    private Socket client() throws Exception {
        Socket c = Clients.connect(listener.localAddress().getPort());
        closeLast.add(c);
        return c;
    }

    private static String read(StreamSocket s, int max) throws Exception {
        byte[] b = new byte[max];
        int n = s.read(b, 0, max);
        return n <= 0 ? "" : new String(b, 0, n, StandardCharsets.US_ASCII);
    }

    @Test
    void thisMachineHasIoUring() {
        assertThat(UringTransport.unavailableReason())
                .as("io_uring here (the io_uring runs of @AllTransports fail with this reason elsewhere)")
                .isNull();
        assertThat(IoMode.parse("io_uring").resolve()).isEqualTo(IoMode.IO_URING);
    }

    @Test
    void aRefusedSetupSaysWhatIsMissing() {
        assertThat(UringSupport.setupRefused(new ErrnoException("io_uring_setup", Errno.EPERM)))
                .startsWith("io_uring is not permitted here (io_uring_setup: EPERM (Operation not permitted))")
                .contains("kernel.io_uring_disabled is ")
                .contains("seccomp");
        assertThat(UringSupport.setupRefused(new ErrnoException("io_uring_setup", Errno.ENOSYS)))
                .isEqualTo("this kernel has no io_uring (io_uring_setup: ENOSYS (Function not implemented))");
    }

    @Test
    void readIsReportedWhileCompletedInputWaitsUnread() throws Exception {
        Socket c = client();
        StreamSocket s = accept();
        poller.register(s, CONNECTION, Interest.READ, 0);
        c.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
        awaitReport(CONNECTION, Interest.READ);
        assertThat(read(s, 2)).isEqualTo("he");
        // Level-triggered: what is left is reported again, with nothing new from the peer.
        assertThat(pollNow(CONNECTION) & Interest.READ).isNotZero();
        assertThat(read(s, 100)).isEqualTo("llo");
        assertThat(pollNow(CONNECTION) & Interest.READ).isZero();
        assertThat(s.read(new byte[8], 0, 8)).as("nothing now, not the end").isZero();
        c.shutdownOutput();
        int ops = awaitReport(CONNECTION, Interest.READ);
        assertThat(ops & Interest.PEER_SHUTDOWN).isNotZero();
        assertThat(s.read(new byte[8], 0, 8)).isEqualTo(StreamSocket.EOF);
    }

    /**
     * FIN is shutdown(2) by the loop, not IORING_OP_SHUTDOWN in the ring: an io-wq worker runs
     * that one, looking the descriptor number up only then, possibly after this socket's close,
     * on the connection that had the number by then (a lost response, issue 16). So with
     * nothing unsent it goes at once, with no turn of the loop; after a write, as the write's
     * last send completes, with none after.
     */
    @Test
    void aHalfCloseIsNoRingOperationLeftToRunAfterTheClose() throws Exception {
        Socket idle = client();
        StreamSocket s = accept();
        poller.register(s, CONNECTION, Interest.READ, 0);
        s.shutdownOutput();
        idle.setSoTimeout(5_000);
        assertThat(idle.getInputStream().read()).as("FIN, without a poll").isEqualTo(-1);

        Socket answered = client();
        StreamSocket t = accept();
        poller.register(t, CONNECTION + 1, Interest.READ, 0);
        t.write("431".getBytes(StandardCharsets.US_ASCII), 0, 3);
        t.shutdownOutput();
        pollUntil("the send's completion", () -> poller.chunksInUse() == 0);
        answered.setSoTimeout(5_000);
        assertThat(Clients.readToEnd(answered))
                .asString(StandardCharsets.US_ASCII)
                .isEqualTo("431");
    }

    @Test
    void anIdleConnectionHoldsNoBufferAndNoSendChunk() throws Exception {
        Socket c = client();
        StreamSocket s = accept();
        poller.register(s, CONNECTION, Interest.READ, 0);
        c.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
        awaitReport(CONNECTION, Interest.READ);
        assertThat(poller.buffersHeld()).isOne();
        assertThat(read(s, 100)).isEqualTo("ping");
        s.write("pong".getBytes(StandardCharsets.US_ASCII), 0, 4);
        assertThat(poller.chunksInUse()).isOne();
        poller.poll(0, (t, o) -> {}); // submits it
        assertThat(Clients.readExactly(c.getInputStream(), 4))
                .asString(StandardCharsets.US_ASCII)
                .isEqualTo("pong");
        pollUntil("the send's completion", () -> poller.chunksInUse() == 0);
        assertThat(poller.buffersHeld())
                .as("provided buffers held by an idle connection")
                .isZero();
    }

    @Test
    void aReaderThatStopsHoldsAtMostItsShareOfTheBuffersAndTheRestWaitsInTheKernel() throws Exception {
        Socket c = client();
        StreamSocket s = accept();
        poller.register(s, CONNECTION, Interest.READ, 0);
        int limit = poller.settings.maxHeldBuffers();
        int size = poller.settings.bufferSize();
        byte[] burst = new byte[4 << 20];
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                c.getOutputStream().write(burst);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        // Nobody reads: the receive is cancelled once the socket holds its limit.
        pollUntil("the socket to hold its limit", () -> poller.buffersHeld() >= limit);
        for (int i = 0; i < 20; i++) poller.poll(10, (t, o) -> {});
        // The kernel bounds a multishot receive in bytes (limit × buffer size): a completion that
        // fills a buffer only partly lets one more buffer in, so the bound is near the limit, not on it.
        assertThat(poller.buffersHeld())
                .as("buffers held, about " + limit + " (a byte bound)")
                .isBetween(limit, 2 * limit);
        assertThat(poller.bufferShortages())
                .as("the loop's buffers never ran out")
                .isZero();
        // Reading again arms the receive again: everything arrives.
        long got = 0;
        byte[] b = new byte[64 * 1024];
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (got < burst.length && System.nanoTime() < deadline) {
            int n = s.read(b, 0, b.length);
            if (n > 0) got += n;
            else poller.poll(20, (t, o) -> {});
        }
        writer.join(10_000);
        assertThat(got).isEqualTo(burst.length);
        assertThat(poller.buffersHeld()).isZero();
        assertThat(size * limit).isGreaterThanOrEqualTo(64 * 1024);
    }

    @Test
    void writesStopAtTheSendBudgetAndWriteIsReportedOnceThePeerReads() throws Exception {
        Socket c = new Socket();
        c.setReceiveBufferSize(4096); // before connect: a small window from the start
        c.connect(listener.localAddress(), 5_000);
        closeLast.add(c);
        StreamSocket s = accept();
        s.set(NetOption.SO_SNDBUF, 4096);
        poller.register(s, CONNECTION, Interest.READ, 0);
        byte[] block = new byte[100_000];
        long staged = 0;
        for (int n; (n = s.write(block, 0, block.length)) > 0; ) staged += n;
        assertThat(staged).as("bytes taken before write said 0").isEqualTo(poller.settings.sendBudget());
        poller.update(s, CONNECTION, Interest.READ | Interest.WRITE, 0);
        for (int i = 0; i < 20; i++) {
            assertThat(pollNow(CONNECTION) & Interest.WRITE)
                    .as("no room while the peer reads nothing")
                    .isZero();
        }
        InputStream in = c.getInputStream();
        int all = (int) staged;
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                Clients.readExactly(in, all);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        awaitReport(CONNECTION, Interest.WRITE);
        reader.join(10_000);
        assertThat(reader.isAlive()).isFalse();
    }

    @Test
    void aClosedSocketsLateCompletionsGiveTheirBuffersBackAndItsSlotGoes() throws Exception {
        Socket c = client();
        StreamSocket s = accept();
        poller.register(s, CONNECTION, Interest.READ, 0);
        c.getOutputStream().write(new byte[50_000]);
        pollUntil("input held", () -> poller.buffersHeld() > 0);
        poller.deregister(s, true);
        s.close(); // unread input, a receive still armed: cancelled, then closed, in the ring
        pollUntil("the socket's last completion", () -> poller.boundSources() == 1);
        assertThat(poller.buffersHeld()).isZero();
        assertThat(c.getInputStream().read()).as("the peer sees the close").isIn(-1);
        // The slot is free for the next socket, whose completions are its own.
        Socket c2 = client();
        StreamSocket s2 = accept();
        poller.register(s2, CONNECTION + 1, Interest.READ, 0);
        c2.getOutputStream().write("second".getBytes(StandardCharsets.US_ASCII));
        awaitReport(CONNECTION + 1, Interest.READ);
        assertThat(read(s2, 100)).isEqualTo("second");
    }

    @Test
    void eachTurnIsOneIoUringEnter() throws Exception {
        Socket c = client();
        StreamSocket s = accept();
        poller.register(s, CONNECTION, Interest.READ, 0);
        long enters = poller.enters();
        long polls = 0;
        for (int i = 0; i < 50; i++) {
            c.getOutputStream().write('x');
            int[] got = {0};
            while ((got[0] & Interest.READ) == 0) {
                polls++;
                poller.poll(1_000, (t, o) -> {
                    if (t == CONNECTION) got[0] |= o;
                });
            }
            assertThat(read(s, 10)).isEqualTo("x");
            s.write(new byte[] {'y'}, 0, 1); // staged: the next turn's enter submits it
            polls++;
            poller.poll(0, (t, o) -> {});
            assertThat(c.getInputStream().read()).isEqualTo('y');
        }
        assertThat(poller.enters() - enters)
                .as("io_uring_enter calls for " + polls + " turns")
                .isEqualTo(polls);
    }

    /** The older setups (no deferred task running, or none of the task-running flags) serve too. */
    @ParameterizedTest
    @ValueSource(strings = {"coop", "plain"})
    void olderSetupsServeToo(String setup) throws Exception {
        System.setProperty("netloop.uring.setup", setup);
        try {
            try (UringPoller p = (UringPoller) UringTransport.INSTANCE.newPoller()) {
                assertThat(p.setup()).as("with netloop.uring.setup=" + setup).doesNotContain("DEFER_TASKRUN");
            }
            try (TcpServer server = TcpServer.builder()
                            .io(IoMode.IO_URING)
                            .handler(() -> new ConnectionHandler() {
                                @Override
                                public void onData(TcpConnection conn, Buffer in) {
                                    conn.send(in);
                                }
                            })
                            .start();
                    Socket c = Clients.connect(server.port())) {
                for (int i = 0; i < 100; i++) {
                    byte[] msg = ("echo " + i + " over " + setup).getBytes(StandardCharsets.US_ASCII);
                    c.getOutputStream().write(msg);
                    assertThat(Clients.readExactly(c.getInputStream(), msg.length))
                            .isEqualTo(msg);
                }
            }
        } finally {
            System.clearProperty("netloop.uring.setup");
        }
    }
}
