package io.netloop.bench.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The idle clients keep a connection only after its whole answer, however it is framed. */
class ResponseFramingTest {
    private static ResponseFraming.Framed framed(String s) {
        byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
        return ResponseFraming.complete(b, b.length);
    }

    @Test
    void contentLengthEndsTheBody() {
        String r = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
        assertThat(framed(r)).isEqualTo(new ResponseFraming.Framed(r.length(), 200, false));
        assertThat(framed(r.substring(0, r.length() - 1))).isNull();
    }

    @Test
    void aHeadWithoutItsEmptyLineIsIncomplete() {
        assertThat(framed("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n")).isNull();
    }

    @Test
    void chunkedEndsAfterTheLastChunkAndTrailers() {
        String r = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n0\r\nT: 1\r\n\r\n";
        assertThat(framed(r)).isEqualTo(new ResponseFraming.Framed(r.length(), 200, false));
        for (int cut = r.indexOf("\r\n\r\n") + 4; cut < r.length(); cut++) {
            assertThat(framed(r.substring(0, cut))).as("cut at %d", cut).isNull();
        }
    }

    @Test
    void notModifiedHasNoBodyAndCloseIsReported() {
        String r = "HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\nConnection: close\r\n\r\n";
        assertThat(framed(r)).isEqualTo(new ResponseFraming.Framed(r.length(), 304, true));
    }

    @Test
    void aBodyUntilCloseCannotBeKept() {
        assertThatThrownBy(() -> framed("HTTP/1.1 200 OK\r\n\r\nhello"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without Content-Length");
    }
}
