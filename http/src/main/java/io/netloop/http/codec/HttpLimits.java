package io.netloop.http.codec;

/**
 * The bounds a parser holds a request to, so that no peer can make it buffer or count without
 * end. Each limit admits exactly its value and refuses one more.
 *
 * <p>Threading: immutable; safe from any thread.
 *
 * @param maxRequestLineLength    bytes of the request line without its CRLF (and of any empty
 *                                lines before it, which RFC 9112 §2.2 lets us skip); over it: 414
 * @param maxHeaderSectionSize    bytes of the header section: every field line with its CRLF and
 *                                the empty line that ends the section; over it: 431. A trailer
 *                                section is held to the same bound.
 * @param maxHeaderFields         field lines in the header section (and in a trailer section);
 *                                over it: 431
 * @param maxBodySize             bytes of message body (after removing chunked coding); over it:
 *                                413. The default for each request: a caller may raise it for one
 *                                request after {@link ParseResult#HEAD_COMPLETE}, see
 *                                {@link HttpParser#bodyLimit(long)}.
 * @param maxChunkExtensionLength bytes after the chunk size on one chunk-size line; over it: 400
 */
public record HttpLimits(
        int maxRequestLineLength,
        int maxHeaderSectionSize,
        int maxHeaderFields,
        long maxBodySize,
        int maxChunkExtensionLength) {

    /** 8 KiB request line, 16 KiB header section, 100 fields, 1 MiB body, 1 KiB chunk extension. */
    public static final HttpLimits DEFAULT = new HttpLimits(8 * 1024, 16 * 1024, 100, 1024 * 1024, 1024);

    public HttpLimits {
        positive("maxRequestLineLength", maxRequestLineLength);
        positive("maxHeaderSectionSize", maxHeaderSectionSize);
        positive("maxHeaderFields", maxHeaderFields);
        if (maxBodySize < 0) throw new IllegalArgumentException("maxBodySize must not be negative: " + maxBodySize);
        if (maxChunkExtensionLength < 0) {
            throw new IllegalArgumentException(
                    "maxChunkExtensionLength must not be negative: " + maxChunkExtensionLength);
        }
    }

    private static void positive(String name, int value) {
        if (value <= 0) throw new IllegalArgumentException(name + " must be positive: " + value);
    }

    public HttpLimits withMaxRequestLineLength(int n) {
        return new HttpLimits(n, maxHeaderSectionSize, maxHeaderFields, maxBodySize, maxChunkExtensionLength);
    }

    public HttpLimits withMaxHeaderSectionSize(int n) {
        return new HttpLimits(maxRequestLineLength, n, maxHeaderFields, maxBodySize, maxChunkExtensionLength);
    }

    public HttpLimits withMaxHeaderFields(int n) {
        return new HttpLimits(maxRequestLineLength, maxHeaderSectionSize, n, maxBodySize, maxChunkExtensionLength);
    }

    public HttpLimits withMaxBodySize(long n) {
        return new HttpLimits(maxRequestLineLength, maxHeaderSectionSize, maxHeaderFields, n, maxChunkExtensionLength);
    }

    public HttpLimits withMaxChunkExtensionLength(int n) {
        return new HttpLimits(maxRequestLineLength, maxHeaderSectionSize, maxHeaderFields, maxBodySize, n);
    }
}
