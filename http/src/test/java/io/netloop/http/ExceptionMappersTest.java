package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netloop.core.tcp.HandlerMode;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Exception mappers: the most specific class wins; what a filter, an offloaded handler or a
 * streamed body's callback throws is mapped too; Errors, exceptions thrown once the head is
 * out, and what a mapper throws itself take the one failure rule (500 or a close, logged once).
 */
@ExtendWith(LeakCheck.class)
class ExceptionMappersTest {

    private static HttpServer server() {
        HttpServer server = HttpServer.builder().port(0).build();
        server.exception(
                RuntimeException.class, (e, req, res) -> res.status(400).send("runtime: " + e.getMessage()));
        server.exception(
                IllegalArgumentException.class, (e, req, res) -> res.status(422).send("argument: " + e.getMessage()));
        return server;
    }

    private static Handler throwing(Throwable t) {
        return (req, res) -> {
            throw Failures.sneaky(t);
        };
    }

    @Test
    void theMapperOfTheNearestClassAnswers() throws Exception {
        try (HttpServer server = server()) {
            server.get("/number", throwing(new NumberFormatException("not a number"))); // an IllegalArgumentException
            server.get("/argument", throwing(new IllegalArgumentException("bad")));
            server.get("/state", throwing(new IllegalStateException("off"))); // only RuntimeException is mapped
            server.start();
            try (RawClient c = RawClient.connect(server)) {
                RawClient.Resp number = c.get("/number");
                assertThat(number.status()).isEqualTo(422);
                assertThat(number.text()).isEqualTo("argument: not a number");
                assertThat(c.get("/argument").status()).isEqualTo(422);
                RawClient.Resp state = c.get("/state");
                assertThat(state.status()).isEqualTo(400);
                assertThat(state.text()).isEqualTo("runtime: off");
            }
        }
    }

