package io.netloop.http.multipart;

import io.netloop.http.Handler;
import io.netloop.http.Request;
import io.netloop.http.Response;
import java.util.Locale;
import java.util.function.Function;

/**
 * A route handler that reads a multipart/form-data request (an HTML form with
 * {@code enctype="multipart/form-data"}, {@code curl -F}) as it arrives and hands its parts to
 * a {@link PartHandler}, piece by piece: an upload costs a few kilobytes of buffer, whatever
 * its size.
 *
 * <pre>{@code
 * server.post("/upload", MultipartForm.handler(MultipartLimits.DEFAULT.withMaxPartSize(1L << 30), req -> new PartHandler() {
 *             public void onPart(Part part) { ... }
 *             public void onData(byte[] a, int off, int len) { ... }
 *             public void onComplete(Response res) { res.send("thanks"); }
 *         }))
 *         .streamBody()               // the body is handed over as it arrives, not aggregated
 *         .maxBodySize(1L << 30);     // the HTTP layer's own limit on the whole body
 * }</pre>
 *
 * <p>Answers it gives itself, each with a message that says what was wrong, then closes the
 * connection (the rest of a refused body is not read): 415 for a request that is not
 * multipart/form-data; 400 for a missing or malformed boundary, a body that ends before the
 * closing boundary, malformed part headers, a part without Content-Disposition or name; 413
 * for a form over a {@link MultipartLimits} limit (parts, part size, total size, part header
 * bytes or lines).
 *
 * <p>On a route without {@code streamBody()} it still works, from the aggregated body, which
 * then is held whole in memory (and bounded by the route's body limit).
 *
 * <p>Threading: the handler runs on the loop thread (streamed bodies are read there whatever
 * the route's mode); so do the {@link PartHandler}'s calls.
 */
public final class MultipartForm {
    private MultipartForm() {}

    /**
     * @param limits what one form may hold
     * @param handlers makes the {@link PartHandler} of each request
     */
    public static Handler handler(MultipartLimits limits, Function<Request, ? extends PartHandler> handlers) {
        return (req, res) -> {
            String boundary;
            try {
                boundary = boundary(req.header("Content-Type"));
            } catch (MultipartException e) {
                refuse(res, e);
                return;
            }
            PartHandler parts = handlers.apply(req);
            MultipartParser parser = new MultipartParser(boundary, limits, parts);
            Reading reading = new Reading(parser, parts, res);
            byte[] aggregated = req.body();
            if (aggregated.length > 0) { // a route without streamBody(): the body is all here
                reading.accept(aggregated, 0, aggregated.length);
                reading.end();
            } else {
                req.onBody(reading::accept, reading::end);
            }
        };
    }

    /** One request's form being read: stops at the first refusal and ignores the rest. */
    private static final class Reading {
        private final MultipartParser parser;
        private final PartHandler parts;
        private final Response response;
        private boolean refused;

        Reading(MultipartParser parser, PartHandler parts, Response response) {
            this.parser = parser;
            this.parts = parts;
            this.response = response;
        }

        void accept(byte[] array, int offset, int length) throws Exception {
            if (refused) return;
            try {
                parser.feed(array, offset, length);
            } catch (MultipartException e) {
                refused(e);
            }
        }

        void end() {
            if (refused) return;
            try {
                parser.finish();
            } catch (MultipartException e) {
                refused(e);
                return;
            }
            try {
                parts.onComplete(response);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("the form's handler failed to answer: " + e.getMessage(), e);
            }
        }

        private void refused(MultipartException e) {
            refused = true;
            refuse(response, e);
            parts.onRefused(e);
        }
    }

    private static void refuse(Response res, MultipartException e) {
        if (res.isCommitted()) return;
        res.status(e.status())
                .type("text/plain; charset=utf-8")
                .closeConnection()
                .send(e.getMessage() + "\n");
    }

    /** The boundary parameter of a multipart/form-data Content-Type (RFC 2046 §5.1.1: 1 to 70 characters). */
    static String boundary(String contentType) throws MultipartException {
        if (contentType == null
                || !ContentDisposition.type(contentType)
                        .toLowerCase(Locale.ROOT)
                        .equals("multipart/form-data"))
            throw new MultipartException(
                    415, "expected Content-Type: multipart/form-data; boundary=..., got " + contentType);
        String boundary = ContentDisposition.parameters(contentType).get("boundary");
        if (boundary == null || boundary.isEmpty())
            throw MultipartException.malformed("Content-Type multipart/form-data has no boundary parameter");
        if (boundary.length() > 70)
            throw MultipartException.malformed("the boundary is longer than 70 characters (RFC 2046)");
        for (int i = 0; i < boundary.length(); i++) {
            char c = boundary.charAt(i);
            boolean bchar = (c >= '0' && c <= '9')
                    || (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || "'()+_,-./:=? ".indexOf(c) >= 0;
            if (!bchar) throw MultipartException.malformed("the boundary has a character RFC 2046 does not allow");
        }
        if (boundary.endsWith(" ")) throw MultipartException.malformed("the boundary ends with a space (RFC 2046)");
        return boundary;
    }
}
