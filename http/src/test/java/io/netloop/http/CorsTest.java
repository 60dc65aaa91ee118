package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netloop.testing.LeakCheck;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The CORS filter as a browser meets it: preflights answered for allowed origins, simple
 * requests marked, credentials with an echoed origin (never {@code *}), nothing for an origin
 * not allowed, {@code Vary: Origin} wherever the answer depends on it.
 */
@ExtendWith(LeakCheck.class)
class CorsTest {
    private static final String APP = "https://app.example";
    private final AtomicInteger handled = new AtomicInteger();

    private HttpServer start(Cors cors) throws Exception {
        HttpServer server = HttpServer.builder().port(0).build();
        server.before("/api/*", cors);
        server.get("/api/items", (req, res) -> {
            handled.incrementAndGet();
            res.header("X-Total", "3").send("[1,2,3]");
        });
        server.post("/api/items", (req, res) -> res.status(201).send("made"));
        return server.start();
    }

    private static Cors.Builder app() {
        return Cors.builder()
                .allowOrigins(APP, "http://localhost:3000")
                .allowMethods("GET", "POST", "DELETE")
                .allowHeaders("Content-Type", "Authorization")
                .exposeHeaders("X-Total")
                .maxAge(Duration.ofMinutes(5));
    }

    private static RawClient.Resp preflight(RawClient c, String origin, String method) throws Exception {
        c.send("OPTIONS /api/items HTTP/1.1\r\nHost: t\r\nOrigin: " + origin + "\r\nAccess-Control-Request-Method: "
                + method + "\r\nAccess-Control-Request-Headers: content-type\r\n\r\n");
        return c.read();
    }

    private static RawClient.Resp get(RawClient c, String origin) throws Exception {
        c.send("GET /api/items HTTP/1.1\r\nHost: t\r\nOrigin: " + origin + "\r\n\r\n");
        return c.read();
    }

    @Test
    void anAllowedOriginsPreflightIsAnswered204WithWhatItMayDo() throws Exception {
        try (HttpServer server = start(app().build());
                RawClient c = RawClient.connect(server)) {
            RawClient.Resp r = preflight(c, APP, "DELETE");
            assertThat(r.status()).isEqualTo(204);
            assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo(APP);
            assertThat(r.header("Access-Control-Allow-Methods")).isEqualTo("GET, POST, DELETE");
            assertThat(r.header("Access-Control-Allow-Headers")).isEqualTo("Content-Type, Authorization");
            assertThat(r.header("Access-Control-Max-Age")).isEqualTo("300");
            assertThat(r.header("Access-Control-Allow-Credentials")).isNull();
            assertThat(r.headers("Vary")).contains("Origin");
            assertThat(handled).as("no handler runs for a preflight").hasValue(0);
        }
    }

    @Test
    void anAllowedOriginsRequestGoesToItsHandlerMarkedForTheBrowser() throws Exception {
        try (HttpServer server = start(app().build());
                RawClient c = RawClient.connect(server)) {
            RawClient.Resp r = get(c, "http://localhost:3000");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("[1,2,3]");
            assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("http://localhost:3000");
            assertThat(r.header("Access-Control-Expose-Headers")).isEqualTo("X-Total");
            assertThat(r.headers("Vary")).contains("Origin");
            assertThat(r.header("Access-Control-Allow-Methods"))
                    .as("only preflights list methods")
                    .isNull();
        }
    }

