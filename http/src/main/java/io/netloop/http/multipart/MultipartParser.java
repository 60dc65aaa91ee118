package io.netloop.http.multipart;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A push parser of one multipart/form-data body (RFC 7578 over RFC 2046 §5.1): bytes in, in
 * whatever pieces TCP made, {@link PartHandler} calls out.
 *
 * <p>Each piece is appended to a small buffer that holds only what cannot be decided yet: at
 * most a delimiter's length of a part's body (the tail that may be the start of the next
 * boundary), or one part's header block, bounded by {@link MultipartLimits#maxPartHeaderSize}.
 * Everything before that is handed over at once. The body is read as if it started with CRLF,
 * so that the first boundary is a delimiter like the others ("CRLF--boundary").
 *
 * <p>Owned by one request. Threading: its connection's loop thread.
 */
final class MultipartParser {
    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private enum State {
        PREAMBLE,
        AFTER_DELIMITER,
        HEADERS,
        BODY,
        EPILOGUE
    }

    private final byte[] delimiter;
    private final MultipartLimits limits;
    private final PartHandler handler;

    private byte[] buf = new byte[8192];
    private int start;
    private int end;

    private State state = State.PREAMBLE;
    private long total;
    private int parts;
    private long partSize;
    private String partName;

    MultipartParser(String boundary, MultipartLimits limits, PartHandler handler) {
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.limits = limits;
        this.handler = handler;
        buf[end++] = CR;
        buf[end++] = LF;
    }

    /** The next piece of the body. */
    void feed(byte[] array, int offset, int length) throws Exception {
        total += length;
        if (total > limits.maxTotalSize())
            throw MultipartException.tooLarge("the form is larger than " + limits.maxTotalSize() + " bytes");
        append(array, offset, length);
        process();
    }

    /** The body has ended. */
    void finish() throws MultipartException {
        switch (state) {
            case EPILOGUE -> {}
            case PREAMBLE ->
                throw MultipartException.malformed(
                        "no boundary delimiter in the body: it must start with --" + boundary());
            case BODY ->
                throw MultipartException.malformed(
                        "the body ends inside part '" + partName + "': no closing --" + boundary() + "--");
            case HEADERS -> throw MultipartException.malformed("the body ends inside a part's headers");
            case AFTER_DELIMITER ->
                throw MultipartException.malformed(
                        "the body ends right after a boundary: no closing --" + boundary() + "--");
        }
    }

    private String boundary() {
        return new String(delimiter, 4, delimiter.length - 4, StandardCharsets.ISO_8859_1);
    }

    private void append(byte[] array, int offset, int length) {
        if (buf.length - end < length) {
            int kept = end - start;
            if (buf.length < kept + length) buf = Arrays.copyOf(buf, Math.max(2 * buf.length, kept + length));
            System.arraycopy(buf, start, buf, 0, kept);
            start = 0;
            end = kept;
        }
        System.arraycopy(array, offset, buf, end, length);
        end += length;
    }

    private void process() throws Exception {
        for (boolean progress = true; progress; ) {
            progress = switch (state) {
                case PREAMBLE -> preamble();
                case AFTER_DELIMITER -> afterDelimiter();
                case HEADERS -> headers();
                case BODY -> body();
                case EPILOGUE -> {
                    start = end; // RFC 2046: the epilogue is to be ignored
                    yield false;
                }
            };
        }
        if (start == end) start = end = 0;
    }

    private boolean preamble() throws MultipartException {
        int at = indexOf(delimiter, start, end);
        if (at < 0) {
            // A preamble is allowed, but one longer than a header block means the boundary is wrong.
            if (end - start > limits.maxPartHeaderSize())
                throw MultipartException.malformed("no boundary delimiter (--" + boundary() + ") in the first "
                        + limits.maxPartHeaderSize() + " bytes of the body");
            return false;
        }
        start = at + delimiter.length;
        state = State.AFTER_DELIMITER;
        return true;
    }

