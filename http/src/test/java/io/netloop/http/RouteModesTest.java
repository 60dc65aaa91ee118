package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.IoMode;
import io.netloop.core.tcp.HandlerMode;
import io.netloop.testing.AllTransports;
import io.netloop.testing.LeakCheck;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Routes whose handlers run on workers or virtual threads, and routes that stream their request body. */
@ExtendWith(LeakCheck.class)
class RouteModesTest {

    @ParameterizedTest
    @EnumSource(
            value = HandlerMode.class,
            names = {"WORKERS", "VIRTUAL"})
    void blockingHandlersOffTheLoopServeManyClientsAndNeverRunOnALoopThread(HandlerMode mode) throws Exception {
        AtomicInteger onLoop = new AtomicInteger();
        HttpServer server = TestServers.start(
                IoMode.EPOLL,
                s -> s.get("/slow/{n}", (req, res) -> {
                            for (var l : s.tcp().loops()) if (l.inLoop()) onLoop.incrementAndGet();
                            Thread.sleep(50); // blocking work: allowed here
                            res.send("done " + req.param("n"));
                        })
                        .mode(mode),
                b -> b.threads(2).workers(8, 16));
        try (server;
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> replies = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                int n = i;
                replies.add(pool.submit(() -> {
                    try (RawClient c = RawClient.connect(server)) {
                        RawClient.Resp r = c.get("/slow/" + n);
                        return r.status() + " " + new String(r.body(), StandardCharsets.UTF_8);
                    }
                }));
            }
            for (int i = 0; i < 50; i++)
                assertThat(replies.get(i).get(30, TimeUnit.SECONDS)).isEqualTo("200 done " + i);
        }
        assertThat(onLoop.get()).isZero();
    }

    @ParameterizedTest
    @EnumSource(
            value = HandlerMode.class,
            names = {"WORKERS", "VIRTUAL"})
    void pipelinedRequestsToAnOffloadedRouteAreAnsweredInOrder(HandlerMode mode) throws Exception {
        HttpServer server = TestServers.start(
                IoMode.EPOLL,
                s -> s.get("/n/{n}", (req, res) -> {
                            int n = Integer.parseInt(req.param("n"));
                            Thread.sleep((n % 3) * 5L); // later requests may finish first if order were not kept
                            res.send("n=" + n);
                        })
                        .mode(mode));
        try (server;
                RawClient c = RawClient.connect(server)) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < 30; i++) all.append("GET /n/").append(i).append(" HTTP/1.1\r\nHost: t\r\n\r\n");
            c.send(all.toString());
            for (int i = 0; i < 30; i++) {
                assertThat(new String(c.read().body(), StandardCharsets.UTF_8)).isEqualTo("n=" + i);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = HandlerMode.class,
            names = {"WORKERS", "VIRTUAL"})
    void aThrowingOffloadedHandlerGives500AndTheConnectionGoesOn(HandlerMode mode) throws Exception {
        HttpServer server = TestServers.start(IoMode.EPOLL, s -> {
            s.get("/boom", (req, res) -> {
                        throw new IllegalStateException("failure on purpose (expected in this test)");
                    })
                    .mode(mode);
            s.get("/ok", (req, res) -> res.send("ok")).mode(mode);
        });
        try (server;
                RawClient c = RawClient.connect(server)) {
            assertThat(c.get("/boom").status()).isEqualTo(500);
            assertThat(c.get("/ok").status()).isEqualTo(200);
        }
    }

    @Test
    void aVirtualThreadStreamsALargeBodyAtTheClientsPace() throws Exception {
        int pieces = 2_000, size = 10_000; // 20 MB, written by a blocking loop
        HttpServer server = TestServers.start(
                IoMode.EPOLL,
                s -> s.get("/big", (req, res) -> {
                            BodyWriter w = res.type("application/octet-stream").stream();
                            SplittableRandom rnd = new SplittableRandom(1);
                            byte[] piece = new byte[size];
                            for (int i = 0; i < pieces; i++) {
                                rnd.nextBytes(piece);
                                if (!w.write(piece)) return; // the client went away
                            }
                            w.end();
                        })
                        .mode(HandlerMode.VIRTUAL));
        try (server;
                RawClient c = RawClient.connect(server)) {
            RawClient.Resp r = c.get("/big");
            assertThat(r.status()).isEqualTo(200);
            SplittableRandom rnd = new SplittableRandom(1);
            MessageDigest expected = MessageDigest.getInstance("SHA-256");
            byte[] piece = new byte[size];
            for (int i = 0; i < pieces; i++) {
                rnd.nextBytes(piece);
                expected.update(piece);
            }
            assertThat(HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(r.body())))
                    .isEqualTo(HexFormat.of().formatHex(expected.digest()));
        }
    }

    @AllTransports
    void aStreamedUploadReachesTheHandlerPieceByPieceWithoutBeingAggregated(IoMode io) throws Exception {
        int total = 50 * 1024 * 1024; // 50 MiB, far over the server's 1 MiB body limit for aggregated bodies
        HttpServer server = TestServers.start(
                io,
                s -> s.post("/upload", (req, res) -> {
                            MessageDigest sha = MessageDigest.getInstance("SHA-256");
                            long[] bytes = {0};
                            req.onBody(
                                    (a, off, len) -> {
                                        sha.update(a, off, len);
                                        bytes[0] += len;
                                    },
                                    () -> res.send(
                                            bytes[0] + " " + HexFormat.of().formatHex(sha.digest()) + " aggregated="
                                                    + req.body().length));
                        })
                        .streamBody()
                        .maxBodySize(100L * 1024 * 1024));
        try (server;
                RawClient c = RawClient.connect(server)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            c.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: " + total + "\r\n\r\n");
            SplittableRandom rnd = new SplittableRandom(9);
            byte[] piece = new byte[64 * 1024];
            for (int sent = 0; sent < total; sent += piece.length) {
                rnd.nextBytes(piece);
                sha.update(piece);
                c.send(piece);
            }
            RawClient.Resp r = c.read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(new String(r.body(), StandardCharsets.UTF_8))
                    .isEqualTo(total + " " + HexFormat.of().formatHex(sha.digest()) + " aggregated=0");
            assertThat(c.get("/upload").status())
                    .as("the connection stays usable")
                    .isEqualTo(405);
        }
    }

    @Test
    void aChunkedStreamedUploadWorksToo() throws Exception {
        HttpServer server = TestServers.start(
                IoMode.EPOLL,
                s -> s.put("/up", (req, res) -> {
                            StringBuilder got = new StringBuilder();
                            req.onBody(
                                    (a, off, len) -> got.append(new String(a, off, len, StandardCharsets.US_ASCII)),
                                    () -> res.send("got:" + got));
                        })
                        .streamBody());
        try (server;
                RawClient c = RawClient.connect(server)) {
            c.send("PUT /up HTTP/1.1\r\n"
                    + "Host: t\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n"
                    + "5\r\n"
                    + "hello\r\n"
                    + "6\r\n"
                    + " world\r\n"
                    + "0\r\n\r\n");
            RawClient.Resp r = c.read();
            assertThat(new String(r.body(), StandardCharsets.US_ASCII)).isEqualTo("got:hello world");
            assertThat(r.header("Connection")).isNull();
        }
    }

    @Test
    void aStreamingHandlerThatAnswersBeforeTheBodyClosesTheConnection() throws Exception {
        HttpServer server = TestServers.start(
                IoMode.EPOLL,
                s -> s.post("/reject", (req, res) -> res.status(403).send("no")).streamBody());
        try (server;
                RawClient c = RawClient.connect(server)) {
            c.send("POST /reject HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n" + "x".repeat(1000));
            RawClient.Resp r = c.read();
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.header("Connection")).isEqualToIgnoringCase("close");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aStreamingRouteWithoutABodyStillGetsItsEndCallback() throws Exception {
        HttpServer server = TestServers.start(
                IoMode.EPOLL,
                s -> s.get("/s", (req, res) -> req.onBody((a, off, len) -> {}, () -> res.send("ended")))
                        .streamBody());
        try (server;
                RawClient c = RawClient.connect(server)) {
            assertThat(new String(c.get("/s").body(), StandardCharsets.US_ASCII))
                    .isEqualTo("ended");
            assertThat(new String(c.get("/s").body(), StandardCharsets.US_ASCII))
                    .isEqualTo("ended");
        }
    }
}
