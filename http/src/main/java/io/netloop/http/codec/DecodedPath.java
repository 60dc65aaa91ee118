package io.netloop.http.codec;

/**
 * A request path after percent-decoding and dot-segment removal, with the two things a
 * file-serving route must still refuse, because decoding made them look like separators.
 *
 * <p>Threading: immutable; safe from any thread.
 *
 * @param path            the decoded path: "/" followed by segments joined with "/"; a trailing
 *                        slash is kept. Empty for an authority-form target, "*" for asterisk-form.
 * @param hasEncodedSlash some segment held "%2F", so {@code path} may have a "/" that the client
 *                        did not send as a separator; a file server must refuse the path
 * @param hasBackslash    the path held "\" (sent as is or as "%5C"), which some file systems
 *                        read as a separator; a file server must refuse the path. Both flags stay
 *                        set when ".." removed the segment that raised them: such a path was
 *                        crafted, and refusing it costs no honest client anything.
 */
public record DecodedPath(String path, boolean hasEncodedSlash, boolean hasBackslash) {

    /** Whether every "/" in {@link #path} is a separator the client sent and no "\" hides another. */
    public boolean isSafeForFileSystem() {
        return !hasEncodedSlash && !hasBackslash;
    }
}
