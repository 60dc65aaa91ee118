package io.netloop.examples.upload;

import io.netloop.http.HttpServer;
import io.netloop.http.multipart.MultipartForm;
import io.netloop.http.multipart.MultipartLimits;
import java.io.IOException;

/**
 * A form upload: {@code GET /} shows an HTML form, {@code POST /upload} reads it as
 * multipart/form-data while it arrives ({@link MultipartForm} on a {@code streamBody()} route)
 * and answers with a receipt ({@link UploadReceipt}). Files up to 1 GiB, at most 10 parts; a
 * form over a limit is answered 413, a malformed one 400.
 *
 * <pre>
 * java ... io.netloop.examples.upload.FormUpload [PORT]
 * curl -F title=Holiday -F photo=@beach.jpg http://127.0.0.1:8080/upload
 * </pre>
 *
 * <p>Threading: {@code main} returns once the server listens; the parts are read on the loop
 * threads.
 */
public final class FormUpload {
    private static final String FORM = """
        <!doctype html><title>upload</title>
        <form method="post" action="/upload" enctype="multipart/form-data">
          <input name="title"> <input type="file" name="photo" multiple> <button>Send</button>
        </form>
        """;

    private FormUpload() {}

    public static void main(String[] args) throws IOException {
        HttpServer server = start(args.length > 0 ? Integer.parseInt(args[0]) : 8080);
        System.out.println("upload form at http://127.0.0.1:" + server.port() + "/");
    }

    public static HttpServer start(int port) throws IOException {
        HttpServer server = HttpServer.builder().port(port).build();
        server.get("/", (req, res) -> res.type("text/html; charset=utf-8").send(FORM));
        MultipartLimits limits = MultipartLimits.DEFAULT
                .withMaxParts(10)
                .withMaxPartSize(1L << 30)
                .withMaxTotalSize(1L << 30);
        server.post("/upload", MultipartForm.handler(limits, req -> new UploadReceipt()))
                .streamBody() // parts arrive as the body does; nothing is aggregated
                .maxBodySize(1L << 30);
        return server.start();
    }
}
