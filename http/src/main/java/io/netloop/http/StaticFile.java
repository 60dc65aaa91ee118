package io.netloop.http;

import io.netloop.core.file.FileStat;
import io.netloop.core.file.OpenFile;
import io.netloop.http.codec.AcceptEncoding;
import java.nio.charset.StandardCharsets;

/**
 * What a request path resolved to beneath a {@link StaticFiles} root: a regular file, open,
 * with its precompressed siblings and every header field it is sent with, encoded once; or
 * the answer that there is nothing to send ({@link #NOT_FOUND}, {@link #FORBIDDEN}).
 *
 * <p>{@link StaticFiles} makes one per request when it does not cache, and keeps it in the
 * loop's {@link FileCache} otherwise: a hit then costs no system call and makes nothing.
 * The fields are those the uncached path would send, built by the same code, so a cached
 * answer can differ from an uncached one only by what changed on disk since it was resolved.
 *
 * <p>Owns one reference to each open file, given back by {@link #close}; a queued send holds
 * its own, so closing while a body is still going out is safe. Threading: the loop thread
 * that resolved it (or the one handler thread, uncached).
 */
final class StaticFile implements AutoCloseable {
    /** The answer when nothing is served. */
    static final int NOT_FOUND = 404, FORBIDDEN = 403;

    /** 200 for a file; else the error status to answer. */
    final int answer;

    /** The file as it is; then its siblings by coding (null where absent). */
    final Variant identity;

    private final Variant gzip, br, zstd;
    /** The codings of the siblings present ({@link AcceptEncoding} bits). */
    final int codings;

    final String type;

    // The cache's bookkeeping: the key, its hash, until when the entry is trusted, the LRU links.
    byte[] key;
    int hash;
    long validUntil;
    long lastUsed;
    StaticFile newer, older, nextInBucket;

    /** Nothing to send: {@link #NOT_FOUND} or {@link #FORBIDDEN}, answered with that status (a negative entry when cached). */
    static StaticFile error(int status) {
        return new StaticFile(status);
    }

    private StaticFile(int answer) {
        this.answer = answer;
        this.identity = this.gzip = this.br = this.zstd = null;
        this.codings = 0;
        this.type = null;
    }

    /** A regular file and its siblings: {@code siblings[i]} in the coding of bit {@code 1 << i}, or null. */
    StaticFile(String type, OpenFile file, FileStat stat, OpenFile[] siblings, FileStat[] siblingStats) {
        this.answer = 200;
        this.type = type;
        int mask = 0;
        for (int i = 0; i < siblings.length; i++) if (siblings[i] != null) mask |= 1 << i;
        this.codings = mask;
        boolean vary = MimeTypes.isCompressible(type) && mask != 0;
        this.identity = new Variant(file, stat, type, null, vary);
        this.gzip = variant(AcceptEncoding.GZIP, siblings, siblingStats, type, vary);
        this.br = variant(AcceptEncoding.BR, siblings, siblingStats, type, vary);
        this.zstd = variant(AcceptEncoding.ZSTD, siblings, siblingStats, type, vary);
    }

    private static Variant variant(int coding, OpenFile[] files, FileStat[] stats, String type, boolean vary) {
        int i = Integer.numberOfTrailingZeros(coding);
        return files[i] == null ? null : new Variant(files[i], stats[i], type, AcceptEncoding.name(coding), vary);
    }

    /** Whether this is a file to send (else {@link #answer} is the error status). */
    boolean isFile() {
        return answer == 200;
    }

    /** The representation in {@code coding} (0 for the file as it is). */
    Variant variant(int coding) {
        return switch (coding) {
            case AcceptEncoding.GZIP -> gzip;
            case AcceptEncoding.BR -> br;
            case AcceptEncoding.ZSTD -> zstd;
            default -> identity;
        };
    }

    /** Descriptors this holds open: what the cache counts against its budget. */
    int descriptors() {
        return isFile() ? 1 + Integer.bitCount(codings) : 0;
    }

    @Override
    public void close() {
        if (!isFile()) return;
        identity.file.close();
        if (gzip != null) gzip.file.close();
        if (br != null) br.file.close();
        if (zstd != null) zstd.file.close();
    }

    @Override
    public String toString() {
        return isFile()
                ? "StaticFile[" + identity.file.name() + ", codings " + codings + "]"
                : "StaticFile[" + answer + "]";
    }

    /**
     * One representation: the open file, its validators, and its header fields, both as
     * name/value pairs and encoded (Content-Type, Content-Encoding, ETag, Last-Modified,
     * Accept-Ranges, X-Content-Type-Options, Vary).
     */
    static final class Variant {
        final OpenFile file;
        final long size;
        final long mtimeSeconds;
        final String etag;
        final String[] pairs;
        final byte[] block;

        Variant(OpenFile file, FileStat stat, String type, String encoding, boolean vary) {
            this.file = file;
            this.size = stat.size();
            this.mtimeSeconds = stat.mtimeNanos() / 1_000_000_000L;
            this.etag = ETag.forFile(stat.inode(), stat.size(), stat.mtimeNanos());
            String lastModified = DateCache.format(mtimeSeconds);
            int n = 5 + (encoding != null ? 1 : 0) + (vary ? 1 : 0);
            String[] p = new String[2 * n];
            int i = 0;
            if (vary) {
                p[i++] = "Vary";
                p[i++] = "Accept-Encoding";
            }
            p[i++] = "Content-Type";
            p[i++] = type;
            if (encoding != null) {
                p[i++] = "Content-Encoding";
                p[i++] = encoding;
            }
            p[i++] = "ETag";
            p[i++] = etag;
            p[i++] = "Last-Modified";
            p[i++] = lastModified;
            p[i++] = "Accept-Ranges";
            p[i++] = "bytes";
            p[i++] = "X-Content-Type-Options";
            p[i++] = "nosniff";
            this.pairs = p;
            StringBuilder b = new StringBuilder(192);
            for (int k = 0; k < p.length; k += 2)
                b.append(p[k]).append(": ").append(p[k + 1]).append("\r\n");
            this.block = b.toString().getBytes(StandardCharsets.ISO_8859_1);
        }
    }
}
