package io.netloop.http;

import io.netloop.core.file.FileRoot;
import io.netloop.core.file.FileStat;
import io.netloop.core.file.OpenFile;
import io.netloop.http.codec.DecodedPath;
import io.netloop.http.codec.Method;
import io.netloop.http.codec.PathDecoder;
import io.netloop.http.codec.Status;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves the files under a root directory: mount it with
 * {@code server.staticFiles("/", Path.of("site"))}.
 *
 * <ul>
 *   <li>A directory answers with its {@code index.html}; without one, 404, unless
 *       {@link #listDirectories} asks for a listing. A directory without its trailing slash
 *       is redirected (301) to it, so that relative links resolve.
 *   <li>Content-Type from {@link MimeTypes}, {@code X-Content-Type-Options: nosniff}, a strong
 *       {@link ETag} and Last-Modified; If-Match / If-Unmodified-Since (412), If-None-Match /
 *       If-Modified-Since (304) in the order of RFC 9110 §13.2.2.
 *   <li>Range (GET only, §14.2): one range gives 206 with Content-Range, several give
 *       {@code multipart/byteranges}, none satisfiable gives 416 with Content-Range
 *       "bytes &#42;/N" (N the length); If-Range sends the whole file when the validator no longer matches.
 *   <li>A {@code name.gz} sibling is sent instead, with {@code Content-Encoding: gzip}, to a
 *       client that accepts gzip; every compressible type gets {@code Vary: Accept-Encoding}.
 *   <li>Bodies go out with sendfile(2) through {@code TcpConnection.sendFile}: no copy.
 * </ul>
 *
 * <p>No request reads outside the root: the path was decoded and its dot segments resolved
 * by {@link PathDecoder} (".." above the root, "%00" and malformed escapes are 400 before
 * routing); here a path with an encoded slash or a backslash is 400, a dot-file segment
 * ({@code .git}, {@code .env}) is 404, and the file is opened through a {@link FileRoot}:
 * beneath the root's descriptor, where the kernel refuses any path that leaves the root,
 * through ".." or a link, in the same step as the open (403).
 *
 * <p>Owns its {@link FileRoot}, released by {@link #close}. Threading: immutable after
 * configuration; handlers run on loop threads. The file system calls (openat2, statx) block
 * briefly; the page cache usually answers them.
 */
public final class StaticFiles implements Handler, AutoCloseable {
    private static final AtomicLong BOUNDARIES = new AtomicLong();

    private final FileRoot root;
    private boolean listDirectories;

    /** @throws IOException when {@code root} does not exist or is not a directory */
    public StaticFiles(Path root) throws IOException {
        if (!Files.isDirectory(root)) throw new IOException(root + " is not a directory; give --root a directory");
        this.root = FileRoot.open(root);
    }

    /** Releases the root's descriptor. */
    @Override
    public void close() {
        root.close();
    }

    /** Lists a directory that has no index.html (off by default: a listing shows what was not linked). */
    public StaticFiles listDirectories(boolean on) {
        this.listDirectories = on;
        return this;
    }

    public Path root() {
        return root.path();
    }

    @Override
    public void handle(Request req, Response res) throws IOException {
        DecodedPath decoded = req.head().target().decodedPath();
        if (!decoded.isSafeForFileSystem()) {
            res.sendError(400); // "%2F" or "\" would be a separator on disk that the client did not send as one
            return;
        }
        String rel = req.param("*");
        if (rel == null) rel = req.path().substring(1);
        for (String segment : rel.split("/")) {
            if (segment.startsWith(".")) {
                res.sendError(404); // dot-files (.git, .env, .htpasswd) are never served
                return;
            }
        }
        serveBeneath(req, res, rel.endsWith("/") ? rel.substring(0, rel.length() - 1) : rel);
    }

    /** RFC 3986 §5.2: relative links in an index resolve against the slash-ended path. */
    private static void redirectToSlash(Request req, Response res) {
        String query = req.head().query();
        res.status(301)
                .setHeader("Location", req.head().target().rawPath() + "/" + (query.isEmpty() ? "" : "?" + query));
        res.send();
    }

    /**
     * Opens the file beneath the root, then stats the open file: four system calls per file
     * served (openat2, statx, sendfile, close), and nothing can be swapped between a check
     * and the open.
     */
    private void serveBeneath(Request req, Response res, String rel) throws IOException {
        OpenFile file = openUnderRoot(rel, res, true);
        if (file == null) return;
        try {
            FileStat st = file.stat();
            if (st.directory()) {
                file.close();
                if (!req.path().endsWith("/")) {
                    redirectToSlash(req, res);
                    return;
                }
                rel = rel.isEmpty() ? "index.html" : rel + "/index.html";
                file = openUnderRoot(rel, res, false);
                if (file == null) {
                    if (listDirectories)
                        sendListing(req, res, root.path().resolve(rel).getParent());
                    else res.sendError(404);
                    return;
                }
                st = file.stat();
            }
            if (!st.regularFile()) {
                res.sendError(404);
                return;
            }
            String type = MimeTypes.forName(rel.substring(rel.lastIndexOf('/') + 1));
            FileInfo gz = null;
            OpenFile g = MimeTypes.isCompressible(type) ? openUnderRoot(rel + ".gz", res, false) : null;
            try {
                if (g != null) {
                    FileStat gst = g.stat();
                    if (gst.regularFile()) gz = FileInfo.of(g, gst);
                }
                serve(req, res, FileInfo.of(file, st), type, gz);
            } finally {
                if (g != null) g.close();
            }
        } finally {
            if (file != null) file.close();
        }
    }

    /**
     * Opens {@code rel} beneath the root. When it is missing or refused, answers 404 or 403 if
     * {@code answer} (else just returns null: an optional file), and returns null.
     */
    private OpenFile openUnderRoot(String rel, Response res, boolean answer) throws IOException {
        try {
            OpenFile f = root.open(rel);
            if (f == null && answer) res.sendError(404);
            return f;
        } catch (AccessDeniedException e) {
            if (answer) res.sendError(403); // left the root, a loop of links, no permission
            return null;
        }
    }

    /** {@link Response#file}: a file the application chose, with no root to stay under. */
    static void sendFile(Request req, Response res, Path path) throws IOException {
        OpenFile file;
        try {
            file = OpenFile.open(path);
        } catch (NoSuchFileException e) {
            res.sendError(404);
            return;
        } catch (AccessDeniedException e) {
            res.sendError(403);
            return;
        }
        try {
            FileStat st = file.stat();
            if (!st.regularFile()) {
                res.sendError(404);
                return;
            }
            String type = MimeTypes.forName(path.getFileName().toString());
            OpenFile g = MimeTypes.isCompressible(type)
                    ? openSibling(path.resolveSibling(path.getFileName() + ".gz"))
                    : null;
            try {
                FileInfo gz = null;
                if (g != null) {
                    FileStat gst = g.stat();
                    if (gst.regularFile()) gz = FileInfo.of(g, gst);
                }
                serve(req, res, FileInfo.of(file, st), type, gz);
            } finally {
                if (g != null) g.close();
            }
        } finally {
            file.close();
        }
    }

    private static OpenFile openSibling(Path p) {
        try {
            return OpenFile.open(p);
        } catch (IOException e) {
            return null; // no sibling, or none we may read: the file itself is served
        }
    }

    /** What is served: an open file, its length, its modification time and its validator. */
    private record FileInfo(OpenFile file, long size, long mtimeSeconds, String etag) {
        static FileInfo of(OpenFile f, FileStat st) {
            return new FileInfo(
                    f,
                    st.size(),
                    st.mtimeNanos() / 1_000_000_000L,
                    ETag.forFile(st.inode(), st.size(), st.mtimeNanos()));
        }
    }

    /** Sends a range of the file; the connection takes its own reference to it. */
    private static void sendRegion(Response res, FileInfo info, long position, long length) {
        res.sendFileRegion(info.file(), position, length);
    }

    /** Headers, conditionals and ranges for a file found and stat'ed either way; {@code gz} its gzip sibling or null. */
    private static void serve(Request req, Response res, FileInfo info, String type, FileInfo gz) throws IOException {
        String encoding = null;
        if (gz != null) {
            res.header("Vary", "Accept-Encoding");
            if (req != null && Gzip.accepts(req.headers())) {
                info = gz;
                encoding = "gzip";
            }
        }
        res.setHeader("Content-Type", type);
        if (encoding != null) res.setHeader("Content-Encoding", encoding);
        res.setHeader("ETag", info.etag());
        res.setHeader("Last-Modified", DateCache.format(info.mtimeSeconds()));
        res.setHeader("Accept-Ranges", "bytes");
        res.setHeader("X-Content-Type-Options", "nosniff");
        if (req == null) {
            sendRegion(res, info, 0, info.size());
            return;
        }
        Method m = req.method();
        boolean getOrHead = m.equals(Method.GET) || m.equals(Method.HEAD);

        // RFC 9110 §13.2.2: If-Match, else If-Unmodified-Since; If-None-Match, else If-Modified-Since; then Range.
        String ifMatch = req.header("If-Match");
        if (ifMatch != null
                ? !ETag.matches(ifMatch, info.etag())
                : modifiedSince(req.header("If-Unmodified-Since"), info)) {
            preconditionFailed(res);
            return;
        }
        String ifNoneMatch = req.header("If-None-Match");
        if (ifNoneMatch != null) {
            if (ETag.noneMatchFails(ifNoneMatch, info.etag())) {
                if (getOrHead) notModified(res);
                else preconditionFailed(res);
                return;
            }
        } else if (getOrHead) {
            long since = DateCache.parse(req.header("If-Modified-Since"));
            if (since >= 0 && info.mtimeSeconds() <= since) {
                notModified(res);
                return;
            }
        }
        String range = req.header("Range");
        if (range != null && m.equals(Method.GET) && ifRangeHolds(req.header("If-Range"), info)) {
            RangeRequest ranges = RangeRequest.parse(range, info.size());
            if (ranges != null) {
                if (!ranges.satisfiable()) {
                    res.removeHeader("Content-Encoding");
                    res.status(416).setHeader("Content-Range", "bytes */" + info.size());
                    res.type("text/plain; charset=utf-8");
                    res.send("416 Range Not Satisfiable\n" + Status.advice(416) + "\n");
                } else if (ranges.ranges().size() == 1) {
                    RangeRequest.Span span = ranges.ranges().getFirst();
                    res.status(206).setHeader("Content-Range", span.contentRange(info.size()));
                    sendRegion(res, info, span.first(), span.length());
                } else {
                    sendMultipart(res, info, type, ranges.ranges());
                }
                return;
            }
        }
        sendRegion(res, info, 0, info.size());
    }

    private static boolean modifiedSince(String field, FileInfo info) {
        long since = DateCache.parse(field);
        return since >= 0 && info.mtimeSeconds() > since;
    }

    /** RFC 9110 §13.1.5: an entity tag must match strongly; a date must equal Last-Modified exactly. */
    private static boolean ifRangeHolds(String ifRange, FileInfo info) {
        if (ifRange == null) return true;
        String v = ifRange.trim();
        if (v.startsWith("\"") || v.startsWith("W/")) return ETag.strongEquals(v, info.etag());
        long date = DateCache.parse(v);
        return date >= 0 && date == info.mtimeSeconds();
    }

    private static void notModified(Response res) {
        // §15.4.5: a 304 carries the validators, not the representation's content fields.
        res.removeHeader("Content-Type");
        res.removeHeader("Content-Encoding");
        res.removeHeader("Accept-Ranges");
        res.status(304).send();
    }

    private static void preconditionFailed(Response res) {
        res.removeHeader("Content-Encoding");
        res.removeHeader("Accept-Ranges");
        res.sendError(412);
    }

    /** RFC 9110 §14.6: each range as a body part with its own Content-Type and Content-Range. */
    private static void sendMultipart(Response res, FileInfo info, String type, List<RangeRequest.Span> spans)
            throws IOException {
        String boundary = "netloop-" + Long.toHexString(System.nanoTime()) + "-" + BOUNDARIES.incrementAndGet();
        List<byte[]> heads = new ArrayList<>(spans.size());
        long total = 0;
        for (RangeRequest.Span s : spans) {
            byte[] h = ("\r\n--" + boundary + "\r\nContent-Type: " + type + "\r\nContent-Range: "
                            + s.contentRange(info.size()) + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            heads.add(h);
            total += h.length + s.length();
        }
        byte[] end = ("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        total += end.length;
        res.status(206).setHeader("Content-Type", "multipart/byteranges; boundary=" + boundary);
        res.sendMultipart(info.file(), spans, heads, end, total);
    }

    private void sendListing(Request req, Response res, Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (name.startsWith(".")) continue;
                names.add(Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? name + "/" : name);
            }
        }
        names.sort(String::compareTo);
        StringBuilder html = new StringBuilder("<!doctype html><meta charset=utf-8><title>Index of ")
                .append(escape(req.path()))
                .append("</title><h1>Index of ")
                .append(escape(req.path()))
                .append("</h1><ul>");
        for (String n : names) {
            html.append("<li><a href=\"")
                    .append(escape(PathEncoder.encodeSegment(n)))
                    .append("\">")
                    .append(escape(n))
                    .append("</a>");
        }
        html.append("</ul>\n");
        res.type("text/html; charset=utf-8").send(html.toString());
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Percent-encodes a file name for a link (RFC 3986 §3.3 pchar), keeping a trailing "/". */
    private static final class PathEncoder {
        static String encodeSegment(String name) {
            boolean dir = name.endsWith("/");
            String n = dir ? name.substring(0, name.length() - 1) : name;
            StringBuilder b = new StringBuilder();
            for (byte x : n.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                int c = x & 0xFF;
                if ((c >= 'a' && c <= 'z')
                        || (c >= 'A' && c <= 'Z')
                        || (c >= '0' && c <= '9')
                        || "-._~".indexOf(c) >= 0) {
                    b.append((char) c);
                } else {
                    b.append('%')
                            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
                }
            }
            return dir ? b.append('/').toString() : b.toString();
        }
    }
}
