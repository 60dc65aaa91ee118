package io.netloop.core.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.Channel;
import io.netloop.core.loop.EventLoop;
import io.netloop.core.loop.IoMode;
import io.netloop.testing.LeakCheck;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The seeds' central distinction, checked against the kernel: level-triggered reports
 * unread data again and again; edge-triggered reports it once per arrival; one-shot reports
 * once until re-armed.
 */
@ExtendWith(LeakCheck.class)
class TriggerModesTest {

    @Test
    void levelTriggeredReportsUnreadDataOnEveryWait() throws Exception {
        assertThat(readinessReportsWhileDataStaysUnread(IoMode.EPOLL, false)).isGreaterThan(10);
    }

    @Test
    void nioIsLevelTriggeredToo() throws Exception {
        assertThat(readinessReportsWhileDataStaysUnread(IoMode.NIO, false)).isGreaterThan(10);
    }

    @Test
    void pollAndSelectAreLevelTriggered() throws Exception {
        assertThat(readinessReportsWhileDataStaysUnread(IoMode.POLL, false)).isGreaterThan(10);
        assertThat(readinessReportsWhileDataStaysUnread(IoMode.SELECT, false)).isGreaterThan(10);
    }

    @Test
    void oneShotOnPollAndSelectReportsOnceUntilRearmed() throws Exception {
        assertThat(readinessReportsWhileDataStaysUnread(IoMode.POLL, true)).isEqualTo(1);
        assertThat(readinessReportsWhileDataStaysUnread(IoMode.SELECT, true)).isEqualTo(1);
    }

    @Test
    void edgeTriggeredReportsUnreadDataOnce() throws Exception {
        assertThat(readinessReportsWhileDataStaysUnread(IoMode.EPOLL_ET, false)).isEqualTo(1);
    }

    @Test
    void oneShotReportsOnceUntilRearmed() throws Exception {
        assertThat(readinessReportsWhileDataStaysUnread(IoMode.EPOLL, true)).isEqualTo(1);
    }

    @Test
    void oneShotOnNioReportsOnceUntilRearmed() throws Exception {
        assertThat(readinessReportsWhileDataStaysUnread(IoMode.NIO, true)).isEqualTo(1);
    }

    @Test
    void edgeTriggeredReportsAgainWhenNewDataArrives() throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                EventLoop loop = EventLoop.open(IoMode.EPOLL_ET)) {
            AtomicInteger reports = new AtomicInteger();
            connect(loop, ss, reports); // the loop owns the socket and closes it when it stops
            try (Socket peer = ss.accept()) {
                OutputStream out = peer.getOutputStream();
                out.write(1);
                awaitReports(reports, 1);
                out.write(2);
                awaitReports(reports, 2);
                Thread.sleep(100);
                assertThat(reports.get()).isEqualTo(2);
            }
        }
    }

    /** Writes one byte that nobody reads, waits 200 ms, and counts READ reports. */
    private static int readinessReportsWhileDataStaysUnread(IoMode io, boolean oneShot) throws Exception {
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                EventLoop loop = EventLoop.open(io)) {
            AtomicInteger reports = new AtomicInteger();
            connect(loop, ss, reports, oneShot); // the loop owns the socket and closes it when it stops
            try (Socket peer = ss.accept()) {
                peer.getOutputStream().write(42);
                awaitReports(reports, 1);
                Thread.sleep(200);
                return reports.get();
            }
        }
    }

    private static StreamSocket connect(EventLoop loop, ServerSocket ss, AtomicInteger reports) throws Exception {
        return connect(loop, ss, reports, false);
    }

    private static StreamSocket connect(EventLoop loop, ServerSocket ss, AtomicInteger reports, boolean oneShot)
            throws Exception {
        CompletableFuture<StreamSocket> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                StreamSocket s = loop.transport()
                        .connect(
                                new InetSocketAddress(InetAddress.getLoopbackAddress(), ss.getLocalPort()),
                                SocketConfig.EMPTY);
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (!s.finishConnect() && System.nanoTime() < deadline) Thread.sleep(1);
                Channel ch = loop.newChannel(s, ops -> {
                    if ((ops & Interest.READ) != 0) reports.incrementAndGet();
                });
                ch.setOneShot(oneShot);
                ch.enableReading();
                loop.own(() -> {
                    ch.remove();
                    s.close();
                });
                f.complete(s);
            } catch (Exception e) {
                f.completeExceptionally(e);
            }
        });
        return f.get(5, TimeUnit.SECONDS);
    }

    private static void awaitReports(AtomicInteger reports, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (reports.get() < n && System.nanoTime() < deadline) Thread.sleep(1);
        assertThat(reports.get()).isGreaterThanOrEqualTo(n);
    }
}
