package io.netloop.core.udp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.loop.EventLoop;
import io.netloop.core.loop.IoMode;
import io.netloop.core.sys.Errno;
import io.netloop.core.sys.ErrnoException;
import io.netloop.core.transport.DatagramConfig;
import io.netloop.core.transport.NetOption;
import io.netloop.core.transport.linux.EpollDatagramSocket;
import io.netloop.core.transport.nio.NioDatagramSocket;
import io.netloop.core.transport.uring.UringDatagramSocket;
import io.netloop.testing.AllTransports;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link UdpSocket} on every transport that has UDP, checked by plain JDK datagram sockets
 * that share no code with it.
 */
@ExtendWith(LeakCheck.class)
class UdpSocketTest {
    private static final DatagramHandler ECHO = (socket, sender, data) -> socket.send(sender, data);

    @ParameterizedTest(name = "{0} over {1}")
    @CsvSource({
        "EPOLL, 127.0.0.1",
        "EPOLL_ET, 127.0.0.1",
        "NIO, 127.0.0.1",
        "EPOLL, ::1",
        "EPOLL_ET, ::1",
        "NIO, ::1",
        "POLL, 127.0.0.1",
        "SELECT, ::1"
    })
    void echoesADatagramToItsSender(IoMode io, String host) throws Exception {
        try (EventLoop loop = EventLoop.open(io)) {
            UdpSocket server = UdpSocket.builder().bind(host, 0).handler(ECHO).open(loop);
            try (Peer peer = new Peer(host)) {
                byte[] hello = ("hello over " + io).getBytes(StandardCharsets.UTF_8);
                DatagramPacket reply = peer.request(server.localAddress(), hello);
                assertThat(reply.getData()).asString(StandardCharsets.UTF_8).isEqualTo("hello over " + io);
                assertThat(reply.getSocketAddress()).isEqualTo(server.localAddress());
            }
            assertThat(server.localAddress().getPort()).isPositive();
        }
    }

    @AllTransports(edgeTriggered = false)
    void aDualStackSocketOnTheIpv6WildcardAnswersAnIpv4Sender(IoMode io) throws Exception {
        try (EventLoop loop = EventLoop.open(io);
                Peer peer = new Peer("127.0.0.1")) {
            UdpSocket server = UdpSocket.builder().bind("::", 0).handler(ECHO).open(loop);
            DatagramPacket reply = peer.request(
                    new InetSocketAddress("127.0.0.1", server.localAddress().getPort()),
                    "v4 to v6".getBytes(StandardCharsets.US_ASCII));
            assertThat(reply.getData()).asString(StandardCharsets.US_ASCII).isEqualTo("v4 to v6");
        }
    }

