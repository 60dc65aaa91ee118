package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.IoMode;
import io.netloop.core.tcp.HandlerMode;
import io.netloop.testing.LeakCheck;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The lifetime rule of a request's storage: a {@link Request} and its {@link Response} are
 * valid until the response is complete and the handler has returned, from the handler's own
 * thread too; afterwards they refuse every call (until reused, or always with
 * {@code checkLifetimes}); {@link Request#copy()} keeps a request for longer.
 */
@ExtendWith(LeakCheck.class)
class LifetimeTest {

    @Test
    void aHandlerReadsItsRequestAfterAnsweringIt() throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        try (HttpServer server = TestServers.start(
                        IoMode.EPOLL,
                        s -> s.get("/users/{id}", (req, res) -> {
                            res.send("ok");
                            seen.complete(req.path() + " " + req.param("id") + " " + req.header("X-Tag"));
                        }));
                RawClient c = RawClient.connect(server)) {
            c.send("GET /users/7 HTTP/1.1\r\nHost: a\r\nX-Tag: t1\r\n\r\n");
            assertThat(c.read().text()).isEqualTo("ok");
            assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("/users/7 7 t1");
        }
    }

    @Test
    void aWorkerHandlerReadsItsRequestAfterAnsweringItWhileTheNextWaits() throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        try (HttpServer server = TestServers.start(
                        IoMode.EPOLL,
                        s -> s.get("/slow/{id}", (req, res) -> {
                                    res.send("first");
                                    try {
                                        Thread.sleep(200); // the pipelined request must wait for this handler
                                        seen.complete(req.param("id") + " " + req.path());
                                    } catch (Throwable t) {
                                        seen.completeExceptionally(t);
                                    }
                                })
                                .mode(HandlerMode.WORKERS));
                RawClient c = RawClient.connect(server)) {
            c.send("GET /slow/1 HTTP/1.1\r\nHost: a\r\n\r\nGET /slow/2 HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.read().text()).isEqualTo("first");
            assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("1 /slow/1");
            assertThat(c.read().text()).isEqualTo("first");
        }
    }

    @Test
    void aRequestKeptPastItsResponseRefusesEveryCall() throws Exception {
        AtomicReference<Request> kept = new AtomicReference<>();
        AtomicReference<Response> keptResponse = new AtomicReference<>();
        try (HttpServer server = TestServers.start(
                        IoMode.EPOLL,
                        s -> s.get("/", (req, res) -> {
                            kept.set(req);
                            keptResponse.set(res);
                            res.send("ok");
                        }));
                RawClient c = RawClient.connect(server)) {
            c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
            assertThat(c.read().text()).isEqualTo("ok");
            // The storage waits out a quarantine before reuse: a stale use is refused, not misread.
            CompletableFuture<Throwable> onLoop = new CompletableFuture<>();
            server.tcp().loops().getFirst().execute(() -> {
                try {
                    kept.get().path();
                    onLoop.complete(null);
                } catch (Throwable t) {
                    onLoop.complete(t);
                }
            });
            assertThat(onLoop.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("copy()");
            CompletableFuture<Throwable> sendAgain = new CompletableFuture<>();
            server.tcp().loops().getFirst().execute(() -> {
                try {
                    keptResponse.get().send("again");
                    sendAgain.complete(null);
                } catch (Throwable t) {
                    sendAgain.complete(t);
                }
            });
            assertThat(sendAgain.get(10, TimeUnit.SECONDS))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("complete");
        }
    }

    @Test
    void withCheckedLifetimesNoStorageIsReusedSoEveryStaleUseIsRefused() throws Exception {
        java.util.List<Request> kept = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (HttpServer server = TestServers.start(
                        IoMode.EPOLL,
                        s -> s.get("/", (req, res) -> {
                            kept.add(req);
                            res.send("ok");
                        }),
                        b -> b.checkLifetimes(true));
                RawClient c = RawClient.connect(server)) {
            for (int i = 0; i < 3 * RequestSlot.Pool.QUARANTINE; i++) {
                c.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
                assertThat(c.read().text()).isEqualTo("ok");
            }
            assertThat(kept).doesNotHaveDuplicates().hasSize(3 * RequestSlot.Pool.QUARANTINE);
            CompletableFuture<Long> refused = new CompletableFuture<>();
            server.tcp()
                    .loops()
                    .getFirst()
                    .execute(() -> refused.complete(kept.stream()
                            .filter(r -> {
                                try {
                                    r.path();
                                    return false;
                                } catch (IllegalStateException expected) {
                                    return true;
                                }
                            })
                            .count()));
            assertThat(refused.get(10, TimeUnit.SECONDS)).isEqualTo((long) kept.size());
        }
    }

    @Test
    void aCopyOutlivesTheResponse() throws Exception {
        AtomicReference<Request> copy = new AtomicReference<>();
        try (HttpServer server = TestServers.start(
                        IoMode.EPOLL,
                        s -> s.post("/items/{id}", (req, res) -> {
                            copy.compareAndSet(null, req.copy()); // the first request's
                            res.send("ok");
                        }));
                RawClient c = RawClient.connect(server)) {
            c.send("POST /items/9?q=x HTTP/1.1\r\nHost: a\r\nX-Tag: t\r\nContent-Length: 3\r\n\r\nabc");
            assertThat(c.read().text()).isEqualTo("ok");
            for (int i = 0; i < 3 * RequestSlot.Pool.QUARANTINE; i++) {
                c.send("POST /items/" + i + " HTTP/1.1\r\nHost: b\r\nContent-Length: 0\r\n\r\n");
                assertThat(c.read().text()).isEqualTo("ok");
            }
        }
        Request r = copy.get();
        assertThat(r.path()).isEqualTo("/items/9");
        assertThat(r.param("id")).isEqualTo("9");
        assertThat(r.query("q")).isEqualTo("x");
        assertThat(r.header("x-tag")).isEqualTo("t");
        assertThat(r.head().host()).isEqualTo("a");
        assertThat(r.bodyAsString()).isEqualTo("abc");
        assertThat(r.remoteAddress()).isNotNull();
    }
}
