package io.netloop.http.multipart;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.http.HttpServer;
import io.netloop.http.Response;
import io.netloop.testing.LeakCheck;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Forms posted to a server, as a browser or curl -F sends them, and what is refused. */
@ExtendWith(LeakCheck.class)
class MultipartFormTest {
    private static final String B = "----formBoundary7MA4YWxkTrZu0gW";

    /** Sums each part up: a field's value, a file's size and SHA-256; nothing is kept but the digest. */
    private static final class Summary implements PartHandler {
        private final StringBuilder out = new StringBuilder();
        private final AtomicInteger largestPiece;
        private Part part;
        private MessageDigest sha;
        private long size;
        private final StringBuilder value = new StringBuilder();

        Summary(AtomicInteger largestPiece) {
            this.largestPiece = largestPiece;
        }

        @Override
        public void onPart(Part part) throws Exception {
            this.part = part;
            sha = MessageDigest.getInstance("SHA-256");
            size = 0;
            value.setLength(0);
        }

        @Override
        public void onData(byte[] array, int offset, int length) {
            largestPiece.accumulateAndGet(length, Math::max);
            if (part.isFile()) {
                sha.update(array, offset, length);
                size += length;
            } else {
                value.append(new String(array, offset, length, StandardCharsets.UTF_8));
            }
        }

        @Override
        public void onPartEnd() {
            out.append(part.name()).append('=');
            if (part.isFile())
                out.append(part.filename())
                        .append(':')
                        .append(size)
                        .append(':')
                        .append(HexFormat.of().formatHex(sha.digest()));
            else out.append(value);
            out.append('\n');
        }

        @Override
        public void onComplete(Response response) {
            response.send(out.toString());
        }
    }

    private static HttpServer server(MultipartLimits limits, AtomicInteger largestPiece) throws IOException {
        HttpServer server = HttpServer.builder().port(0).build();
        server.post("/upload", MultipartForm.handler(limits, req -> new Summary(largestPiece)))
                .streamBody()
                .maxBodySize(64L << 20);
        return server.start();
    }

    @Test
    void aFileIsStreamedThroughPieceByPiece() throws Exception {
        byte[] file = new byte[5 << 20];
        new SplittableRandom(7).nextBytes(file);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + B + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nHoliday ☀\r\n"
                        + "--" + B + "\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"beach.jpg\"\r\n"
                        + "Content-Type: image/jpeg\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + B + "--\r\n").getBytes(StandardCharsets.UTF_8));
        AtomicInteger largestPiece = new AtomicInteger();
        try (HttpServer server = server(MultipartLimits.DEFAULT, largestPiece);
                HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> r = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/upload"))
                            .header("Content-Type", "multipart/form-data; boundary=" + B)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body())
                    .isEqualTo("title=Holiday ☀\nphoto=beach.jpg:" + file.length + ":"
                            + HexFormat.of()
                                    .formatHex(
                                            MessageDigest.getInstance("SHA-256").digest(file)) + "\n");
            assertThat(largestPiece.get()).as("the largest piece handed over").isLessThan(256 * 1024);
        }
    }

    @Test
    void aRequestWithoutBoundaryIsRefusedWith400() throws Exception {
        try (HttpServer server = server(MultipartLimits.DEFAULT, new AtomicInteger())) {
            String answer = exchange(
                    server,
                    "POST /upload HTTP/1.1\r\n"
                            + "Host: t\r\n"
                            + "Content-Type: multipart/form-data\r\n"
                            + "Content-Length: 4\r\n\r\n"
                            + "abcd");
            assertThat(answer)
                    .startsWith("HTTP/1.1 400")
                    .contains("Content-Type multipart/form-data has no boundary parameter");
        }
    }

    @Test
    void anUnterminatedPartIsRefusedWith400() throws Exception {
        String body = "--" + B + "\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nno end";
        try (HttpServer server = server(MultipartLimits.DEFAULT, new AtomicInteger())) {
            String answer = exchange(
                    server,
                    "POST /upload HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; boundary=" + B
                            + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
            assertThat(answer).startsWith("HTTP/1.1 400").contains("the body ends inside part 'f'");
        }
    }

    /** The answer comes as soon as the part passes its limit; the rest of the body is not read. */
    @Test
    void aPartOverItsLimitIsRefusedWith413AtOnce() throws Exception {
        String head = "--" + B + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"big.bin\"\r\n\r\n";
        try (HttpServer server = server(MultipartLimits.DEFAULT.withMaxPartSize(64 * 1024), new AtomicInteger());
                Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Type: multipart/form-data; boundary=" + B
                            + "\r\nContent-Length: " + (10 << 20) + "\r\n\r\n" + head)
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(new byte[100 * 1024]); // past the part's limit, far short of the declared length
            out.flush();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer)
                    .startsWith("HTTP/1.1 413")
                    .contains("part 'f' is larger than 65536 bytes")
                    .containsIgnoringCase("connection: close");
        }
    }

    @Test
    void anotherContentTypeIsRefusedWith415() throws Exception {
        try (HttpServer server = server(MultipartLimits.DEFAULT, new AtomicInteger())) {
            String answer = exchange(
                    server,
                    "POST /upload HTTP/1.1\r\n"
                            + "Host: t\r\n"
                            + "Content-Type: application/json\r\n"
                            + "Content-Length: 2\r\n\r\n"
                            + "{}");
            assertThat(answer).startsWith("HTTP/1.1 415");
        }
    }

    /** Sends {@code request}, then reads until the server closes (each refusal closes the connection). */
    private static String exchange(HttpServer server, String request) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
