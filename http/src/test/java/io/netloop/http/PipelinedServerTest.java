package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.IoMode;
import io.netloop.testing.AllTransports;
import io.netloop.testing.LeakCheck;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;

/** Pipelining and long keep-alive: responses strictly in request order, on every poller. */
@ExtendWith(LeakCheck.class)
class PipelinedServerTest {

    private static HttpServer start(IoMode io) throws Exception {
        return TestServers.start(
                io,
                s -> {
                    TestServers.demoRoutes(s);
                    // Answers later, from a timer: later requests must still wait for it.
                    s.get("/slow/{n}", (req, res) -> {
                        BodyWriter w = res.stream();
                        io.netloop.core.loop.EventLoop loop = s.tcp().loop();
                        loop.schedule(
                                () -> {
                                    w.write("slow " + req.param("n"));
                                    w.end();
                                },
                                20,
                                TimeUnit.MILLISECONDS);
                    });
                    s.get(
                            "/bytes/{n}",
                            (req, res) -> res.type("application/octet-stream")
                                    .send(pattern(Integer.parseInt(req.param("n")))));
                },
                b -> b.maxRequestsPerConnection(20_000)); // above the 10,000 of the long keep-alive test
    }

    @AllTransports
    void hundredPipelinedRequestsInOneWriteAreAnsweredInOrder(IoMode io) throws Exception {
        try (HttpServer s = start(io);
                RawClient c = RawClient.connect(s)) {
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                String target = i % 10 == 5 ? "/slow/" + i : i % 10 == 7 ? "/boom" : "/users/" + i;
                all.append("GET ").append(target).append(" HTTP/1.1\r\nHost: t\r\n\r\n");
            }
            c.send(all.toString());
            for (int i = 0; i < 100; i++) {
                RawClient.Resp r = c.read();
                if (i % 10 == 5) assertThat(r.text()).isEqualTo("slow " + i);
                else if (i % 10 == 7) assertThat(r.status()).isEqualTo(500);
                else assertThat(r.text()).isEqualTo("user " + i);
            }
            assertThat(c.staysOpen(100)).isTrue();
        }
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + (i >>> 8));
        return b;
    }

    /** Write system calls made by the server's loops so far (read on the loop, not stale). */
    private static long writes(HttpServer s) throws Exception {
        io.netloop.core.loop.EventLoop loop = s.tcp().loop();
        java.util.concurrent.CompletableFuture<Long> f = new java.util.concurrent.CompletableFuture<>();
        loop.execute(() -> f.complete(loop.stats().snapshot().writes()));
        return f.get(5, TimeUnit.SECONDS);
    }

    @AllTransports
    void theResponsesToOneReadOfPipelinedRequestsLeaveInOneWrite(IoMode io) throws Exception {
        try (HttpServer s = start(io);
                RawClient c = RawClient.connect(s)) {
            assertThat(s.tcp().loops()).hasSize(1);
            // Request by request: a write each (the counter counts).
            long before = writes(s);
            for (int i = 0; i < 4; i++) assertThat(c.get("/users/" + i).text()).isEqualTo("user " + i);
            assertThat(writes(s) - before).isEqualTo(4);

            // Sixteen in one segment, read at once by the server: sixteen answers, one write.
            StringBuilder all = new StringBuilder();
            for (int i = 0; i < 16; i++) all.append("GET /users/").append(i).append(" HTTP/1.1\r\nHost: t\r\n\r\n");
            before = writes(s);
            c.send(all.toString());
            for (int i = 0; i < 16; i++) assertThat(c.read().text()).isEqualTo("user " + i);
            assertThat(writes(s) - before).isEqualTo(1);
            assertThat(c.staysOpen(100)).isTrue();
        }
    }

    @AllTransports
    void pipelinedResponsesLargerThanTheSocketTakesArriveWholeAndInOrder(IoMode io) throws Exception {
        try (HttpServer s = start(io);
                RawClient c = RawClient.connect(s)) {
            int[] sizes = {300_000, 10, 1_000_000, 5, 70_000, 0, 2_000_000, 17};
            StringBuilder all = new StringBuilder();
            for (int n : sizes) all.append("GET /bytes/").append(n).append(" HTTP/1.1\r\nHost: t\r\n\r\n");
            all.append("GET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
            c.send(all.toString());
            for (int n : sizes) assertThat(c.read().body()).isEqualTo(pattern(n));
            assertThat(c.read().text()).isEqualTo("hello");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @AllTransports
    void tenThousandRequestsOnOneKeepAliveConnection(IoMode io) throws Exception {
        try (HttpServer s = start(io);
                RawClient c = RawClient.connect(s)) {
            for (int i = 0; i < 10_000; i++) {
                RawClient.Resp r = c.get("/users/" + i);
                assertThat(r.status()).isEqualTo(200);
                if (!r.text().equals("user " + i)) throw new AssertionError("request " + i + " got " + r.text());
            }
            assertThat(c.staysOpen(100)).isTrue();
            assertThat(s.tcp().acceptedCount()).isEqualTo(1);
        }
    }

    @AllTransports
    void pipelinedBodiesAndAFinalCloseAreAnsweredThenTheConnectionCloses(IoMode io) throws Exception {
        try (HttpServer s = start(io);
                RawClient c = RawClient.connect(s)) {
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc"
                    + "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\n\r\n"
                    + "GET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
                    + "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n");
            assertThat(c.read().text()).isEqualTo("abc");
            assertThat(c.read().text()).isEqualTo("de");
            RawClient.Resp last = c.read();
            assertThat(last.header("Connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue(); // the request after "close" is never answered
        }
    }

    @AllTransports(edgeTriggered = false)
    void requestsSentBeforeTheClientShutsDownItsSideAreAllAnswered(IoMode io) throws Exception {
        try (HttpServer s = start(io);
                RawClient c = RawClient.connect(s)) {
            c.send("GET /users/1 HTTP/1.1\r\n"
                    + "Host: t\r\n\r\n"
                    + "GET /slow/2 HTTP/1.1\r\n"
                    + "Host: t\r\n\r\n"
                    + "GET /users/3 HTTP/1.1\r\n"
                    + "Host: t\r\n\r\n");
            c.socket.shutdownOutput();
            assertThat(c.read().text()).isEqualTo("user 1");
            assertThat(c.read().text()).isEqualTo("slow 2");
            assertThat(c.read().text()).isEqualTo("user 3");
            assertThat(c.closedByServer()).isTrue();
        }
    }
}
