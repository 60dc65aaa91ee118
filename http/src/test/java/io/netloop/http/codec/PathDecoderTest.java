package io.netloop.http.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Percent-decoding and dot-segment removal, with the traversal attempts a file server must survive. */
class PathDecoderTest {

    @Test
    void plainPathIsUnchangedAndSafe() {
        DecodedPath p = PathDecoder.decode("/static/css/site.css");
        assertThat(p.path()).isEqualTo("/static/css/site.css");
        assertThat(p.isSafeForFileSystem()).isTrue();
    }

    @Test
    void percentEncodedUtf8IsDecoded() {
        assertThat(PathDecoder.decode("/caf%C3%A9/a%20b/%25").path()).isEqualTo("/café/a b/%");
    }

    @ParameterizedTest
    @CsvSource({
        "/a/./b,        /a/b",
        "/a/b/..,       /a/",
        "/a/b/.,        /a/b/",
        "/a/../b,       /b",
        "/a/..,         /",
        "/.,            /",
        "/./,           /",
        "/a//../b,      /b",
        "/a/%2e/b,      /a/b",
        "/a/%2E%2e/b,   /b",
        "/a/b/%2e%2E/,  /a/",
        "/a/b/,         /a/b/",
        "/a//b,         /a/b",
        "//a///b//,     /a/b/",
        "//,            /",
        "/...,          /...",
        "/..a/.b,       /..a/.b"
    })
    void dotSegmentsAreResolved(String raw, String expected) {
        assertThat(PathDecoder.decode(raw).path()).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/..",
                "/../",
                "/../etc/passwd",
                "/a/../..",
                "/a/b/../../../c",
                "/%2e%2e",
                "/%2E%2e/",
                "/%2e%2E/etc/passwd",
                "/.%2e/x",
                "/%2e./x",
                "/./../x"
            })
    void climbingAboveTheRootIsRefused(String raw) {
        assertThatThrownBy(() -> PathDecoder.decode(raw)).isInstanceOf(MalformedPathException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/..%2f", "/..%2F..%2Fetc/passwd", "/a%2Fb", "/%2f"})
    void encodedSlashIsFlagged(String raw) {
        DecodedPath p = PathDecoder.decode(raw);
        assertThat(p.hasEncodedSlash()).isTrue();
        assertThat(p.isSafeForFileSystem()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a\\b", "/..\\..\\etc\\passwd", "/a%5cb", "/a%5Cb", "/%5c..%5c"})
    void backslashIsFlagged(String raw) {
        DecodedPath p = PathDecoder.decode(raw);
        assertThat(p.hasBackslash()).isTrue();
        assertThat(p.isSafeForFileSystem()).isFalse();
    }

    // Found by PathDecoderFuzzTest: the flag outlives the segment; the path is refused for files all the same.
    @ParameterizedTest
    @ValueSource(strings = {"/\\E]/.%2e/", "/a%5Cb/../c", "/a%2Fb/../c"})
    void flagsStaySetWhenDotDotRemovesTheirSegment(String raw) {
        DecodedPath p = PathDecoder.decode(raw);
        assertThat(p.path()).doesNotContain("\\").doesNotContain("..");
        assertThat(p.isSafeForFileSystem()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a%00b", "/%00", "/a/%00/..", "/%00%2e"})
    void encodedNulIsRefused(String raw) {
        assertThatThrownBy(() -> PathDecoder.decode(raw))
                .isInstanceOf(MalformedPathException.class)
                .hasMessageContaining("NUL");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%zz", "/%4", "/%", "/a%g1", "/%%41", "/%4/x"})
    void malformedPercentEncodingIsRefused(String raw) {
        assertThatThrownBy(() -> PathDecoder.decode(raw)).isInstanceOf(MalformedPathException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%C0%AE%C0%AE/x", "/%C0%AF", "/%ff", "/%C3", "/%E9t%E9", "/%ED%A0%80"})
    void bytesThatAreNotUtf8AreRefused(String raw) {
        assertThatThrownBy(() -> PathDecoder.decode(raw)).isInstanceOf(MalformedPathException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a b", "/a\u0000", "/caf\u00e9", "/a\tb", "/a?b", "/a#b", "/a\u007f"})
    void charactersOutsideAUriPathAreRefused(String raw) {
        assertThatThrownBy(() -> PathDecoder.decode(raw)).isInstanceOf(MalformedPathException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/b", "*", "..", "%2F"})
    void pathWithoutLeadingSlashIsRefused(String raw) {
        assertThatThrownBy(() -> PathDecoder.decode(raw)).isInstanceOf(MalformedPathException.class);
    }
}
