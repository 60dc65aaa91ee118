package io.netloop.http.multipart;

/**
 * What a multipart form may hold before it is refused: with 413 for sizes and counts, so a
 * client learns which limit it hit.
 *
 * <p>The whole body is also held to the route's {@code maxBodySize} by the HTTP layer (1 GiB by
 * default for a streamed route); {@code maxTotalSize} is the form's own, usually lower.
 *
 * <p>Threading: immutable.
 *
 * @param maxParts parts in one form (fields and files together)
 * @param maxPartSize bytes in one part's body
 * @param maxTotalSize bytes in the whole body, boundaries and headers included
 * @param maxPartHeaderSize bytes of one part's header block (its Content-Disposition and
 *     Content-Type lines): a part that never ends its headers must not fill the heap
 * @param maxPartHeaderLines header lines of one part: browsers send two or three
 */
public record MultipartLimits(
        int maxParts, long maxPartSize, long maxTotalSize, int maxPartHeaderSize, int maxPartHeaderLines) {
    /** 100 parts, 10 MiB a part, 100 MiB in all, 8 KiB and 16 lines of headers a part. */
    public static final MultipartLimits DEFAULT = new MultipartLimits(100, 10L << 20, 100L << 20, 8 << 10, 16);

    public MultipartLimits {
        if (maxParts < 1 || maxPartSize < 0 || maxTotalSize < 0 || maxPartHeaderSize < 64 || maxPartHeaderLines < 1)
            throw new IllegalArgumentException("multipart limits out of range: " + maxParts + " parts, "
                    + maxPartSize + " bytes a part, " + maxTotalSize + " in all, " + maxPartHeaderSize
                    + " bytes and " + maxPartHeaderLines + " lines of headers (at least 1, 0, 0, 64, 1)");
    }

    public MultipartLimits withMaxParts(int n) {
        return new MultipartLimits(n, maxPartSize, maxTotalSize, maxPartHeaderSize, maxPartHeaderLines);
    }

    public MultipartLimits withMaxPartSize(long bytes) {
        return new MultipartLimits(maxParts, bytes, maxTotalSize, maxPartHeaderSize, maxPartHeaderLines);
    }

    public MultipartLimits withMaxTotalSize(long bytes) {
        return new MultipartLimits(maxParts, maxPartSize, bytes, maxPartHeaderSize, maxPartHeaderLines);
    }

    public MultipartLimits withPartHeaders(int bytes, int lines) {
        return new MultipartLimits(maxParts, maxPartSize, maxTotalSize, bytes, lines);
    }
}