    @Test
    void anOriginNotAllowedGetsNoCorsFieldAndItsPreflightGoesOnToTheRouter() throws Exception {
        try (HttpServer server = start(app().build());
                RawClient c = RawClient.connect(server)) {
            RawClient.Resp r = get(c, "https://evil.example");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.headers()).noneSatisfy(h -> assertThat(h[0]).startsWithIgnoringCase("Access-Control-"));
            assertThat(r.headers("Vary"))
                    .as("the answer still depends on the origin")
                    .contains("Origin");

            RawClient.Resp p = preflight(c, "https://evil.example", "DELETE");
            assertThat(p.status()).as("the router's own OPTIONS answer").isEqualTo(204);
            assertThat(p.header("Allow")).isEqualTo("GET, HEAD, POST, OPTIONS");
            assertThat(p.headers()).noneSatisfy(h -> assertThat(h[0]).startsWithIgnoringCase("Access-Control-"));

            RawClient.Resp sameOrigin = c.get("/api/items");
            assertThat(sameOrigin.header("Access-Control-Allow-Origin"))
                    .as("no Origin: not a cross-origin request")
                    .isNull();
        }
    }

    @Test
    void withCredentialsTheOriginIsEchoedNeverAStar() throws Exception {
        try (HttpServer server = start(app().allowCredentials(true).build());
                RawClient c = RawClient.connect(server)) {
            RawClient.Resp r = get(c, APP);
            assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo(APP);
            assertThat(r.header("Access-Control-Allow-Credentials")).isEqualTo("true");
            RawClient.Resp p = preflight(c, APP, "POST");
            assertThat(p.header("Access-Control-Allow-Origin")).isEqualTo(APP);
            assertThat(p.header("Access-Control-Allow-Credentials")).isEqualTo("true");
        }
    }

    @Test
    void everyOriginAllowedIsAStarWithoutVary() throws Exception {
        try (HttpServer server = start(Cors.builder().allowOrigins("*").build());
                RawClient c = RawClient.connect(server)) {
            RawClient.Resp r = get(c, "https://anyone.example");
            assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("*");
            assertThat(r.headers("Vary")).doesNotContain("Origin");
            RawClient.Resp p = preflight(c, "https://anyone.example", "POST");
            assertThat(p.status()).isEqualTo(204);
            assertThat(p.header("Access-Control-Allow-Origin")).isEqualTo("*");
            assertThat(p.header("Access-Control-Allow-Methods")).isEqualTo("GET, HEAD, POST");
            assertThat(p.header("Access-Control-Allow-Headers"))
                    .as("none allowed beyond the safelisted")
                    .isNull();
            assertThat(p.header("Access-Control-Max-Age")).isEqualTo("600");
        }
    }

    @Test
    void starHeadersWithCredentialsEchoWhatThePreflightAskedFor() throws Exception {
        try (HttpServer server = start(Cors.builder()
                        .allowOrigins(APP)
                        .allowHeaders("*")
                        .allowCredentials(true)
                        .build());
                RawClient c = RawClient.connect(server)) {
            assertThat(preflight(c, APP, "GET").header("Access-Control-Allow-Headers"))
                    .isEqualTo("content-type");
        }
    }

    @Test
    void theCorsFieldsStayOnTheServersErrorPages() throws Exception {
        try (HttpServer server = start(app().build());
                RawClient c = RawClient.connect(server)) {
            c.send("GET /api/none HTTP/1.1\r\nHost: t\r\nOrigin: " + APP + "\r\n\r\n");
            RawClient.Resp r = c.read();
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.header("Access-Control-Allow-Origin"))
                    .as("the page may read why it failed")
                    .isEqualTo(APP);
        }
    }

    @Test
    void aStarWithCredentialsIsRefusedWhenBuilt() {
        assertThatThrownBy(() ->
                        Cors.builder().allowOrigins("*").allowCredentials(true).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CORS with credentials cannot allow every origin (*)")
                .hasMessageContaining("list the origins that may");
    }

    @Test
    void originsAreSchemeHostAndPortAndAtLeastOneIsGiven() {
        assertThatThrownBy(() -> Cors.builder().allowOrigins("https://app.example/"))
                .hasMessageContaining("scheme://host[:port], without a path or a trailing slash");
        assertThatThrownBy(() -> Cors.builder().allowOrigins("app.example"))
                .hasMessageContaining("scheme://host[:port]");
        assertThatThrownBy(() -> Cors.builder().build()).hasMessageContaining("CORS allows no origin");
        assertThatThrownBy(() -> Cors.builder().allowOrigins("*", APP).build()).hasMessageContaining("give * alone");
        assertThatThrownBy(() -> Cors.builder().allowOrigins(APP).allowHeaders("Bad Header"))
                .hasMessageContaining("a CORS header is a token");
    }
}
