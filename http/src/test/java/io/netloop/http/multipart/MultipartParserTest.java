package io.netloop.http.multipart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netloop.http.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The parser alone: what it hands over, whatever the pieces, and what it refuses. */
class MultipartParserTest {
    private static final String B = "----netloopB0undary";

    /** Records the calls as text: part(name,filename,type) data... end, with the data joined per part. */
    private static final class Recorder implements PartHandler {
        final List<String> events = new ArrayList<>();
        final StringBuilder data = new StringBuilder();
        int largestPiece;

        @Override
        public void onPart(Part part) {
            events.add("part(" + part.name() + "," + part.filename() + "," + part.contentType() + ")");
        }

        @Override
        public void onData(byte[] array, int offset, int length) {
            data.append(new String(array, offset, length, StandardCharsets.ISO_8859_1));
            largestPiece = Math.max(largestPiece, length);
        }

        @Override
        public void onPartEnd() {
            events.add("data=" + data);
            data.setLength(0);
        }

        @Override
        public void onComplete(Response response) {}
    }

    private static final String FORM = "preamble to ignore\r\n"
            + "--" + B + "\r\n"
            + "Content-Disposition: form-data; name=\"title\"\r\n"
            + "\r\n"
            + "Holiday\r\n"
            + "--" + B + "\r\n"
            + "Content-Disposition: form-data; name=\"photo\"; filename=\"a \\\"b\\\".jpg\"\r\n"
            + "Content-Type: image/jpeg\r\n"
            + "\r\n"
            + "\r\n--" + B.substring(0, 10) + " almost a boundary\r\n-\r\n\r\n"
            + "\r\n--" + B + "--\r\n"
            + "epilogue to ignore";

    private static final List<String> EXPECTED = List.of(
            "part(title,null,text/plain)",
            "data=Holiday",
            "part(photo,a \"b\".jpg,image/jpeg)",
            "data=\r\n--" + B.substring(0, 10) + " almost a boundary\r\n-\r\n\r\n");

    @Test
    void readsFieldsAndFilesInOnePiece() throws Exception {
        Recorder r = parse(FORM, FORM.length(), MultipartLimits.DEFAULT);
        assertThat(r.events).isEqualTo(EXPECTED);
    }

    @Test
    void theSameWhateverThePieces() throws Exception {
        for (int piece = 1; piece < 40; piece++) {
            assertThat(parse(FORM, piece, MultipartLimits.DEFAULT).events)
                    .as("in pieces of %d bytes", piece)
                    .isEqualTo(EXPECTED);
        }
    }

    @Test
    void aLargePartIsHandedOverPieceByPiece() throws Exception {
        String file = "x".repeat(3 << 20);
        String form = "--" + B + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"big\"\r\n\r\n" + file
                + "\r\n--" + B + "--\r\n";
        Recorder r = parse(form, 16 * 1024, MultipartLimits.DEFAULT);
        assertThat(r.events).hasSize(2);
        assertThat(r.events.get(1)).hasSize("data=".length() + file.length());
        assertThat(r.largestPiece).as("no piece larger than a read").isLessThanOrEqualTo(16 * 1024);
    }

    @Test
    void anUnterminatedPartIsRefused() {
        String form = "--" + B + "\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nno end";
        assertThatThrownBy(() -> parse(form, 7, MultipartLimits.DEFAULT))
                .isInstanceOf(MultipartException.class)
                .hasMessageContaining("the body ends inside part 'f'")
                .extracting(e -> ((MultipartException) e).status())
                .isEqualTo(400);
    }

    @Test
    void aBodyWithoutTheBoundaryIsRefused() {
        assertThatThrownBy(() -> parse("name=value&other=1", 5, MultipartLimits.DEFAULT))
                .isInstanceOf(MultipartException.class)
                .hasMessageContaining("no boundary delimiter");
        // Long enough to know before the end: the boundary is wrong.
        assertThatThrownBy(() -> parse("a".repeat(20_000), 1000, MultipartLimits.DEFAULT))
                .hasMessageContaining("no boundary delimiter (--" + B + ") in the first 8192 bytes");
    }

