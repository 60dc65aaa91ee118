package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.IoMode;
import io.netloop.http.codec.HttpLimits;
import io.netloop.testing.LeakCheck;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every kind of parser refusal becomes a well-formed response with the right status, then close. */
@ExtendWith(LeakCheck.class)
class ErrorResponseTest {
    private static HttpServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(
                IoMode.AUTO,
                TestServers::demoRoutes,
                b -> b.limits(HttpLimits.DEFAULT
                        .withMaxRequestLineLength(1024)
                        .withMaxHeaderSectionSize(2048)
                        .withMaxBodySize(1000)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Sends {@code raw}, expects {@code status} with Connection: close, then the connection closed. */
    private static void refusedAndClosed(String raw, int status) throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            RawClient.Resp r = c.send(raw).read();
            assertThat(r.status()).as(r.statusLine()).isEqualTo(status);
            assertThat(r.header("Connection")).isEqualTo("close");
            assertThat(r.header("Content-Length")).isEqualTo(Integer.toString(r.body().length));
            assertThat(c.closedByServer())
                    .as("connection closed after " + status)
                    .isTrue();
        }
    }

    @Test
    void contentLengthWithTransferEncodingIs400() throws Exception {
        refusedAndClosed(
                "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                400);
    }

    @Test
    void aBadChunkSizeIs400() throws Exception {
        refusedAndClosed(
                "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", 400);
    }

    @Test
    void obsoleteLineFoldingIs400() throws Exception {
        refusedAndClosed("GET /hello HTTP/1.1\r\nHost: t\r\nX-Folded: a\r\n  b\r\n\r\n", 400);
    }

    @Test
    void aMissingHostIs400() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            RawClient.Resp r = c.send("GET /hello HTTP/1.1\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(400);
            // A bodiless request with a bad Host leaves the framing intact: the parser keeps the connection.
            assertThat(c.get("/hello").status()).isEqualTo(200);
        }
    }

    @Test
    void anUnsupportedVersionIs505() throws Exception {
        refusedAndClosed("GET /hello HTTP/2.0\r\nHost: t\r\n\r\n", 505);
    }

    @Test
    void aTooLongTargetIs414() throws Exception {
        refusedAndClosed("GET /" + "a".repeat(2000) + " HTTP/1.1\r\nHost: t\r\n\r\n", 414);
    }

    @Test
    void aTooLargeHeaderSectionIs431() throws Exception {
        refusedAndClosed("GET /hello HTTP/1.1\r\nHost: t\r\nX-Big: " + "b".repeat(3000) + "\r\n\r\n", 431);
    }

    @Test
    void aTooLargeBodyIs413() throws Exception {
        refusedAndClosed("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n", 413);
    }

    @Test
    void aTooLargeChunkedBodyIs413() throws Exception {
        refusedAndClosed("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n", 413);
    }

    @Test
    void anUnknownTransferCodingIs501() throws Exception {
        refusedAndClosed("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: br\r\n\r\n", 501);
    }

    @Test
    void aBareLineFeedIs400() throws Exception {
        refusedAndClosed("GET /hello HTTP/1.1\nHost: t\n\n", 400);
    }

    @Test
    void aPathAboveTheRootIs400() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            assertThat(c.get("/../etc/passwd").status()).isEqualTo(400);
        }
    }

    @Test
    void garbageIs400() throws Exception {
        refusedAndClosed("\u0001\u0002hello there\r\n\r\n", 400);
    }
}
