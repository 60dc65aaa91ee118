package io.netloop.core.sys.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netloop.core.sys.Errno;
import io.netloop.core.sys.ErrnoException;
import io.netloop.testing.LeakCheck;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class KernelBindingsTest {

    @Test
    void nativeAccessIsAvailableInTheTestJvm() {
        assertThat(Native.unavailableReason()).isNull();
    }

    @Test
    void epollEventIsPacked12BytesOnX86AndNatural16Elsewhere() {
        int expected = Native.ARCH == Native.Arch.X86_64 ? 12 : 16;
        assertThat(Epoll.EVENT_SIZE).isEqualTo(expected);
    }

    @Test
    void errnoReadsAsNameAndMessage() {
        assertThat(Errno.describe(Errno.EMFILE)).isEqualTo("EMFILE (Too many open files)");
        assertThat(Errno.name(Errno.ECONNRESET)).isEqualTo("ECONNRESET");
    }

    @Test
    void failedCallNamesTheCallAndTheErrno() throws Exception {
        int fd = Net.socket(SysConst.AF_INET, SysConst.SOCK_STREAM);
        try {
            // accept4 on a socket that is not listening: EINVAL.
            assertThatThrownBy(() -> Net.accept(fd))
                    .isInstanceOf(ErrnoException.class)
                    .hasMessage("accept4: EINVAL (Invalid argument)")
                    .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(Errno.EINVAL));
        } finally {
            Net.close(fd);
        }
    }

    @Test
    void acceptOnAnEmptyQueueIsWouldBlockNotAnException() throws Exception {
        int fd = listener(InetAddress.getLoopbackAddress());
        try {
            assertThat(Net.accept(fd)).isEqualTo(Net.WOULD_BLOCK);
        } finally {
            Net.close(fd);
        }
    }

    @Test
    void sockaddrRoundTripsIpv4AndIpv6() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocate(SockAddr.STORAGE_SIZE);
            InetSocketAddress v4 = new InetSocketAddress(InetAddress.getLoopbackAddress(), 65_000);
            assertThat(SockAddr.encode(v4, sa)).isEqualTo(16);
            assertThat(SockAddr.decode(sa)).isEqualTo(v4);
            InetSocketAddress v6 = new InetSocketAddress("::1", 8080);
            assertThat(SockAddr.encode(v6, sa)).isEqualTo(28);
            assertThat(SockAddr.decode(sa)).isEqualTo(v6);
        }
    }

    @Test
    void bindListenAcceptReadAndSendOverIpv4AndIpv6() throws Exception {
        for (InetAddress host : new InetAddress[] {InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")}) {
            int lfd = listener(host);
            try {
                InetSocketAddress bound = Net.localAddress(lfd);
                assertThat(bound.getAddress()).isEqualTo(host);
                try (Socket client = new Socket(host, bound.getPort())) {
                    int cfd = acceptSoon(lfd);
                    try {
                        assertThat(Net.peerAddress(cfd).getPort()).isEqualTo(client.getLocalPort());
                        client.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                        byte[] buf = new byte[16];
                        int n = readSoon(cfd, buf);
                        assertThat(new String(buf, 0, n, StandardCharsets.US_ASCII))
                                .isEqualTo("ping");
                        assertThat(Net.send(cfd, "pong".getBytes(StandardCharsets.US_ASCII), 0, 4))
                                .isEqualTo(4);
                        assertThat(client.getInputStream().readNBytes(4))
                                .asString()
                                .isEqualTo("pong");
                    } finally {
                        Net.close(cfd);
                    }
                }
            } finally {
                Net.close(lfd);
            }
        }
    }

    @Test
    void readAtEndOfStreamReturnsZeroAndSendToAResetPeerIsAnErrnoException() throws Exception {
        int lfd = listener(InetAddress.getLoopbackAddress());
        try {
            int cfd;
            try (Socket client = new Socket(
                    InetAddress.getLoopbackAddress(), Net.localAddress(lfd).getPort())) {
                cfd = acceptSoon(lfd);
                client.setSoLinger(true, 0); // close sends RST
            }
            try {
                byte[] buf = new byte[8];
                long deadline = System.nanoTime() + 5_000_000_000L;
                ErrnoException failure = null;
                while (failure == null && System.nanoTime() < deadline) {
                    try {
                        if (Net.send(cfd, buf, 0, buf.length) == Net.WOULD_BLOCK) Thread.sleep(1);
                    } catch (ErrnoException e) {
                        failure = e;
                    }
                }
                assertThat(failure).isNotNull();
                assertThat(failure.isPeerGone()).as(failure.getMessage()).isTrue();
                assertThat(failure.getMessage()).startsWith("send: E");
            } finally {
                Net.close(cfd);
            }
        } finally {
            Net.close(lfd);
        }
    }

    @Test
    void socketOptionsRoundTrip() throws Exception {
        int fd = Net.socket(SysConst.AF_INET, SysConst.SOCK_STREAM);
        try {
            Net.setInt(fd, SysConst.IPPROTO_TCP, SysConst.TCP_NODELAY, 1);
            assertThat(Net.getInt(fd, SysConst.IPPROTO_TCP, SysConst.TCP_NODELAY))
                    .isEqualTo(1);
            Net.setLinger(fd, 0);
            assertThat(Net.getLinger(fd)).isZero();
            Net.setLinger(fd, -1);
            assertThat(Net.getLinger(fd)).isEqualTo(-1);
        } finally {
            Net.close(fd);
        }
    }

    @Test
    void eventFdWakesEpollAndDrainClearsIt() throws Exception {
        int epfd = Epoll.create();
        try (Arena arena = Arena.ofConfined();
                EventFd efd = new EventFd()) {
            MemorySegment scratch = Epoll.allocateEvents(arena, 1);
            MemorySegment events = Epoll.allocateEvents(arena, 4);
            Epoll.ctl(epfd, SysConst.EPOLL_CTL_ADD, efd.fd(), SysConst.EPOLLIN, 42L, scratch);
            assertThat(Epoll.wait(epfd, events, 4, 0)).isZero();
            efd.signal();
            efd.signal();
            assertThat(Epoll.wait(epfd, events, 4, 1000)).isEqualTo(1);
            assertThat(Epoll.data(events, 0)).isEqualTo(42L);
            assertThat(Epoll.events(events, 0) & SysConst.EPOLLIN).isNotZero();
            efd.drain();
            assertThat(Epoll.wait(epfd, events, 4, 0)).isZero();
        } finally {
            Net.close(epfd);
        }
    }

    @Test
    void fileLimitIsReadable() throws Exception {
        Limits.FileLimit limit = Limits.openFiles();
        assertThat(limit.soft()).isPositive().isLessThanOrEqualTo(limit.hard());
    }

    @Test
    void sendfileCopiesAFileToASocket() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("netloop", ".bin");
        try {
            java.nio.file.Files.writeString(file, "zero-copy");
            try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                int fd = Net.socket(SysConst.AF_INET, SysConst.SOCK_STREAM);
                int in = Fds.openReadOnly(file.toString());
                try (Arena arena = Arena.ofConfined()) {
                    Net.connect(fd, new InetSocketAddress(InetAddress.getLoopbackAddress(), ss.getLocalPort()));
                    try (Socket peer = ss.accept()) {
                        MemorySegment off = arena.allocate(8, 8);
                        long sent = 0;
                        long deadline = System.nanoTime() + 5_000_000_000L;
                        while (sent < 9 && System.nanoTime() < deadline) {
                            long n = Net.sendfile(fd, in, off, 9 - sent);
                            if (n > 0) sent += n;
                        }
                        assertThat(sent).isEqualTo(9);
                        assertThat(peer.getInputStream().readNBytes(9))
                                .asString()
                                .isEqualTo("zero-copy");
                    }
                } finally {
                    Fds.close(in);
                    Net.close(fd);
                }
            }
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    @Test
    void openBeneathOpensInsideTheDirectoryAndRefusesEveryWayOut() throws Exception {
        java.nio.file.Path top = java.nio.file.Files.createTempDirectory("netloop-beneath");
        java.nio.file.Path root = java.nio.file.Files.createDirectory(top.resolve("root"));
        try {
            java.nio.file.Files.writeString(root.resolve("a.txt"), "12345");
            java.nio.file.Files.writeString(top.resolve("secret.txt"), "no");
            java.nio.file.Files.createSymbolicLink(root.resolve("out"), java.nio.file.Path.of("../secret.txt"));
            int dir = Fds.openDirectory(root.toString());
            try {
                int fd = Fds.openBeneath(dir, "a.txt");
                try {
                    Fds.FileStat st = Fds.stat(fd);
                    assertThat(st.regularFile()).isTrue();
                    assertThat(st.directory()).isFalse();
                    assertThat(st.size()).isEqualTo(5);
                    assertThat(st.inode()).isPositive();
                    assertThat(st.mtimeNanos() / 1_000_000_000L)
                            .isEqualTo(java.nio.file.Files.getLastModifiedTime(root.resolve("a.txt"))
                                            .toMillis()
                                    / 1000);
                } finally {
                    Fds.close(fd);
                }
                assertThat(Fds.stat(dir).directory()).isTrue();
                for (String way : new String[] {"../secret.txt", "out", "/etc/passwd"}) {
                    assertThatThrownBy(() -> Fds.openBeneath(dir, way))
                            .as(way)
                            .isInstanceOf(ErrnoException.class)
                            .hasMessageStartingWith("openat2: EXDEV");
                }
                assertThatThrownBy(() -> Fds.openBeneath(dir, "missing"))
                        .hasMessage("openat2: ENOENT (No such file or directory) missing");
            } finally {
                Fds.close(dir);
            }
        } finally {
            try (var files = java.nio.file.Files.walk(top)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aPipeCarriesBytesAndReadsEndOfStreamOnceItsWriteEndCloses() throws Exception {
        int[] ends = Fds.pipe();
        try {
            byte[] hello = "hello\n".getBytes(StandardCharsets.US_ASCII);
            Net.writeBlocking(ends[1], hello, 0, hello.length);
            Fds.close(ends[1]);
            byte[] got = new byte[16];
            assertThat(Net.readBlocking(ends[0], got, 0, got.length)).isEqualTo(hello.length);
            assertThat(new String(got, 0, hello.length, StandardCharsets.US_ASCII))
                    .isEqualTo("hello\n");
            assertThat(Net.readBlocking(ends[0], got, 0, got.length)).isZero();
        } finally {
            Fds.close(ends[0]);
        }
    }

    @Test
    void openingAFifoWithoutAWriterDoesNotBlock() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("netloop-fifo");
        java.nio.file.Path fifo = dir.resolve("pipe");
        try {
            assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor())
                    .isZero();
            int root = Fds.openDirectory(dir.toString());
            try {
                // Blocking here would stall a whole event loop; the test would hang instead of failing fast.
                int fd = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                            try {
                                return Fds.openBeneath(root, "pipe");
                            } catch (ErrnoException e) {
                                throw new IllegalStateException(e);
                            }
                        })
                        .get(5, java.util.concurrent.TimeUnit.SECONDS);
                try {
                    assertThat(Fds.stat(fd).regularFile()).isFalse();
                } finally {
                    Fds.close(fd);
                }
            } finally {
                Fds.close(root);
            }
        } finally {
            java.nio.file.Files.deleteIfExists(fifo);
            java.nio.file.Files.deleteIfExists(dir);
        }
    }

    private static int listener(InetAddress host) throws ErrnoException {
        int fd = Net.socket(
                host instanceof java.net.Inet6Address ? SysConst.AF_INET6 : SysConst.AF_INET, SysConst.SOCK_STREAM);
        Net.bind(fd, new InetSocketAddress(host, 0));
        Net.listen(fd, 16);
        return fd;
    }

    private static int acceptSoon(int lfd) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            int fd = Net.accept(lfd);
            if (fd >= 0) return fd;
            Thread.sleep(1);
        }
        throw new AssertionError("no connection to accept");
    }

    private static int readSoon(int fd, byte[] buf) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            int n = Net.read(fd, buf, 0, buf.length);
            if (n != Net.WOULD_BLOCK) return n;
            Thread.sleep(1);
        }
        throw new AssertionError("nothing to read");
    }
}
