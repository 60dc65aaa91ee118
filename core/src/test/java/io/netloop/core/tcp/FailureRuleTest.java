package io.netloop.core.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.transport.NetOption;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one failure rule, for every callback of a connection handler: whatever the handler
 * throws (an exception, or an Error short of OutOfMemoryError and InternalError) closes that
 * connection, is logged once with its stack, and the loop goes on serving the others, on
 * the loop and on workers alike.
 */
@ExtendWith(LeakCheck.class)
class FailureRuleTest {
    enum Callback {
        ON_OPEN,
        ON_DATA,
        ON_INPUT_CLOSED,
        ON_HIGH_WATER,
        ON_LOW_WATER,
        ON_CLOSE
    }

    enum Kind {
        STACK_OVERFLOW {
            Throwable make() {
                try {
                    return recurse(0) > 0 ? null : null;
                } catch (StackOverflowError e) {
                    return e; // a real one, as a runaway recursion throws it
                }
            }
        },
        ASSERTION {
            Throwable make() {
                return new AssertionError("an assertion in a handler");
            }
        },
        LINKAGE {
            Throwable make() {
                return new NoClassDefFoundError("com/example/Missing");
            }
        },
        INITIALIZER {
            Throwable make() {
                return new ExceptionInInitializerError(new IllegalStateException("a static initialiser failed"));
            }
        },
        RUNTIME {
            Throwable make() {
                return new IllegalStateException("a bug in a handler");
            }
        };

        abstract Throwable make();

        private static int recurse(int n) {
            return recurse(n + 1) + 1;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(Callback.values())
                .flatMap(cb -> Stream.of(Kind.values())
                        .flatMap(k ->
                                Stream.of(HandlerMode.LOOP, HandlerMode.WORKERS).map(m -> Arguments.of(cb, k, m))));
    }

    private static final int BIG = 1024 * 1024;
    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getThrown() != null) logged.add(r);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void captureLogs() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        Logger.getLogger("").removeHandler(capture);
    }

    /** The first connection's handler throws at {@code callback}; the others echo. */
    private static final class Victim implements ConnectionHandler {
        final Callback callback;
        final Throwable error;
        final boolean throwing;
        final Map<Integer, Throwable> closes;
        final AtomicInteger closeCalls;

        Victim(
                Callback callback,
                Throwable error,
                boolean throwing,
                Map<Integer, Throwable> closes,
                AtomicInteger closeCalls) {
            this.callback = callback;
            this.error = error;
            this.throwing = throwing;
            this.closes = closes;
            this.closeCalls = closeCalls;
        }

        private void maybeThrow(Callback at) {
            if (throwing && callback == at) throw sneaky(error);
        }

        @Override
        public void onOpen(TcpConnection c) {
            maybeThrow(Callback.ON_OPEN);
        }

        @Override
        public void onData(TcpConnection c, Buffer in) {
            if (throwing && (callback == Callback.ON_HIGH_WATER || callback == Callback.ON_LOW_WATER)) {
                in.clear();
                c.send(new byte[BIG]); // far past the high-water mark while the client does not read
                return;
            }
            maybeThrow(Callback.ON_DATA);
            c.send(in);
        }

        @Override
        public void onInputClosed(TcpConnection c) {
            maybeThrow(Callback.ON_INPUT_CLOSED);
            c.shutdownOutput();
        }

        @Override
        public void onHighWater(TcpConnection c, int queued) {
            maybeThrow(Callback.ON_HIGH_WATER);
        }

        @Override
        public void onLowWater(TcpConnection c) {
            maybeThrow(Callback.ON_LOW_WATER);
        }

        @Override
        public void onClose(TcpConnection c, Throwable cause) {
            if (throwing) {
                // The cause first: the test reads it as soon as it sees the count.
                closes.put(0, cause == null ? new NullPointerException("no cause") : cause);
                closeCalls.incrementAndGet();
            }
            maybeThrow(Callback.ON_CLOSE);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }

    @ParameterizedTest(name = "{0} throws {1} ({2})")
    @MethodSource("cases")
    void whatAHandlerThrowsClosesItsConnectionAloneIsLoggedOnceAndTheLoopGoesOn(
            Callback callback, Kind kind, HandlerMode mode) throws Exception {
        Throwable error = kind.make();
        Map<Integer, Throwable> closes = new ConcurrentHashMap<>();
        AtomicInteger closeCalls = new AtomicInteger();
        AtomicInteger connections = new AtomicInteger();
        try (TcpServer server = TcpServer.builder()
                        .handlers(mode)
                        .workers(2, 64)
                        // Small buffers, so that the queue rises past the high-water mark while the client does not
                        // read.
                        .childOption(NetOption.SO_SNDBUF, 16 * 1024)
                        .connectionConfig(ConnectionConfig.DEFAULT.withHighWaterMark(64 * 1024, 16 * 1024))
                        .handler(() ->
                                new Victim(callback, error, connections.getAndIncrement() == 0, closes, closeCalls))
                        .start();
                Socket victim = Clients.connect(server.port())) {
            provoke(callback, victim);
            Clients.await(Duration.ofSeconds(10), "the victim's onClose", () -> closeCalls.get() > 0);
            if (callback != Callback.ON_CLOSE) {
                assertThat(closes.get(0))
                        .as("the handler hears why its connection closed")
                        .isSameAs(error);
                assertThat(endOfStreamOrReset(victim))
                        .as("the victim's connection is closed")
                        .isTrue();
            }
            // The loop goes on: a new connection is served.
            try (Socket bystander = Clients.connect(server.port())) {
                bystander.getOutputStream().write("still here".getBytes());
                assertThat(Clients.readExactly(bystander.getInputStream(), 10))
                        .asString()
                        .isEqualTo("still here");
            }
            Clients.await(Duration.ofSeconds(5), "the failure logged", () -> countLogged(error) > 0);
            Thread.sleep(50); // a second record would come right after the first
            assertThat(countLogged(error)).as("logged once, with its stack").isEqualTo(1);
            assertThat(closeCalls.get()).as("onClose exactly once").isEqualTo(1);
        }
    }

    private long countLogged(Throwable error) {
        return logged.stream()
                .filter(r -> r.getThrown() == error && r.getLevel().intValue() >= Level.WARNING.intValue())
                .count();
    }

    private static void provoke(Callback callback, Socket victim) throws IOException, InterruptedException {
        switch (callback) {
            case ON_OPEN -> {}
            case ON_DATA -> victim.getOutputStream().write('x');
            case ON_INPUT_CLOSED -> victim.shutdownOutput();
            case ON_HIGH_WATER -> victim.getOutputStream().write('x'); // the answer is 1 MiB, unread
            case ON_LOW_WATER -> {
                victim.getOutputStream().write('x');
                Thread.sleep(200); // let the queue rise past the high-water mark, then drain it
                drain(victim.getInputStream());
            }
            case ON_CLOSE -> victim.close();
        }
    }

    private static void drain(InputStream in) {
        byte[] b = new byte[64 * 1024];
        try {
            while (in.read(b) >= 0) {
                // read until the server closes the connection
            }
        } catch (IOException closedOrReset) {
            // the connection ended: that is what the test waits for
        }
    }

    private static boolean endOfStreamOrReset(Socket s) {
        if (s.isClosed()) return true;
        try {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            byte[] b = new byte[64 * 1024];
            while (in.read(b) >= 0) {
                // whatever was sent before the close, then the end
            }
            return true;
        } catch (IOException reset) {
            return true;
        }
    }
}
