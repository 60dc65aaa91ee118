package io.netloop.core.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.buffer.BufferPool;
import io.netloop.core.loop.LoopStats;
import io.netloop.core.loop.TimingWheel;
import io.netloop.core.tcp.internal.OutboundQueue;
import io.netloop.core.transport.StreamSocket;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A connection's timeouts on a timing wheel driven by a fake clock: no sleeps, no loop. */
class ConnectionTimeoutsTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private long now = 1_000_000_000L;
    private final TimingWheel wheel = new TimingWheel(10 * MS, 64, now);
    private final WriteCounter socket = new WriteCounter();
    private final OutboundQueue output =
            new OutboundQueue(socket, null, new LoopStats(), new BufferPool(1024, 4), 1 << 20, 1 << 10, 1 << 20);
    private final Subject subject = new Subject();

    /** A socket whose send buffer takes what {@link #room} allows. */
    private static final class WriteCounter implements StreamSocket {
        int room;

        @Override
        public int write(byte[] src, int off, int len) {
            int n = Math.min(len, room);
            room -= n;
            return n;
        }

        @Override
        public int read(byte[] dst, int off, int len) {
            return 0;
        }

        @Override
        public long transferFrom(io.netloop.core.file.OpenFile f, long p, long c) {
            return 0;
        }

        @Override
        public int pendingError() {
            return 0;
        }

        @Override
        public void shutdownOutput() {}

        @Override
        public boolean finishConnect() {
            return true;
        }

        @Override
        public java.net.InetSocketAddress localAddress() {
            return null;
        }

        @Override
        public java.net.InetSocketAddress remoteAddress() {
            return null;
        }

        @Override
        public void close() {}

        @Override
        public int fd() {
            return -1;
        }

        @Override
        public <T> void set(io.netloop.core.transport.NetOption<T> o, T v) {}

        @Override
        public <T> T get(io.netloop.core.transport.NetOption<T> o) {
            return null;
        }
    }

    private final class Subject implements ConnectionTimeouts.Watched {
        boolean open = true;
        boolean busy;
        long lastActivity = now;
        final List<String> timeouts = new ArrayList<>();

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public long lastActivityNanos() {
            return lastActivity;
        }

        @Override
        public boolean isHandlerBusy() {
            return busy;
        }

        @Override
        public void timedOut(SocketTimeoutException cause, boolean reset) {
            timeouts.add((reset ? "reset: " : "") + cause.getMessage());
            open = false;
        }
    }

    private ConnectionTimeouts timeouts(ConnectionConfig config) {
        return new ConnectionTimeouts(wheel, () -> now, config, output, subject);
    }

    private void advance(long nanos) {
        now += nanos;
        wheel.advance(now);
    }

    @Test
    void aConnectionWithNoBytesEitherWayForTheIdleTimeoutIsClosed() {
        timeouts(ConnectionConfig.DEFAULT.withIdleTimeout(Duration.ofMillis(500)))
                .start();
        advance(490 * MS);
        assertThat(subject.timeouts).isEmpty();
        advance(30 * MS);
        assertThat(subject.timeouts).containsExactly("idle for more than 500 ms");
    }

    @Test
    void activityMovesTheIdleDeadlineOn() {
        timeouts(ConnectionConfig.DEFAULT.withIdleTimeout(Duration.ofMillis(500)))
                .start();
        advance(400 * MS);
        subject.lastActivity = now;
        advance(300 * MS);
        assertThat(subject.timeouts)
                .as("700 ms since start, 300 since the last byte")
                .isEmpty();
        advance(220 * MS);
        assertThat(subject.timeouts).hasSize(1);
    }

    @Test
    void aHandlerAtWorkOnAWorkerIsNotIdleness() {
        timeouts(ConnectionConfig.DEFAULT.withIdleTimeout(Duration.ofMillis(100)))
                .start();
        subject.busy = true;
        advance(1000 * MS);
        assertThat(subject.timeouts).isEmpty();
        subject.busy = false;
        subject.lastActivity = now;
        advance(130 * MS);
        assertThat(subject.timeouts).hasSize(1);
    }

    @Test
    void aFilterNotEstablishedInTimeClosesTheConnection() {
        timeouts(ConnectionConfig.DEFAULT).expectEstablished(200 * MS);
        advance(230 * MS);
        assertThat(subject.timeouts).containsExactly("not established within 200 ms");
    }

    @Test
    void anEstablishedFilterCancelsItsTimeout() {
        ConnectionTimeouts t = timeouts(ConnectionConfig.DEFAULT);
        t.expectEstablished(200 * MS);
        t.established();
        advance(1000 * MS);
        assertThat(subject.timeouts).isEmpty();
        assertThat(wheel.size()).isZero();
    }

    @Test
    void queuedOutputThatDoesNotDrainIsResetAfterTheWriteWindow() throws IOException {
        ConnectionTimeouts t = timeouts(ConnectionConfig.DEFAULT.withWriteTimeout(Duration.ofMillis(300), 0));
        output.send(new byte[100], 0, 100); // the socket takes nothing
        t.outputQueued();
        advance(330 * MS);
        assertThat(subject.timeouts).containsExactly("reset: no output sent for 330 ms with 100 bytes queued");
    }

    @Test
    void outputThatDrainsSlowerThanTheMinimumRateIsReset() throws IOException {
        ConnectionTimeouts t = timeouts(ConnectionConfig.DEFAULT.withWriteTimeout(Duration.ofMillis(1000), 1000));
        output.send(new byte[5000], 0, 5000);
        t.outputQueued();
        advance(500 * MS);
        socket.room = 200; // 200 bytes in a second: under 1000/s
        output.flush();
        advance(530 * MS);
        assertThat(subject.timeouts)
                .singleElement()
                .asString()
                .startsWith("reset: sent 200 bytes in 1030 ms, under the minimum of 1000 bytes/s");
    }

    @Test
    void outputDrainingFastEnoughGetsANewWindowEachTime() throws IOException {
        ConnectionTimeouts t = timeouts(ConnectionConfig.DEFAULT.withWriteTimeout(Duration.ofMillis(100), 1000));
        output.send(new byte[5000], 0, 5000);
        t.outputQueued();
        for (int i = 0; i < 10; i++) {
            socket.room = 200; // 2000 bytes/s
            output.flush();
            advance(110 * MS);
        }
        assertThat(subject.timeouts).isEmpty();
    }

    @Test
    void aClosedConnectionLeavesNothingOnTheWheel() {
        ConnectionTimeouts t = timeouts(ConnectionConfig.DEFAULT
                .withIdleTimeout(Duration.ofSeconds(60))
                .withWriteTimeout(Duration.ofSeconds(30), 1024));
        t.start();
        t.expectEstablished(10 * MS * 100);
        t.outputQueued();
        assertThat(wheel.size()).isEqualTo(3);
        t.cancelAll();
        assertThat(wheel.size()).isZero();
    }
}