    /** After "--boundary": "--" closes the form, CRLF opens a part (RFC 2046 allows spaces before it). */
    private boolean afterDelimiter() throws Exception {
        int i = start;
        while (i < end && (buf[i] == ' ' || buf[i] == '\t')) i++;
        if (end - i < 2) {
            if (i - start > 64) throw MultipartException.malformed("a boundary line does not end");
            return false;
        }
        if (buf[i] == '-' && buf[i + 1] == '-') {
            start = i + 2;
            state = State.EPILOGUE; // the form is complete; the answer waits for the body's end (MultipartForm)
            return true;
        }
        if (buf[i] == CR && buf[i + 1] == LF) {
            start = i + 2;
            if (parts == limits.maxParts())
                throw MultipartException.tooLarge("the form has more than " + limits.maxParts() + " parts");
            parts++;
            state = State.HEADERS;
            return true;
        }
        throw MultipartException.malformed("a boundary (--" + boundary()
                + ") is followed by neither CRLF nor --: the boundary occurs inside a part, or the body is not"
                + " multipart");
    }

    private boolean headers() throws Exception {
        int blockEnd;
        int next;
        if (end - start >= 2 && buf[start] == CR && buf[start + 1] == LF) {
            blockEnd = start; // no header at all
            next = start + 2;
        } else {
            int at = indexOf(CRLFCRLF, start, end);
            if (at < 0) {
                if (end - start > limits.maxPartHeaderSize())
                    throw MultipartException.tooLarge(
                            "a part's headers are longer than " + limits.maxPartHeaderSize() + " bytes");
                return false;
            }
            blockEnd = at;
            next = at + 4;
        }
        if (blockEnd - start > limits.maxPartHeaderSize())
            throw MultipartException.tooLarge(
                    "a part's headers are longer than " + limits.maxPartHeaderSize() + " bytes");
        Part part = part(new String(buf, start, blockEnd - start, StandardCharsets.UTF_8));
        start = next;
        state = State.BODY;
        partSize = 0;
        partName = part.name();
        handler.onPart(part);
        return true;
    }

    private static final byte[] CRLFCRLF = {CR, LF, CR, LF};

    private Part part(String block) throws MultipartException {
        Map<String, String> headers = new LinkedHashMap<>();
        if (!block.isEmpty()) {
            String[] lines = block.split("\r\n", -1);
            if (lines.length > limits.maxPartHeaderLines())
                throw MultipartException.tooLarge(
                        "a part has more than " + limits.maxPartHeaderLines() + " header lines");
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t')
                    throw MultipartException.malformed("a part's header line is not 'Name: value': " + quote(line));
                headers.put(
                        line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).strip());
            }
        }
        String disposition = headers.get("content-disposition");
        if (disposition == null)
            throw MultipartException.malformed("a part has no Content-Disposition (RFC 7578 §4.2)");
        Map<String, String> params = ContentDisposition.parameters(disposition);
        if (!ContentDisposition.type(disposition).equalsIgnoreCase("form-data"))
            throw MultipartException.malformed("a part's Content-Disposition is not form-data: " + quote(disposition));
        String name = params.get("name");
        if (name == null)
            throw MultipartException.malformed("a part's Content-Disposition has no name: " + quote(disposition));
        return new Part(
                name, params.get("filename"), headers.getOrDefault("content-type", "text/plain"), Map.copyOf(headers));
    }

    private static String quote(String s) {
        return "'" + (s.length() > 100 ? s.substring(0, 100) + "..." : s) + "'";
    }

    private boolean body() throws Exception {
        int at = indexOf(delimiter, start, end);
        if (at >= 0) {
            data(start, at - start);
            start = at + delimiter.length;
            state = State.AFTER_DELIMITER;
            handler.onPartEnd();
            return true;
        }
        // What cannot be the start of a delimiter is the part's for sure; the tail waits for more bytes.
        int sure = end - (delimiter.length - 1) - start;
        if (sure > 0) {
            data(start, sure);
            start += sure;
        }
        return false;
    }

    private void data(int from, int length) throws Exception {
        if (length == 0) return;
        partSize += length;
        if (partSize > limits.maxPartSize())
            throw MultipartException.tooLarge(
                    "part '" + partName + "' is larger than " + limits.maxPartSize() + " bytes");
        handler.onData(buf, from, length);
    }

    private int indexOf(byte[] pattern, int from, int to) {
        byte first = pattern[0];
        for (int i = from; i <= to - pattern.length; i++) {
            if (buf[i] != first) continue;
            int j = 1;
            while (j < pattern.length && buf[i + j] == pattern[j]) j++;
            if (j == pattern.length) return i;
        }
        return -1;
    }
}
