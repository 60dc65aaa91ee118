package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netloop.core.tcp.HandlerMode;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Before and after filters: their order around the handler, a before filter that answers and
 * so ends the chain, the paths a pattern covers, the thread an offloaded route's filters run
 * on, and where else they apply (static files, the server's 404, 405 and error pages).
 */
@ExtendWith(LeakCheck.class)
class FiltersTest {
    private final List<String> calls = new CopyOnWriteArrayList<>();

    private Handler record(String name) {
        return (req, res) -> calls.add(name + " " + req.path());
    }

    /** After filters run once the response is on its way: wait for {@code n} calls before reading them. */
    private List<String> calls(int n) throws InterruptedException {
        Clients.await(Duration.ofSeconds(10), n + " filter calls, have " + calls, () -> calls.size() >= n);
        return calls;
    }

    private static HttpServer server() {
        return HttpServer.builder().port(0).build();
    }

    @Test
    void beforeFiltersRunInOrderThenTheHandlerThenAfterFiltersInOrder() throws Exception {
        try (HttpServer server = server()) {
            server.before("/*", record("before-all"));
            server.before("/api/*", record("before-api"));
            server.after("/api/*", record("after-api"));
            server.after("/*", record("after-all"));
            server.get("/api/items", (req, res) -> {
                calls.add("handler " + req.path());
                res.send("items");
            });
            server.get("/home", (req, res) -> {
                calls.add("handler " + req.path());
                res.send("home");
            });
            server.start();
            try (RawClient c = RawClient.connect(server)) {
                assertThat(c.get("/api/items").text()).isEqualTo("items");
                assertThat(c.get("/home").text()).isEqualTo("home");
            }
            assertThat(calls(8))
                    .containsExactly(
                            "before-all /api/items",
                            "before-api /api/items",
                            "handler /api/items",
                            "after-api /api/items",
                            "after-all /api/items",
                            "before-all /home",
                            "handler /home",
                            "after-all /home");
        }
    }

    @Test
    void aBeforeFilterThatAnswersEndsTheChainAndTheAfterFiltersStillSeeTheAnswer() throws Exception {
        try (HttpServer server = server()) {
            server.before("/api/*", (req, res) -> {
                calls.add("auth");
                if (req.header("Authorization") == null) res.status(401).send("log in first");
            });
            server.before("/api/*", record("second-before"));
            server.after("/api/*", (req, res) -> calls.add("after saw " + res.status()));
            server.get("/api/secret", (req, res) -> {
                calls.add("handler");
                res.send("secret");
            });
            server.start();
            try (RawClient c = RawClient.connect(server)) {
                RawClient.Resp refused = c.get("/api/secret");
                assertThat(refused.status()).isEqualTo(401);
                assertThat(refused.text()).isEqualTo("log in first");
                assertThat(calls(2)).containsExactly("auth", "after saw 401");
                calls.clear();
                c.send("GET /api/secret HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer x\r\n\r\n");
                assertThat(c.read().text()).as("the connection goes on").isEqualTo("secret");
                assertThat(calls(4)).containsExactly("auth", "second-before /api/secret", "handler", "after saw 200");
            }
        }
    }

    @Test
    void aPrefixCoversItsPathAndBelowAnExactPatternItsPathAlone() throws Exception {
        try (HttpServer server = server()) {
            server.before("/api/*", (req, res) -> res.header("X-Api", "yes"));
            server.before("/health", (req, res) -> res.header("X-Health", "yes"));
            for (String p : List.of("/api", "/api/", "/api/v1/x", "/apix", "/health", "/health/more")) {
                server.get(p, (req, res) -> res.send(req.path()));
            }
            server.get("/{section}/list", (req, res) -> res.send(req.path())); // covered by /api/* only for "api"
            server.start();
            try (RawClient c = RawClient.connect(server)) {
                assertThat(c.get("/api").header("X-Api")).isEqualTo("yes");
                assertThat(c.get("/api/").header("X-Api")).isEqualTo("yes");
                assertThat(c.get("/api/v1/x").header("X-Api")).isEqualTo("yes");
                assertThat(c.get("/api/list").header("X-Api")).isEqualTo("yes");
                assertThat(c.get("/apix").header("X-Api")).isNull();
                assertThat(c.get("/other/list").header("X-Api")).isNull();
                assertThat(c.get("/health").header("X-Health")).isEqualTo("yes");
                assertThat(c.get("/health/more").header("X-Health")).isNull();
            }
        }
    }

    @Test
    void anAfterFilterMaySetHeaderFieldsWhenTheHandlerReturnedWithoutSending() throws Exception {
        try (HttpServer server = server()) {
            server.after("/*", (req, res) -> {
                if (!res.isCommitted()) res.header("X-After", "set");
            });
            server.delete("/items/{id}", (req, res) -> res.status(204));
            server.get("/sent", (req, res) -> res.send("sent"));
            server.start();
            try (RawClient c = RawClient.connect(server)) {
                c.send("DELETE /items/7 HTTP/1.1\r\nHost: t\r\n\r\n");
                RawClient.Resp deleted = c.read();
                assertThat(deleted.status()).isEqualTo(204);
                assertThat(deleted.header("X-After")).isEqualTo("set");
                assertThat(c.get("/sent").header("X-After"))
                        .as("the head went out with send")
                        .isNull();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = HandlerMode.class,
            names = {"WORKERS", "VIRTUAL"})
    void anOffloadedRoutesFiltersRunOnTheThreadThatRunsItsHandler(HandlerMode mode) throws Exception {
        List<Thread> threads = new CopyOnWriteArrayList<>();
        try (HttpServer server = server()) {
            server.before("/*", (req, res) -> threads.add(Thread.currentThread()));
            server.after("/*", (req, res) -> {
                threads.add(Thread.currentThread());
                if (!res.isCommitted()) res.header("X-After", "on " + mode);
            });
            server.get("/slow", (req, res) -> {
                        threads.add(Thread.currentThread());
                        res.status(202);
                    })
                    .mode(mode);
            server.start();
            try (RawClient c = RawClient.connect(server)) {
                RawClient.Resp r = c.get("/slow");
                assertThat(r.status()).isEqualTo(202);
                assertThat(r.header("X-After")).isEqualTo("on " + mode);
            }
            assertThat(threads).hasSize(3);
            assertThat(threads).as("before, handler and after on one thread").containsOnly(threads.getFirst());
            assertThat(threads.getFirst().getName())
                    .isNotEqualTo("netloop-" + server.tcp().loop().name());
            assertThat(threads.getFirst().isVirtual()).isEqualTo(mode == HandlerMode.VIRTUAL);
        }
    }

    @Test
    void beforeFiltersHeaderFieldsReachStaticFilesAndTheServersOwnAnswers(@TempDir Path site) throws Exception {
        Files.writeString(site.resolve("a.txt"), "file a");
        try (HttpServer server = server()) {
            server.before("/*", (req, res) -> res.header("X-Frame-Options", "DENY"));
            server.after("/*", (req, res) -> calls.add("after " + res.status()));
            server.staticFiles("/files", site);
            server.post("/only-post", (req, res) -> res.send("posted"));
            server.get("/boom", (req, res) -> {
                res.header("Set-Cookie", "half=done");
                throw new IllegalStateException("a bug, on purpose");
            });
            server.start();
            try (RawClient c = RawClient.connect(server)) {
                RawClient.Resp file = c.get("/files/a.txt");
                assertThat(file.text()).isEqualTo("file a");
                assertThat(file.header("X-Frame-Options")).isEqualTo("DENY");

                RawClient.Resp missingFile = c.get("/files/none.txt");
                assertThat(missingFile.status()).isEqualTo(404);
                assertThat(missingFile.header("X-Frame-Options")).isEqualTo("DENY");

                RawClient.Resp unrouted = c.get("/nowhere");
                assertThat(unrouted.status()).isEqualTo(404);
                assertThat(unrouted.header("X-Frame-Options")).isEqualTo("DENY");

                RawClient.Resp wrongMethod = c.get("/only-post");
                assertThat(wrongMethod.status()).isEqualTo(405);
                assertThat(wrongMethod.header("Allow")).contains("POST");
                assertThat(wrongMethod.header("X-Frame-Options")).isEqualTo("DENY");

                c.send("OPTIONS /only-post HTTP/1.1\r\nHost: t\r\n\r\n");
                RawClient.Resp options = c.read();
                assertThat(options.status()).isEqualTo(204);
                assertThat(options.header("X-Frame-Options")).isEqualTo("DENY");

                c.send("OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n");
                RawClient.Resp aboutTheServer = c.read();
                assertThat(aboutTheServer.status()).isEqualTo(204);
                assertThat(aboutTheServer.header("X-Frame-Options"))
                        .as("OPTIONS * names no path")
                        .isNull();

                RawClient.Resp failed = c.get("/boom");
                assertThat(failed.status()).isEqualTo(500);
                assertThat(failed.header("X-Frame-Options")).isEqualTo("DENY");
                assertThat(failed.header("Set-Cookie"))
                        .as("what the failed handler set is dropped")
                        .isNull();
            }
            assertThat(calls(5)).containsExactly("after 200", "after 404", "after 404", "after 405", "after 204");
        }
    }

    @Test
    void aBeforeFilterMayRefuseWhatNoRouteServes() throws Exception {
        try (HttpServer server = server()) {
            server.before("/*", (req, res) -> {
                if (req.header("X-Key") == null) res.status(403).send("no key");
            });
            server.start();
            try (RawClient c = RawClient.connect(server)) {
                assertThat(c.get("/anything").status())
                        .as("refused before the router's 404")
                        .isEqualTo(403);
            }
        }
    }

    @Test
    void filtersAreAddedBeforeStartWithPatternsOfPathsOrPrefixes() throws Exception {
        try (HttpServer server = server()) {
            assertThatThrownBy(() -> server.before("api/*", (req, res) -> {})).hasMessageContaining("starts with '/'");
            assertThatThrownBy(() -> server.before("/users/{id}", (req, res) -> {}))
                    .hasMessageContaining("a path (/health) or a prefix (/api/*)");
            assertThatThrownBy(() -> server.after("/a*", (req, res) -> {}))
                    .hasMessageContaining("a path (/health) or a prefix (/api/*)");
            server.start();
            assertThatThrownBy(() -> server.before("/*", (req, res) -> {}))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("filters are added before start()");
        }
    }
}
