package io.netloop.http.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bytes of response heads and chunks, as RFC 9112 frames them. */
class ResponseEncoderTest {
    private static final String DATE = "Sun, 06 Nov 1994 08:49:37 GMT";
    private final Buffer b = new Buffer();

    private String written() {
        return new String(b.array(), b.readerIndex(), b.readableBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void aHeadIsTheStatusLineTheServersFieldsTheHandlersAndTheLength() {
        ResponseEncoder.head(b, 200, DATE, List.of("Content-Type", "text/plain"), 5, false, HttpVersion.HTTP_1_1);
        assertThat(written())
                .isEqualTo("HTTP/1.1 200 OK\r\n"
                        + "Date: " + DATE + "\r\n"
                        + "Server: netloop\r\n"
                        + "Content-Type: text/plain\r\n"
                        + "Content-Length: 5\r\n"
                        + "\r\n");
    }

    @Test
    void aChunkedHeadSaysTransferEncodingChunked() {
        ResponseEncoder.head(b, 200, DATE, List.of(), ResponseEncoder.CHUNKED, false, HttpVersion.HTTP_1_1);
        assertThat(written()).contains("Transfer-Encoding: chunked\r\n").doesNotContain("Content-Length");
    }

    @Test
    void aBodyUntilCloseHasNoFramingField() {
        ResponseEncoder.head(b, 200, DATE, List.of(), ResponseEncoder.UNTIL_CLOSE, true, HttpVersion.HTTP_1_0);
        assertThat(written()).doesNotContain("Content-Length").doesNotContain("Transfer-Encoding");
    }

    @Test
    void statusesWithoutContentHaveNoFramingField() {
        ResponseEncoder.head(b, 204, DATE, List.of(), 0, false, HttpVersion.HTTP_1_1);
        ResponseEncoder.head(b, 304, DATE, List.of(), 10, false, HttpVersion.HTTP_1_1);
        assertThat(written()).doesNotContain("Content-Length");
    }

    @Test
    void aClosingHeadSaysConnectionClose() {
        ResponseEncoder.head(b, 500, DATE, List.of(), 0, true, HttpVersion.HTTP_1_1);
        assertThat(written())
                .startsWith("HTTP/1.1 500 Internal Server Error\r\n")
                .contains("Connection: close\r\n");
    }

    @Test
    void anHttp10ClientIsToldTheConnectionStays() {
        ResponseEncoder.head(b, 200, DATE, List.of(), 0, false, HttpVersion.HTTP_1_0);
        assertThat(written()).contains("Connection: keep-alive\r\n");
    }

    @Test
    void anHttp11ClientIsToldNothingOfKeepAlive() {
        ResponseEncoder.head(b, 200, DATE, List.of(), 0, false, HttpVersion.HTTP_1_1);
        assertThat(written()).doesNotContain("Connection");
    }

    @Test
    void aStatusWithoutAKnownReasonGetsItsClassAsReason() {
        ResponseEncoder.head(b, 299, DATE, List.of(), 0, false, null);
        assertThat(written()).startsWith("HTTP/1.1 299 Success\r\n");
    }

    @Test
    void switchingProtocolsNamesTheProtocolAndCarriesTheHandlersFields() {
        ResponseEncoder.switchingProtocols(b, "websocket", List.of("Sec-WebSocket-Accept", "abc"));
        assertThat(written())
                .isEqualTo("HTTP/1.1 101 Switching Protocols\r\n"
                        + "Upgrade: websocket\r\n"
                        + "Connection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: abc\r\n"
                        + "\r\n");
    }

    @Test
    void continue100IsAnInterimHeadWithoutFields() {
        ResponseEncoder.continue100(b);
        assertThat(written()).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
    }

    @Test
    void aChunkIsItsSizeInHexItsDataAndCrlf() {
        byte[] data = "x".repeat(300).getBytes(StandardCharsets.US_ASCII);
        ResponseEncoder.chunk(b, data, 0, data.length);
        assertThat(written()).isEqualTo("12c\r\n" + "x".repeat(300) + "\r\n");
    }

    @Test
    void aChunkTakesOnlyItsSlice() {
        ResponseEncoder.chunk(b, "abcdef".getBytes(StandardCharsets.US_ASCII), 2, 3);
        assertThat(written()).isEqualTo("3\r\ncde\r\n");
    }

    @Test
    void anEmptyPieceWritesNoChunkSinceAZeroSizeChunkWouldEndTheBody() {
        ResponseEncoder.chunk(b, new byte[0], 0, 0);
        assertThat(b.readableBytes()).isZero();
    }

    @Test
    void theLastChunkEndsTheBodyWithAnEmptyTrailerSection() {
        ResponseEncoder.lastChunk(b);
        assertThat(written()).isEqualTo("0\r\n\r\n");
    }
}