    @Test
    void anUnmappedExceptionIsAnswered500AndLoggedOnce() throws Exception {
        IOException unmapped = new IOException("a checked exception no mapper takes");
        try (Failures.LogCapture log = new Failures.LogCapture();
                HttpServer server = server()) {
            server.get("/io", throwing(unmapped));
            server.start();
            try (RawClient c = RawClient.connect(server)) {
                assertThat(c.get("/io").status()).isEqualTo(500);
            }
            Clients.await(Duration.ofSeconds(10), "the failure logged", () -> log.count(unmapped) > 0);
            assertThat(log.count(unmapped)).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = Failures.Kind.class,
            names = {"STACK_OVERFLOW", "ASSERTION", "LINKAGE", "OWN_ERROR"})
    void anErrorIsNeverMappedEvenWithAMapperForEveryException(Failures.Kind kind) throws Exception {
        Throwable error = kind.make();
        try (Failures.LogCapture log = new Failures.LogCapture();
                HttpServer server = HttpServer.builder().port(0).build()) {
            List<Throwable> mapped = new CopyOnWriteArrayList<>();
            server.exception(Exception.class, (e, req, res) -> {
                mapped.add(e);
                res.status(400).send("mapped");
            });
            server.get("/error", throwing(error));
            server.get("/ok", (req, res) -> res.send("ok"));
            server.start();
            try (RawClient c = RawClient.connect(server)) {
                assertThat(c.get("/error").status()).isEqualTo(500);
            }
            Clients.await(Duration.ofSeconds(10), "the failure logged", () -> log.count(error) > 0);
            assertThat(mapped).isEmpty();
            try (RawClient other = RawClient.connect(server)) {
                assertThat(other.get("/ok").text()).as("the loop goes on").isEqualTo("ok");
            }
        }
    }

    @Test
    void whatAMapperThrowsTakesTheFailureRule() throws Exception {
        IllegalStateException again = new IllegalStateException("the mapper fails too");
        try (Failures.LogCapture log = new Failures.LogCapture();
                HttpServer server = HttpServer.builder().port(0).build()) {
            server.exception(IllegalArgumentException.class, (e, req, res) -> {
                throw again;
            });
            server.get("/twice", throwing(new IllegalArgumentException("first")));
            server.start();
            try (RawClient c = RawClient.connect(server)) {
                assertThat(c.get("/twice").status()).isEqualTo(500);
            }
            Clients.await(Duration.ofSeconds(10), "the failure logged", () -> log.count(again) > 0);
            assertThat(again.getSuppressed())
                    .as("the exception it was mapping, kept for the log")
                    .hasSize(1);
        }
    }

    @Test
    void anExceptionThrownOnceTheHeadIsOutIsNotMappedItsConnectionCloses() throws Exception {
        try (HttpServer server = server()) {
            server.get("/half", (req, res) -> {
                res.stream().write("partial");
                throw new IllegalArgumentException("too late to answer");
            });
            server.start();
            try (RawClient c = RawClient.connect(server)) {
                c.send("GET /half HTTP/1.1\r\nHost: t\r\n\r\n");
                String seen = new String(c.input().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
                assertThat(seen).startsWith("HTTP/1.1 200 OK").doesNotContain("too late");
                assertThat(seen).as("the close says the body is broken").doesNotEndWith("0\r\n\r\n");
            }
        }
    }

    @Test
    void aBeforeFiltersExceptionIsMappedTheHandlerDoesNotRunTheAfterFiltersDo() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        try (HttpServer server = server()) {
            server.before("/*", (req, res) -> {
                if (req.query("id") == null) throw new IllegalArgumentException("id is missing");
            });
            server.after("/*", (req, res) -> calls.add("after " + res.status()));
            server.get("/item", (req, res) -> {
                calls.add("handler");
                res.send("item " + req.query("id"));
            });
            server.start();
            try (RawClient c = RawClient.connect(server)) {
                RawClient.Resp r = c.get("/item");
                assertThat(r.status()).isEqualTo(422);
                assertThat(r.text()).isEqualTo("argument: id is missing");
            }
            Clients.await(Duration.ofSeconds(10), "the after filter", () -> !calls.isEmpty());
            assertThat(calls).containsExactly("after 422");
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = HandlerMode.class,
            names = {"WORKERS", "VIRTUAL"})
    void anOffloadedHandlersExceptionIsMappedOnItsOwnThread(HandlerMode mode) throws Exception {
        List<Thread> threads = new CopyOnWriteArrayList<>();
        try (HttpServer server = HttpServer.builder().port(0).build()) {
            server.exception(UnsupportedOperationException.class, (e, req, res) -> {
                threads.add(Thread.currentThread());
                res.status(501).send("not yet");
            });
            server.get("/later", (req, res) -> {
                        threads.add(Thread.currentThread());
                        throw new UnsupportedOperationException("later");
                    })
                    .mode(mode);
            server.start();
            try (RawClient c = RawClient.connect(server)) {
                assertThat(c.get("/later").status()).isEqualTo(501);
            }
            assertThat(threads).hasSize(2);
            assertThat(threads.get(1)).isSameAs(threads.get(0));
        }
    }

    @Test
    void aStreamedBodysCallbackExceptionIsMapped() throws Exception {
        try (HttpServer server = server()) {
            server.post(
                            "/upload",
                            (req, res) -> req.onBody(
                                    (a, off, len) -> {
                                        throw new IllegalArgumentException("not a valid upload");
                                    },
                                    () -> res.send("stored")))
                    .streamBody();
            server.start();
            try (RawClient c = RawClient.connect(server)) {
                c.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello");
                RawClient.Resp r = c.read();
                assertThat(r.status()).isEqualTo(422);
                assertThat(r.text()).isEqualTo("argument: not a valid upload");
            }
        }
    }

    @Test
    void oneMapperPerClassAddedBeforeStart() throws Exception {
        try (HttpServer server = server()) {
            assertThatThrownBy(() -> server.exception(RuntimeException.class, (e, req, res) -> {}))
                    .hasMessageContaining("already registered");
            server.start();
            assertThatThrownBy(() -> server.exception(IOException.class, (e, req, res) -> {}))
                    .hasMessage("exception mappers are added before start()");
        }
    }
}
