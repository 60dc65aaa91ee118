package io.netloop.examples.upload;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.http.HttpServer;
import io.netloop.testing.LeakCheck;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheck.class)
class FormUploadTest {
    private static final String BOUNDARY = "----exampleBoundary1234";

    @Test
    void showsTheFormAndAnswersAnUploadWithAReceipt() throws Exception {
        byte[] photo = new byte[2 << 20];
        new SplittableRandom(3).nextBytes(photo);
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nHoliday\r\n"
                        + "--" + BOUNDARY
                        + "\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"beach.jpg\"\r\n"
                        + "Content-Type: image/jpeg\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(photo);
        body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        try (HttpServer server = FormUpload.start(0);
                HttpClient client = HttpClient.newHttpClient()) {
            String base = "http://127.0.0.1:" + server.port();
            HttpResponse<String> form = client.send(
                    HttpRequest.newBuilder(URI.create(base + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(form.body()).contains("enctype=\"multipart/form-data\"");

            HttpResponse<String> receipt = client.send(
                    HttpRequest.newBuilder(URI.create(base + "/upload"))
                            .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(receipt.statusCode()).isEqualTo(200);
            assertThat(receipt.body())
                    .isEqualTo("title: Holiday\nphoto: beach.jpg, " + photo.length + " bytes, sha256 "
                            + HexFormat.of()
                                    .formatHex(
                                            MessageDigest.getInstance("SHA-256").digest(photo)) + "\n");

            HttpResponse<String> notAForm = client.send(
                    HttpRequest.newBuilder(URI.create(base + "/upload"))
                            .header("Content-Type", "multipart/form-data")
                            .POST(HttpRequest.BodyPublishers.ofString("x"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(notAForm.statusCode()).isEqualTo(400);
            assertThat(notAForm.body()).contains("no boundary parameter");
        }
    }
}