    @Test
    void aBoundaryFollowedByGarbageIsRefused() {
        assertThatThrownBy(() -> parse("--" + B + "X\r\n", 100, MultipartLimits.DEFAULT))
                .hasMessageContaining("followed by neither CRLF nor --");
    }

    @Test
    void headerBombsAreRefused() {
        String manyLines = "--" + B + "\r\nContent-Disposition: form-data; name=\"f\"\r\n" + "X-Bomb: 1\r\n".repeat(20)
                + "\r\nbody\r\n--" + B + "--\r\n";
        assertThatThrownBy(() -> parse(manyLines, 50, MultipartLimits.DEFAULT))
                .hasMessageContaining("more than 16 header lines")
                .extracting(e -> ((MultipartException) e).status())
                .isEqualTo(413);
        String endless = "--" + B + "\r\nContent-Disposition: form-data; name=\"f\"\r\nX-Bomb: " + "a".repeat(100_000);
        assertThatThrownBy(() -> parse(endless, 4096, MultipartLimits.DEFAULT))
                .hasMessageContaining("headers are longer than 8192 bytes")
                .extracting(e -> ((MultipartException) e).status())
                .isEqualTo(413);
    }

    @Test
    void malformedPartHeadersAreRefused() {
        assertThatThrownBy(() -> parse(
                        "--" + B + "\r\nContent-Type: text/plain\r\n\r\nx\r\n--" + B + "--",
                        100,
                        MultipartLimits.DEFAULT))
                .hasMessageContaining("no Content-Disposition");
        assertThatThrownBy(() -> parse(
                        "--" + B + "\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\nx\r\n--" + B + "--",
                        100,
                        MultipartLimits.DEFAULT))
                .hasMessageContaining("has no name");
        assertThatThrownBy(() ->
                        parse("--" + B + "\r\nno colon here\r\n\r\nx\r\n--" + B + "--", 100, MultipartLimits.DEFAULT))
                .hasMessageContaining("not 'Name: value'");
        assertThatThrownBy(() -> parse(
                        "--" + B + "\r\nContent-Disposition: form-data; name=\"unterminated\r\n\r\nx\r\n--" + B + "--",
                        100,
                        MultipartLimits.DEFAULT))
                .hasMessageContaining("unterminated quoted string");
    }

    @Test
    void limitsOnPartsPartSizeAndTotal() {
        String two = "--" + B + "\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n12345\r\n" + "--" + B
                + "\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n67890\r\n--" + B + "--\r\n";
        assertThatThrownBy(() -> parse(two, 10, MultipartLimits.DEFAULT.withMaxParts(1)))
                .hasMessageContaining("more than 1 parts");
        assertThatThrownBy(() -> parse(two, 10, MultipartLimits.DEFAULT.withMaxPartSize(4)))
                .hasMessageContaining("part 'a' is larger than 4 bytes");
        assertThatThrownBy(() -> parse(two, 10, MultipartLimits.DEFAULT.withMaxTotalSize(100)))
                .hasMessageContaining("the form is larger than 100 bytes")
                .extracting(e -> ((MultipartException) e).status())
                .isEqualTo(413);
    }

    @Test
    void theBoundaryParameter() throws Exception {
        assertThat(MultipartForm.boundary("multipart/form-data; boundary=abc")).isEqualTo("abc");
        assertThat(MultipartForm.boundary("Multipart/Form-Data; charset=utf-8; boundary=\"a b:c\""))
                .isEqualTo("a b:c");
        assertThatThrownBy(() -> MultipartForm.boundary("multipart/form-data"))
                .hasMessageContaining("no boundary parameter");
        assertThatThrownBy(() -> MultipartForm.boundary("multipart/form-data; boundary=" + "b".repeat(71)))
                .hasMessageContaining("longer than 70");
        assertThatThrownBy(() -> MultipartForm.boundary("application/json"))
                .extracting(e -> ((MultipartException) e).status())
                .isEqualTo(415);
    }

    private static Recorder parse(String body, int piece, MultipartLimits limits) throws Exception {
        Recorder r = new Recorder();
        MultipartParser p = new MultipartParser(B, limits, r);
        byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
        for (int off = 0; off < bytes.length; off += piece) p.feed(bytes, off, Math.min(piece, bytes.length - off));
        p.finish();
        return r;
    }
}
