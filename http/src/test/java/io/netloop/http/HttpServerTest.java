package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.IoMode;
import io.netloop.testing.AllTransports;
import io.netloop.testing.LeakCheck;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The request cycle of {@link HttpServer}, one rule per test, over a raw socket. */
@ExtendWith(LeakCheck.class)
class HttpServerTest {
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start(IoMode.AUTO, s -> {
            TestServers.demoRoutes(s);
            s.get("/search", (req, res) -> res.send("q=" + req.query("q") + " page=" + req.query("page")));
            s.post("/form", (req, res) -> res.send("name=" + req.form("name") + " city=" + req.form("city")));
            s.get(
                    "/cookies",
                    (req, res) -> res.cookie(Cookie.of("seen", "yes")
                                    .path("/")
                                    .maxAge(Duration.ofHours(1))
                                    .httpOnly()
                                    .secure()
                                    .sameSite(Cookie.SameSite.LAX))
                            .send("session=" + req.cookie("session")));
            s.put("/big", (req, res) -> res.send("got " + req.body().length)).maxBodySize(4 * 1024 * 1024);
            s.get("/empty", (req, res) -> res.status(202));
            s.get("/stream", (req, res) -> {
                BodyWriter w = res.type("text/plain").stream();
                w.write("one,");
                w.write("two,");
                w.write("three");
                w.end();
            });
            s.get("/page", (req, res) -> res.type("text/html; charset=utf-8").send("<p>netloop</p>".repeat(200)));
            s.get("/tiny", (req, res) -> res.type("text/html; charset=utf-8").send("<p>tiny</p>"));
            s.get("/image", (req, res) -> res.type("image/png").send(new byte[4096]));
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @AllTransports
    void http11KeepsTheConnectionOpenByDefault(IoMode io) throws Exception {
        try (HttpServer s = TestServers.start(io, TestServers::demoRoutes);
                RawClient c = RawClient.connect(s)) {
            RawClient.Resp first = c.get("/hello");
            RawClient.Resp second = c.get("/users/7");
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.text()).isEqualTo("hello");
            assertThat(first.header("Connection")).isNull();
            assertThat(second.text()).isEqualTo("user 7");
            assertThat(c.staysOpen(200)).isTrue();
        }
    }

    @Test
    void http10ClosesAfterTheResponse() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            RawClient.Resp r = c.send("GET /hello HTTP/1.0\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void http10KeepsAliveWhenItAsks() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            RawClient.Resp r = c.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                    .read();
            assertThat(r.header("Connection")).isEqualTo("keep-alive");
            assertThat(c.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                            .read()
                            .status())
                    .isEqualTo(200);
            assertThat(c.staysOpen(200)).isTrue();
        }
    }

