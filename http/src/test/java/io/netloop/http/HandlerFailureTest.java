package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.tcp.HandlerMode;
import io.netloop.core.tcp.TcpConnection;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one failure rule, for every piece of user code the HTTP server calls: whatever it
 * throws (an exception, or an Error short of OutOfMemoryError and InternalError) ends only its
 * exchange, with a 500 where the response can still be sent and with the close of its
 * connection where part of it is out; it is logged once, with its stack; and the loop goes on
 * serving other connections.
 */
@ExtendWith(LeakCheck.class)
class HandlerFailureTest {
    /** How the failing exchange ends, as its client sees it. */
    enum Outcome {
        /** A whole 500 response. */
        ANSWERED_500,
        /** The head went out (200, or 101); the connection ends before the body does. */
        CLOSED_AFTER_HEAD,
        /** The client went away first: there is nothing left to answer. */
        CLIENT_GONE
    }

    /** Where the user code throws. */
    enum Callback {
        HANDLER_ON_THE_LOOP(Outcome.ANSWERED_500),
        HANDLER_ON_A_WORKER(Outcome.ANSWERED_500),
        HANDLER_ON_A_VIRTUAL_THREAD(Outcome.ANSWERED_500),
        HANDLER_OF_A_STREAMED_BODY(Outcome.ANSWERED_500),
        BODY_CONSUMER(Outcome.ANSWERED_500),
        BODY_END(Outcome.ANSWERED_500),
        HANDLER_AFTER_ITS_HEAD_WENT_OUT(Outcome.CLOSED_AFTER_HEAD),
        BODY_WRITER_ON_READY(Outcome.CLOSED_AFTER_HEAD),
        BODY_WRITER_EVERY(Outcome.CLOSED_AFTER_HEAD),
        BODY_WRITER_ON_CLOSE(Outcome.CLIENT_GONE),
        UPGRADE_HANDLER_ON_OPEN(Outcome.CLOSED_AFTER_HEAD);

        final Outcome outcome;

        Callback(Outcome outcome) {
            this.outcome = outcome;
        }

        boolean sendsABody() {
            return this == HANDLER_OF_A_STREAMED_BODY || this == BODY_CONSUMER || this == BODY_END;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(Callback.values())
                .flatMap(cb -> Stream.of(Failures.Kind.values()).map(k -> Arguments.of(cb, k)));
    }

    @ParameterizedTest(name = "{0} throws {1}")
    @MethodSource("cases")
    void whatUserCodeThrowsEndsItsExchangeAloneIsLoggedOnceAndTheLoopGoesOn(Callback callback, Failures.Kind kind)
            throws Exception {
        Throwable error = kind.make();
        try (Failures.LogCapture log = new Failures.LogCapture();
                HttpServer server = HttpServer.builder().port(0).build()) {
            server.get("/ok", (req, res) -> res.send("ok"));
            route(server, callback, error);
            server.start();
            try (RawClient c = RawClient.connect(server)) {
                c.send(
                        callback.sendsABody()
                                ? "POST /fail HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello"
                                : "GET /fail HTTP/1.1\r\nHost: t\r\n\r\n");
                switch (callback.outcome) {
                    case ANSWERED_500 ->
                        assertThat(c.read().status())
                                .as("the failing exchange's answer")
                                .isEqualTo(500);
                    case CLOSED_AFTER_HEAD -> {
                        String seen = readUntilClosed(c.input());
                        assertThat(seen).as("the head went out").matches("(?s)HTTP/1\\.1 (200|101) .*");
                        assertThat(seen)
                                .as("the body never ends: the close says it is broken")
                                .doesNotEndWith("0\r\n\r\n");
                    }
                    case CLIENT_GONE -> assertThat(c.input().read()).isEqualTo('H'); // the head arrives
                }
            }
            Clients.await(Duration.ofSeconds(10), "the failure logged", () -> log.count(error) > 0);
            // The loop goes on: another connection is served.
            try (RawClient other = RawClient.connect(server)) {
                assertThat(other.get("/ok").text()).isEqualTo("ok");
            }
            Thread.sleep(50); // a second record would come right after the first
            assertThat(log.count(error)).as("logged once, with its stack").isEqualTo(1);
        }
    }

    /** A route at /fail whose user code throws {@code error} at {@code callback}. */
    private static void route(HttpServer server, Callback callback, Throwable error) {
        Handler fails = (req, res) -> {
            throw Failures.sneaky(error);
        };
        Runnable failing = () -> {
            throw Failures.sneaky(error);
        };
        switch (callback) {
            case HANDLER_ON_THE_LOOP -> server.get("/fail", fails);
            case HANDLER_ON_A_WORKER -> server.get("/fail", fails).mode(HandlerMode.WORKERS);
            case HANDLER_ON_A_VIRTUAL_THREAD -> server.get("/fail", fails).mode(HandlerMode.VIRTUAL);
            case HANDLER_OF_A_STREAMED_BODY -> server.post("/fail", fails).streamBody();
            case BODY_CONSUMER ->
                server.post("/fail", (req, res) -> req.onBody((a, off, len) -> failing.run(), () -> res.send("end")))
                        .streamBody();
            case BODY_END ->
                server.post("/fail", (req, res) -> req.onBody((a, off, len) -> {}, failing))
                        .streamBody();
            case HANDLER_AFTER_ITS_HEAD_WENT_OUT ->
                server.get("/fail", (req, res) -> {
                    res.stream().write("partial");
                    failing.run();
                });
            case BODY_WRITER_ON_READY ->
                server.get("/fail", (req, res) -> {
                    BodyWriter out = res.stream();
                    out.write("partial");
                    out.onReady(failing);
                });
            case BODY_WRITER_EVERY ->
                server.get("/fail", (req, res) -> {
                    BodyWriter out = res.stream();
                    out.write("partial");
                    out.every(Duration.ofMillis(10), failing);
                });
            case BODY_WRITER_ON_CLOSE ->
                server.get("/fail", (req, res) -> {
                    BodyWriter out = res.stream();
                    out.write("partial");
                    out.onClose(failing);
                    // A write is what tells the server that the client has gone.
                    out.every(Duration.ofMillis(20), () -> out.write("tick"));
                });
            case UPGRADE_HANDLER_ON_OPEN ->
                server.get(
                        "/fail",
                        (req, res) -> res.switchProtocols("test", new UpgradeHandler() {
                            @Override
                            public void onOpen(TcpConnection c) {
                                failing.run();
                            }

                            @Override
                            public void onData(TcpConnection c, Buffer in) {
                                in.clear();
                            }
                        }));
        }
    }

    /** Everything the server sends until it closes the connection (or resets it). */
    private static String readUntilClosed(InputStream in) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] b = new byte[4096];
        try {
            for (int n; (n = in.read(b)) >= 0; ) seen.write(b, 0, n);
        } catch (SocketTimeoutException stillOpen) {
            throw new AssertionError("the connection is still open after " + seen, stillOpen);
        } catch (IOException reset) {
            // a reset ends the connection as well as a FIN does
        }
        return seen.toString(StandardCharsets.ISO_8859_1);
    }
}
