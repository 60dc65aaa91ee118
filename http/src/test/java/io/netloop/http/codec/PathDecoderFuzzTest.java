package io.netloop.http.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzzing of {@link PathDecoder} and {@link RequestTarget} (Jazzer), the code
 * that stands between a request and the file system. The input bytes are the raw target, one
 * character each (ISO-8859-1). A plain build runs the committed inputs in
 * {@code src/test/resources/io/netloop/http/PathDecoderFuzzTestInputs}.
 */
class PathDecoderFuzzTest {
    private static final String UNRESERVED = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
    private static final List<Method> METHODS = List.of(Method.GET, Method.OPTIONS, Method.CONNECT);

    /**
     * A path is refused with {@link MalformedPathException} or decodes to one that starts with
     * "/", holds no NUL, never climbs above the root, and (unless the client hid a separator in
     * "%2F" or "\", which the result flags) holds no "." or ".." segment and no "//". Decoding is
     * a normal form: decoding its own output again (where no "%2F" became a "/"), or the output
     * percent-encoded, gives the output back, and percent-encoding unreserved characters of the
     * input (RFC 3986 §6.2.2.2) changes nothing.
     */
    @FuzzTest(maxDuration = "5m")
    @DictionaryEntries({
        "/", "//", "/./", "/../", "..", "%2e", "%2E", "%2f", "%2F", "%5c", "\\\\", "%00", "%C0%AE", "%25", "%"
    })
    void decodedPathStaysBeneathTheRootAndIsANormalForm(byte[] input) {
        String raw = new String(input, StandardCharsets.ISO_8859_1);
        DecodedPath decoded = decodeOrNull(raw);
        assertThat(decodeOrNull(encodeUnreserved(raw)))
                .as("%s with its unreserved characters percent-encoded", raw)
                .isEqualTo(decoded);
        if (decoded == null) return;

        String path = decoded.path();
        assertThat(path).as("decoded %s", raw).startsWith("/").doesNotContain("\u0000");
        if (decoded.isSafeForFileSystem()) {
            assertThat(segments(path)).as("segments of %s", path).doesNotContain(".", "..");
            assertThat(path).doesNotContain("//");
            assertThat(decodeOrNull(encode(path)))
                    .as("%s decoded after percent-encoding it", path)
                    .isEqualTo(new DecodedPath(path, false, false));
        }
        // With "%2F" decoded, the path has separators the first decoding did not split on.
        // The flags may be set by a segment that ".." removed (refusing too much is safe), never missed.
        if (path.indexOf('\\') >= 0)
            assertThat(decoded.hasBackslash()).as("backslash flag of %s", raw).isTrue();
        if (!decoded.hasEncodedSlash()
                && path.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != '%' && c != '?' && c != '#')) {
            DecodedPath again = decodeOrNull(path);
            assertThat(again).as("%s decoded again", path).isNotNull();
            assertThat(again.path()).as("%s decoded again", path).isEqualTo(path);
        }
    }

    /**
     * The parser's fast path agrees with the decoder: a raw path that {@link PathDecoder#isNormal}
     * accepts decodes to itself, unflagged, so routing it on its raw bytes routes the same path.
     * (The converse need not hold: the fast path may send a normal path the slow way.)
     */
    @FuzzTest(maxDuration = "5m")
    @DictionaryEntries({"/", "//", "/./", "/../", "..", ".", "%2e", "%2F", "\\", "/a", "?"})
    void aPathTheFastPathTakesDecodesToItself(byte[] input) {
        String raw = new String(input, StandardCharsets.ISO_8859_1);
        if (!PathDecoder.isNormal(input, 0, input.length)) return;
        assertThat(decodeOrNull(raw)).as("decoded %s", raw).isEqualTo(new DecodedPath(raw, false, false));
    }

    /**
     * A target that the request-line parser lets through (visible ASCII, no "#") is refused with
     * {@link MalformedTargetException} or taken apart into pieces that put it back together.
     */
    @FuzzTest(maxDuration = "5m")
    @DictionaryEntries({"http://", "https://", "HTTP://", "*", "?", "@", ":", "[::1]", ":80", "/", "%2e", "..", "host"})
    void requestTargetIsTakenApartOrRefused(byte[] input) {
        if (input.length == 0) return;
        Method method = METHODS.get((input[0] & 0xFF) % METHODS.size());
        String raw = new String(input, 1, input.length - 1, StandardCharsets.ISO_8859_1);
        // The parser's own check on the request line (HttpParser.readRequestLine) comes first.
        if (raw.isEmpty() || !raw.chars().allMatch(c -> c > 0x20 && c < 0x7F && c != '#')) return;
        RequestTarget target;
        try {
            target = RequestTarget.parse(method, raw);
        } catch (MalformedTargetException refused) {
            return;
        }
        assertThat(target.raw()).isEqualTo(raw);
        switch (target.form()) {
            case AUTHORITY -> assertThat(target.authority()).isEqualTo(raw);
            case ASTERISK -> assertThat(raw).isEqualTo("*");
            case ORIGIN, ABSOLUTE -> {
                String pathAndQuery = target.rawPath() + (raw.indexOf('?') >= 0 ? "?" + target.query() : "");
                String afterAuthority = raw;
                if (target.form() == RequestTarget.Form.ABSOLUTE) {
                    assertThat(HostSyntax.isValidAuthority(target.authority(), false))
                            .as("authority of %s", raw)
                            .isTrue();
                    String hierarchical = raw.substring(raw.indexOf("://") + 3);
                    assertThat(hierarchical).startsWith(target.authority());
                    afterAuthority = hierarchical.substring(target.authority().length());
                    // RFC 9110 §4.2.3: an empty path reads as "/".
                    if (!afterAuthority.startsWith("/")) pathAndQuery = pathAndQuery.substring(1);
                }
                assertThat(pathAndQuery).as("path and query of %s", raw).isEqualTo(afterAuthority);
                assertThat(target.decodedPath()).isEqualTo(PathDecoder.decode(target.rawPath()));
            }
        }
    }

    private static DecodedPath decodeOrNull(String raw) {
        try {
            return PathDecoder.decode(raw);
        } catch (MalformedPathException refused) {
            return null;
        }
    }

    private static List<String> segments(String path) {
        return Arrays.asList(path.split("/", -1));
    }

    /** Every unreserved character written as %XX, except within a percent-encoding. */
    private static String encodeUnreserved(String raw) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int end = Math.min(raw.length(), i + 3);
                b.append(raw, i, end);
                i = end - 1;
            } else if (UNRESERVED.indexOf(c) >= 0) {
                b.append('%').append(String.format("%02X", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** A decoded path written as a client would send it: every byte of UTF-8 but "/" and unreserved ones as %XX. */
    private static String encode(String path) {
        StringBuilder b = new StringBuilder();
        for (byte x : path.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xFF;
            if (c == '/' || UNRESERVED.indexOf(c) >= 0) b.append((char) c);
            else b.append('%').append(String.format("%02X", c));
        }
        return b.toString();
    }
}