    @Test
    void connectionCloseIsHonoured() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            RawClient.Resp r = c.send("GET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
                    .read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void headGetsTheHeadersOfGetWithoutTheBody() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            RawClient.Resp r = c.send("HEAD /hello HTTP/1.1\r\nHost: t\r\n\r\n").read(true);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Length")).isEqualTo("5");
            // The next response must follow at once: no body bytes were sent in between.
            assertThat(c.get("/users/1").text()).isEqualTo("user 1");
            assertThat(c.staysOpen(100)).isTrue();
        }
    }

    @Test
    void optionsListsTheMethodsOfThePath() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            RawClient.Resp r =
                    c.send("OPTIONS /hello HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(204);
            assertThat(r.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
            assertThat(c.staysOpen(100)).isTrue();
        }
    }

    @Test
    void optionsAsteriskListsEveryMethodOfTheServer() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            RawClient.Resp r = c.send("OPTIONS * HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(204);
            assertThat(r.header("Allow")).contains("GET", "HEAD", "POST", "PUT", "OPTIONS");
        }
    }

    @Test
    void aMethodWithoutARouteGets405WithAllow() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            RawClient.Resp r =
                    c.send("DELETE /hello HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(405);
            assertThat(r.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
            assertThat(c.staysOpen(100)).isTrue();
        }
    }

    @Test
    void traceIsRefusedWith405() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            RawClient.Resp r =
                    c.send("TRACE /hello HTTP/1.1\r\nHost: t\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(405);
            assertThat(r.header("Allow")).doesNotContain("TRACE");
            assertThat(r.text()).doesNotContain("Host: t"); // nothing echoed
        }
    }

    @Test
    void anUnknownPathGets404AndTheConnectionStays() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            RawClient.Resp r = c.get("/nowhere");
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.text()).contains("check the URL");
            assertThat(c.get("/hello").status()).isEqualTo(200);
        }
    }

    @Test
    void aThrowingHandlerGets500AndTheNextRequestWorks() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            RawClient.Resp r = c.get("/boom");
            assertThat(r.status()).isEqualTo(500);
            RawClient.Resp next = c.get("/hello");
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.text()).isEqualTo("hello");
        }
    }

    @Test
    void anAbsoluteFormTargetIsRoutedByItsPath() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            RawClient.Resp r = c.send("GET http://example.com/users/42 HTTP/1.1\r\nHost: example.com\r\n\r\n")
                    .read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("user 42");
        }
    }

    @Test
    void everyResponseHasDateAndServer() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            RawClient.Resp r = c.get("/hello");
            assertThat(r.header("Server")).isEqualTo("netloop");
            assertThat(r.header("Date")).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
        }
    }

    @Test
    void aHandlerThatSendsNothingAnswersEmptyWithItsStatus() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            RawClient.Resp r = c.get("/empty");
            assertThat(r.status()).isEqualTo(202);
            assertThat(r.header("Content-Length")).isEqualTo("0");
        }
    }

    @Test
    void theRequestCapClosesTheConnectionOnItsLastResponse() throws Exception {
        try (HttpServer s =
                        TestServers.start(IoMode.AUTO, TestServers::demoRoutes, b -> b.maxRequestsPerConnection(3));
                RawClient c = RawClient.connect(s)) {
            assertThat(c.get("/hello").header("Connection")).isNull();
            assertThat(c.get("/hello").header("Connection")).isNull();
            RawClient.Resp third = c.get("/hello");
            assertThat(third.status()).isEqualTo(200);
            assertThat(third.header("Connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void pathAndQueryParametersAreDecoded() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            assertThat(c.get("/users/%C3%A9l%C3%A8ve").text()).isEqualTo("user élève");
            assertThat(c.get("/search?q=hello+world%21&page=2").text()).isEqualTo("q=hello world! page=2");
        }
    }

    @Test
    void aFormBodyIsDecoded() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            String form = "name=J%C3%BCrgen+M&city=Z%C3%BCrich";
            RawClient.Resp r = c.send(
                            "POST /form HTTP/1.1\r\nHost: t\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                                    + "Content-Length: " + form.length() + "\r\n\r\n" + form)
                    .read();
            assertThat(r.text()).isEqualTo("name=Jürgen M city=Zürich");
        }
    }

    @Test
    void cookiesAreReadAndSet() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            RawClient.Resp r = c.send(
                            "GET /cookies HTTP/1.1\r\nHost: t\r\nCookie: theme=dark; session=\"abc123\"\r\n\r\n")
                    .read();
            assertThat(r.text()).isEqualTo("session=abc123");
            assertThat(r.header("Set-Cookie"))
                    .isEqualTo("seen=yes; Path=/; Max-Age=3600; Secure; HttpOnly; SameSite=Lax");
        }
    }

    @Test
    void aChunkedUploadIsAggregatedForTheHandler() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            RawClient.Resp r = c.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + "5\r\nhello\r\n1;ext=1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: 1\r\n\r\n")
                    .read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("hello world");
            assertThat(c.get("/hello").status()).isEqualTo(200);
        }
    }

    @Test
    void aRouteMayRaiseTheBodyLimit() throws Exception {
        byte[] body = new byte[3 * 1024 * 1024];
        try (RawClient c = RawClient.connect(server)) {
            c.send("PUT /big HTTP/1.1\r\nHost: t\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .send(body);
            assertThat(c.read().text()).isEqualTo("got " + body.length);
        }
        try (RawClient c = RawClient.connect(server)) {
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " + body.length + "\r\n\r\n");
            RawClient.Resp r = c.read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void expectContinueGets100BeforeTheBodyIsSent() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            RawClient.Resp interim = c.read();
            assertThat(interim.status()).isEqualTo(100);
            RawClient.Resp r = c.send("abcde").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("abcde");
        }
    }

    @Test
    void expectContinueForAnUnknownPathGetsTheFinalStatusAndClose() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            c.send("POST /nowhere HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            RawClient.Resp r = c.read();
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void aStreamedBodyIsChunked() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            RawClient.Resp r = c.get("/stream");
            assertThat(r.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(r.text()).isEqualTo("one,two,three");
            assertThat(c.get("/hello").text()).isEqualTo("hello");
        }
    }

    @Test
    void aStreamedBodyToHttp10EndsWithTheConnection() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            RawClient.Resp r = c.send("GET /stream HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                    .read();
            assertThat(r.header("Transfer-Encoding")).isNull();
            assertThat(r.text()).isEqualTo("one,two,three");
        }
    }

    @Test
    void aCompressibleBodyIsGzippedWhenAccepted() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            RawClient.Resp r = c.send("GET /page HTTP/1.1\r\nHost: t\r\nAccept-Encoding: br;q=1, gzip;q=0.8\r\n\r\n")
                    .read();
            assertThat(r.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(r.header("Vary")).isEqualTo("Accept-Encoding");
            byte[] plain = new GZIPInputStream(new ByteArrayInputStream(r.body())).readAllBytes();
            assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo("<p>netloop</p>".repeat(200));
            assertThat(r.body().length).isLessThan(plain.length / 10);
        }
    }

    @Test
    void noGzipWithoutAcceptEncodingButVaryStill() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            RawClient.Resp r = c.get("/page");
            assertThat(r.header("Content-Encoding")).isNull();
            assertThat(r.header("Vary")).isEqualTo("Accept-Encoding");
            assertThat(r.text()).isEqualTo("<p>netloop</p>".repeat(200));
        }
    }

    @Test
    void gzipRefusedWithQZero() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            RawClient.Resp r = c.send("GET /page HTTP/1.1\r\nHost: t\r\nAccept-Encoding: gzip;q=0, *\r\n\r\n")
                    .read();
            assertThat(r.header("Content-Encoding")).isNull();
        }
    }

    @Test
    void smallAndIncompressibleBodiesAreNotGzipped() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            String ask = "HTTP/1.1\r\nHost: t\r\nAccept-Encoding: gzip\r\n\r\n";
            assertThat(c.send("GET /tiny " + ask).read().header("Content-Encoding"))
                    .isNull();
            assertThat(c.send("GET /image " + ask).read().header("Content-Encoding"))
                    .isNull();
        }
    }
}