    /** The failure rule for datagram handlers: a datagram whose handler throws is lost, the next one is served. */
    @AllTransports(edgeTriggered = false)
    void aHandlerThrowingAnErrorForOneDatagramDoesNotStopTheSocketOrTheLoop(IoMode io) throws Exception {
        DatagramHandler picky = (socket, sender, data) -> {
            String s = data.readAllAsString();
            switch (s) {
                case "overflow" -> throw new StackOverflowError("expected in this test");
                case "assert" -> throw new AssertionError("expected in this test");
                case "linkage" -> throw new NoClassDefFoundError("expected/in/ThisTest");
                default -> socket.send(sender, s.getBytes(StandardCharsets.US_ASCII));
            }
        };
        try (EventLoop loop = EventLoop.open(io);
                Peer peer = new Peer("127.0.0.1")) {
            UdpSocket server = UdpSocket.builder().handler(picky).open(loop);
            for (String bad : new String[] {"overflow", "assert", "linkage"}) {
                peer.socket.send(new DatagramPacket(
                        bad.getBytes(StandardCharsets.US_ASCII), bad.length(), server.localAddress()));
            }
            DatagramPacket reply = peer.request(server.localAddress(), "after".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII))
                    .isEqualTo("after");
            assertThat(server.isOpen()).isTrue();
        }
    }

    @AllTransports
    void theLargestIpv4DatagramRoundTripsByteExact(IoMode io) throws Exception {
        byte[] big = new byte[65_507];
        new Random(65_507).nextBytes(big);
        try (EventLoop loop = EventLoop.open(io);
                Peer peer = new Peer("127.0.0.1")) {
            UdpSocket server = UdpSocket.builder().handler(ECHO).open(loop);
            DatagramPacket reply = peer.request(server.localAddress(), big);
            assertThat(reply.getLength()).isEqualTo(65_507);
            assertThat(reply.getData()).isEqualTo(big);
        }
    }

    /**
     * 10,000 datagrams as fast as one thread sends them. UDP may lose some, so the test
     * counts and prints what came back and asserts only what loopback guarantees:
     * <ul>
     *   <li>no datagram comes back changed, none twice, so received + lost == sent;</li>
     *   <li>at least as many come back as the smaller receive buffer holds. Loopback drops a
     *       datagram only when the receiving socket's buffer is full (the sender's packet is
     *       delivered in its own system call, so the device backlog never fills), and a
     *       buffer that started empty cannot be full before it has taken
     *       {@code SO_RCVBUF / truesize} datagrams. A 64-byte datagram costs 832 bytes of
     *       truesize on this kernel; the bound assumes 2048.</li>
     * </ul>
     */
    @AllTransports
    void aBurstOf10000DatagramsComesBackUncorruptedWithoutDuplicatesAndLossBoundedByTheBuffers(IoMode io)
            throws Exception {
        int sent = 10_000;
        int size = 64;
        int bufferRequest = 4 << 20;
        try (EventLoop loop = EventLoop.open(io);
                Peer peer = new Peer("127.0.0.1")) {
            UdpSocket server = UdpSocket.builder()
                    .option(NetOption.SO_RCVBUF, bufferRequest)
                    .handler(ECHO)
                    .open(loop);
            int serverBuffer = onLoop(loop, () -> server.option(NetOption.SO_RCVBUF));
            peer.socket.setReceiveBufferSize(bufferRequest);
            int peerBuffer = peer.socket.getReceiveBufferSize();

            BitSet seen = new BitSet(sent);
            int[] duplicates = {0};
            int[] corrupt = {0};
            Thread reader = Thread.ofPlatform().name("burst-reader").start(() -> {
                byte[] b = new byte[size + 1];
                DatagramPacket p = new DatagramPacket(b, b.length);
                try {
                    peer.socket.setSoTimeout(1_000);
                    while (seen.cardinality() + duplicates[0] + corrupt[0] < sent) {
                        p.setLength(b.length);
                        peer.socket.receive(p); // a second of silence ends the count
                        int seq = ByteBuffer.wrap(b).getInt();
                        if (p.getLength() != size || seq < 0 || seq >= sent || !matches(b, seq, size)) {
                            corrupt[0]++;
                        } else if (seen.get(seq)) {
                            duplicates[0]++;
                        } else {
                            seen.set(seq);
                        }
                    }
                } catch (SocketTimeoutException quiet) {
                    // what has not come back by now is lost
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            byte[] d = new byte[size];
            for (int seq = 0; seq < sent; seq++) {
                fill(d, seq);
                peer.socket.send(new DatagramPacket(d, size, server.localAddress()));
            }
            reader.join(30_000);
            assertThat(reader.isAlive()).isFalse();

            int received = seen.cardinality();
            int lost = sent - received;
            UdpSocket.Stats stats = onLoop(loop, server::stats);
            System.out.printf(
                    "UDP burst over %s: sent %d, received %d, lost %d; server got %d in %d receive calls "
                            + "(%.1f per call), sent %d in %d calls, dropped %d; SO_RCVBUF server %d, peer %d%n",
                    io,
                    sent,
                    received,
                    lost,
                    stats.datagramsIn(),
                    stats.receiveCalls(),
                    stats.datagramsPerReceiveCall(),
                    stats.datagramsOut(),
                    stats.sendCalls(),
                    stats.dropped(),
                    serverBuffer,
                    peerBuffer);
            assertThat(corrupt[0]).as("datagrams that came back changed").isZero();
            assertThat(duplicates[0]).as("datagrams that came back twice").isZero();
            assertThat(stats.datagramsIn())
                    .as("the server echoes what it got: the client cannot get more")
                    .isGreaterThanOrEqualTo(received);
            int floor = Math.min(sent, Math.min(serverBuffer, peerBuffer) / 2048);
            assertThat(received)
                    .as("received, at least what the smaller receive buffer holds (" + floor + ")")
                    .isGreaterThanOrEqualTo(floor);
            assertThat(stats.datagramsIn()).isGreaterThanOrEqualTo(received);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"EPOLL", "EPOLL_ET"})
    void recvmmsgAndSendmmsgMoveManyDatagramsPerSystemCall(IoMode io) throws Exception {
        try (EventLoop loop = EventLoop.open(io);
                Peer peer = new Peer("127.0.0.1")) {
            UdpSocket server = UdpSocket.builder().handler(ECHO).open(loop);
            // Hold the loop while 100 datagrams queue up in the kernel, so they are there to batch.
            holdWhile(loop, () -> {
                for (int i = 0; i < 100; i++) {
                    byte[] d = ("datagram " + i).getBytes(StandardCharsets.US_ASCII);
                    peer.socket.send(new DatagramPacket(d, d.length, server.localAddress()));
                }
            });
            List<String> replies = peer.receive(100);
            assertThat(replies).hasSize(100).contains("datagram 0", "datagram 99");
            UdpSocket.Stats stats = onLoop(loop, server::stats);
            // 64 per wake-up (the read budget) in batches of 16: 16+16+16+16, then 16+16+4.
            assertThat(stats.datagramsIn()).isEqualTo(100);
            assertThat(stats.receiveCalls()).isEqualTo(7);
            // The replies to each batch leave together, in one sendmmsg after it.
            assertThat(stats.datagramsOut()).isEqualTo(100);
            assertThat(stats.sendCalls()).isEqualTo(7);
        }
    }

    @AllTransports
    void aHandlerMayCloseTheSocketInTheMiddleOfABatch(IoMode io) throws Exception {
        List<java.util.logging.LogRecord> failures = Collections.synchronizedList(new ArrayList<>());
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(EventLoop.class.getName());
        java.util.logging.Handler collect = new java.util.logging.Handler() {
            public void publish(java.util.logging.LogRecord r) {
                failures.add(r);
            }

            public void flush() {}

            public void close() {}
        };
        log.addHandler(collect);
        try (EventLoop loop = EventLoop.open(io);
                Peer peer = new Peer("127.0.0.1")) {
            List<String> delivered = Collections.synchronizedList(new ArrayList<>());
            UdpSocket socket = UdpSocket.builder()
                    .handler((s, from, data) -> {
                        delivered.add(data.readAllAsString());
                        s.close();
                    })
                    .open(loop);
            holdWhile(loop, () -> {
                for (int i = 0; i < 5; i++)
                    peer.socket.send(new DatagramPacket(new byte[] {(byte) ('a' + i)}, 1, socket.localAddress()));
            });
            Clients.await(Duration.ofSeconds(5), "the socket closed", () -> !socket.isOpen());
            assertThat(onLoop(loop, () -> delivered)).containsExactly("a");
            assertThat(failures).isEmpty();
        } finally {
            log.removeHandler(collect);
        }
    }

    @Test
    void nioReceivesOneDatagramPerCall() throws Exception {
        try (EventLoop loop = EventLoop.open(IoMode.NIO);
                Peer peer = new Peer("127.0.0.1")) {
            UdpSocket server = UdpSocket.builder().handler(ECHO).open(loop);
            for (int i = 0; i < 10; i++) peer.request(server.localAddress(), new byte[] {(byte) i});
            UdpSocket.Stats stats = onLoop(loop, server::stats);
            assertThat(stats.datagramsIn()).isEqualTo(10);
            assertThat(stats.datagramsPerReceiveCall()).isLessThanOrEqualTo(1.0);
        }
    }

    @AllTransports
    void anOversizeSendIsReportedAsEmsgsizeAndTheSocketGoesOn(IoMode io) throws Exception {
        List<IOException> errors = Collections.synchronizedList(new ArrayList<>());
        try (EventLoop loop = EventLoop.open(io);
                Peer peer = new Peer("127.0.0.1")) {
            UdpSocket socket = UdpSocket.builder()
                    .handler(new DatagramHandler() {
                        public void onDatagram(UdpSocket s, InetSocketAddress sender, Buffer data) {
                            s.send(sender, data);
                        }

                        public void onError(UdpSocket s, InetSocketAddress peerAddress, IOException error) {
                            errors.add(error);
                        }
                    })
                    .open(loop);
            boolean accepted = onLoop(loop, () -> socket.send(peer.address(), new byte[65_508]));
            assertThat(accepted).isFalse();
            assertThat(errors).hasSize(1);
            assertThat(errors.getFirst())
                    .isInstanceOf(ErrnoException.class)
                    .hasMessageContaining("EMSGSIZE (Message too long) (a datagram of 65508 bytes to ")
                    .hasMessageContaining("at most 65507 bytes over IPv4");
            assertThat(((ErrnoException) errors.getFirst()).errno()).isEqualTo(Errno.EMSGSIZE);
            assertThat(peer.request(socket.localAddress(), "still here".getBytes(StandardCharsets.US_ASCII))
                            .getLength())
                    .isEqualTo(10);
            assertThat(onLoop(loop, socket::stats).errors()).isEqualTo(1);
        }
    }

    @AllTransports(edgeTriggered = false)
    void sendsFromAnotherThreadGoThroughTheLoop(IoMode io) throws Exception {
        try (EventLoop loop = EventLoop.open(io);
                Peer peer = new Peer("127.0.0.1")) {
            UdpSocket socket =
                    UdpSocket.builder().handler((s, from, data) -> {}).open(loop);
            assertThat(socket.send(peer.address(), "from the test thread".getBytes(StandardCharsets.US_ASCII)))
                    .isTrue();
            assertThat(peer.receive(1)).containsExactly("from the test thread");
        }
    }

    @Test
    void aFullSendQueueDropsTheDatagramAndCountsIt() throws Exception {
        // Room for one queued 100-byte datagram: the second reply to each datagram is dropped.
        DatagramConfig oneDatagram =
                new DatagramConfig(16, DatagramConfig.MAX_DATAGRAM, 64, 100 + DatagramConfig.QUEUE_OVERHEAD);
        List<Boolean> accepted = Collections.synchronizedList(new ArrayList<>());
        try (EventLoop loop = EventLoop.open(IoMode.EPOLL);
                Peer peer = new Peer("127.0.0.1")) {
            UdpSocket socket = UdpSocket.builder()
                    .config(oneDatagram)
                    .handler((s, from, data) -> {
                        byte[] reply = data.readAll();
                        accepted.add(s.send(from, reply));
                        accepted.add(s.send(from, reply));
                    })
                    .open(loop);
            byte[] d = new byte[100];
            peer.socket.send(new DatagramPacket(d, d.length, socket.localAddress()));
            assertThat(peer.receive(1)).hasSize(1);
            Clients.await(Duration.ofSeconds(5), "both sends", () -> accepted.size() == 2);
            assertThat(accepted).containsExactly(true, false);
            UdpSocket.Stats stats = onLoop(loop, socket::stats);
            assertThat(stats.dropped()).isEqualTo(1);
            assertThat(stats.datagramsOut()).isEqualTo(1);
        }
    }

    @AllTransports(edgeTriggered = false)
    void aDatagramLongerThanMaxDatagramSizeIsDroppedReportedOnceAndCounted(IoMode io) throws Exception {
        List<IOException> errors = Collections.synchronizedList(new ArrayList<>());
        DatagramConfig small = new DatagramConfig(16, 100, 64, 1 << 20);
        try (EventLoop loop = EventLoop.open(io);
                Peer peer = new Peer("127.0.0.1")) {
            UdpSocket socket = UdpSocket.builder()
                    .config(small)
                    .handler(new DatagramHandler() {
                        public void onDatagram(UdpSocket s, InetSocketAddress sender, Buffer data) {
                            s.send(sender, data);
                        }

                        public void onError(UdpSocket s, InetSocketAddress from, IOException error) {
                            errors.add(error);
                        }
                    })
                    .open(loop);
            peer.socket.send(new DatagramPacket(new byte[200], 200, socket.localAddress()));
            peer.socket.send(new DatagramPacket(new byte[200], 200, socket.localAddress()));
            assertThat(peer.request(socket.localAddress(), new byte[100]).getLength())
                    .isEqualTo(100);
            UdpSocket.Stats stats = onLoop(loop, socket::stats);
            assertThat(stats.truncated()).isEqualTo(2);
            assertThat(stats.datagramsIn()).isEqualTo(1);
            assertThat(errors).hasSize(1);
            assertThat(errors.getFirst()).hasMessageContaining("longer than maxDatagramSize (100 bytes)");
        }
    }

    @AllTransports(edgeTriggered = false)
    void optionsAreSetBeforeBind(IoMode io) throws Exception {
        try (EventLoop loop = EventLoop.open(io)) {
            UdpSocket a = UdpSocket.builder()
                    .option(NetOption.SO_RCVBUF, 1 << 20)
                    .option(NetOption.SO_SNDBUF, 1 << 20)
                    .option(NetOption.SO_BROADCAST, true)
                    .option(NetOption.SO_REUSEPORT, true)
                    .handler((s, from, data) -> {})
                    .open(loop);
            // Linux doubles the request for its bookkeeping.
            assertThat(onLoop(loop, () -> a.option(NetOption.SO_RCVBUF))).isGreaterThanOrEqualTo(1 << 20);
            assertThat(onLoop(loop, () -> a.option(NetOption.SO_SNDBUF))).isGreaterThanOrEqualTo(1 << 20);
            assertThat(onLoop(loop, () -> a.option(NetOption.SO_BROADCAST))).isTrue();
            // SO_REUSEPORT on both: a second socket binds the same port.
            UdpSocket b = UdpSocket.builder()
                    .bind(a.localAddress())
                    .option(NetOption.SO_REUSEPORT, true)
                    .handler((s, from, data) -> {})
                    .open(loop);
            assertThat(b.localAddress()).isEqualTo(a.localAddress());
        }
    }

    @AllTransports(edgeTriggered = false)
    void closingReleasesTheDescriptorAndItsMemory(IoMode io) throws Exception {
        try (EventLoop loop = EventLoop.open(io)) {
            int before = LeakCheck.ioDescriptors().size();
            List<UdpSocket> sockets = new ArrayList<>();
            for (int i = 0; i < 10; i++)
                sockets.add(UdpSocket.builder().handler(ECHO).open(loop));
            assertThat(LeakCheck.ioDescriptors().size()).isGreaterThanOrEqualTo(before + 10);
            sockets.forEach(UdpSocket::close);
            Clients.await(
                    Duration.ofSeconds(5),
                    "descriptors back to " + before,
                    () -> LeakCheck.ioDescriptors().size() <= before);
            assertThat(sockets).noneMatch(UdpSocket::isOpen);
            assertThat(sockets).allMatch(s -> switch (s.socket()) {
                case EpollDatagramSocket e -> e.released();
                case UringDatagramSocket u -> u.released();
                case NioDatagramSocket n -> n.released();
                default -> false;
            });
            assertThat(onLoop(loop, loop::channelCount)).isZero();
            // Closed: a send is refused, not queued.
            assertThat(onLoop(loop, () -> sockets.getFirst().send(sockets.get(1).localAddress(), new byte[1])))
                    .isFalse();
        }
    }

    // --- helpers ---------------------------------------------------------------------------

    private static void fill(byte[] d, int seq) {
        ByteBuffer.wrap(d).putInt(seq);
        for (int i = 4; i < d.length; i++) d[i] = (byte) (seq * 31 + i);
    }

    private static boolean matches(byte[] d, int seq, int size) {
        for (int i = 4; i < size; i++) if (d[i] != (byte) (seq * 31 + i)) return false;
        return true;
    }

    interface Action {
        void run() throws Exception;
    }

    /** Runs {@code action} while the loop is busy in a task, so what it sends waits in the kernel. */
    static void holdWhile(EventLoop loop, Action action) throws Exception {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        loop.execute(() -> {
            held.countDown();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
            action.run();
        } finally {
            done.countDown();
        }
    }

    static <T> T onLoop(EventLoop loop, Callable<T> call) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                f.complete(call.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(10, TimeUnit.SECONDS);
    }

    /** A blocking JDK datagram socket: the independent other end. */
    static final class Peer implements AutoCloseable {
        final java.net.DatagramSocket socket;

        Peer(String host) throws IOException {
            socket = new java.net.DatagramSocket(new InetSocketAddress(InetAddress.getByName(host), 0));
            socket.setSoTimeout(10_000);
        }

        InetSocketAddress address() {
            return (InetSocketAddress) socket.getLocalSocketAddress();
        }

        /** Sends one datagram to {@code to} and waits for one back; the packet holds exactly the reply. */
        DatagramPacket request(InetSocketAddress to, byte[] data) throws IOException {
            socket.send(new DatagramPacket(data, data.length, to));
            byte[] b = new byte[65_536];
            DatagramPacket p = new DatagramPacket(b, b.length);
            socket.receive(p);
            p.setData(java.util.Arrays.copyOf(b, p.getLength()));
            return p;
        }

        List<String> receive(int n) throws IOException {
            List<String> out = new ArrayList<>();
            byte[] b = new byte[65_536];
            for (int i = 0; i < n; i++) {
                DatagramPacket p = new DatagramPacket(b, b.length);
                socket.receive(p);
                out.add(new String(b, 0, p.getLength(), StandardCharsets.UTF_8));
            }
            return out;
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
