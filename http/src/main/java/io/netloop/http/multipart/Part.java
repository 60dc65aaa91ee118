package io.netloop.http.multipart;

import java.util.Map;

/**
 * One part of a form, as its headers describe it; its body follows through {@link
 * PartHandler#onData}.
 *
 * <p>Threading: immutable.
 *
 * @param name the form field's name (Content-Disposition's {@code name})
 * @param filename the uploaded file's name as the client gave it, or null for a plain field;
 *     never a path to trust (it may hold "../" or be empty)
 * @param contentType the part's Content-Type, {@code text/plain} when it has none (RFC 7578
 *     §4.4)
 * @param headers every header of the part, names in lower case
 */
public record Part(String name, String filename, String contentType, Map<String, String> headers) {
    /** Whether the part is a file (it has a filename), not a plain field. */
    public boolean isFile() {
        return filename != null;
    }
}
