package io.netloop.http;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * ({@code .git}, {@code .env}) is 404, and the real path (symbolic links resolved) must lie
 * under the real root, else 403. A link swapped between that check and the open is not
 * caught (the root is trusted to its owner).
 *
 * <p>Threading: immutable after configuration; handlers run on loop threads. The file
 * system calls (stat, realpath) block briefly; the page cache usually answers them.
 */
public final class StaticFiles implements Handler {
    private static final AtomicLong BOUNDARIES = new AtomicLong();

    private final Path realRoot;
    private boolean listDirectories;

    /** @throws IOException when {@code root} does not exist or is not a directory */
    public StaticFiles(Path root) throws IOException {
        Path real = root.toRealPath();
        if (!Files.isDirectory(real)) throw new IOException(root + " is not a directory; give --root a directory");
        this.realRoot = real;
    }

    /** Lists a directory that has no index.html (off by default: a listing shows what was not linked). */
    public StaticFiles listDirectories(boolean on) {
        this.listDirectories = on;
        return this;
    }

    public Path root() {
        return realRoot;
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
        Path candidate = realRoot.resolve(rel).normalize();
        if (!candidate.startsWith(realRoot)) {
            res.sendError(403);
            return;
        }
        Path real = realUnderRoot(candidate, res);
        if (real == null) return;
        if (Files.isDirectory(real)) {
            if (!req.path().endsWith("/")) {
                // RFC 3986 §5.2: relative links in the index resolve against the slash-ended path.
                String query = req.head().query();
                res.status(301).setHeader("Location", req.head().target().rawPath() + "/" + (query.isEmpty() ? "" : "?" + query));
                res.send();
                return;
            }
            Path index = real.resolve("index.html");
            if (Files.isRegularFile(index)) {
                Path realIndex = realUnderRoot(index, res);
                if (realIndex != null) serve(req, res, realIndex, realRoot);
            } else if (listDirectories) {
                sendListing(req, res, real);
            } else {
                res.sendError(404);
            }
            return;
        }
        serve(req, res, real, realRoot);
    }

    /** The real path of {@code p} if it exists and lies under the root; else answers 404/403 and returns null. */
    private Path realUnderRoot(Path p, Response res) {
        Path real;
        try {
            real = p.toRealPath();
        } catch (NoSuchFileException e) {
            res.sendError(404);
            return null;
        } catch (IOException e) {
            res.sendError(403); // permission, a loop of links...
            return null;
        }
        if (!real.startsWith(realRoot)) {
            res.sendError(403); // a symbolic link leading out of the root
            return null;
        }
        return real;
    }

    /** {@link Response#file}: a file the application chose, with no root to stay under. */
    static void sendFile(Request req, Response res, Path file) throws IOException {
        serve(req, res, file, null);
    }

    private record FileInfo(Path path, long size, long mtimeSeconds, String etag) {}

    private static FileInfo stat(Path p) throws IOException {
        BasicFileAttributes basic = Files.readAttributes(p, BasicFileAttributes.class);
        if (!basic.isRegularFile()) return null;
        long inode;
        try {
            Map<String, Object> unix = Files.readAttributes(p, "unix:ino");
            inode = ((Number) unix.get("ino")).longValue();
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            inode = basic.fileKey() == null ? 0 : basic.fileKey().hashCode();
        }
        FileTime mtime = basic.lastModifiedTime();
        return new FileInfo(p, basic.size(), mtime.to(TimeUnit.SECONDS),
                ETag.forFile(inode, basic.size(), mtime.to(TimeUnit.NANOSECONDS)));
    }

    private static void serve(Request req, Response res, Path file, Path root) throws IOException {
        FileInfo info;
        try {
            info = stat(file);
        } catch (NoSuchFileException e) {
            res.sendError(404);
            return;
        } catch (AccessDeniedException e) {
            res.sendError(403);
            return;
        }
        if (info == null) {
            res.sendError(404);
            return;
        }
        if (!Files.isReadable(file)) {
            res.sendError(403);
            return;
        }
        String type = MimeTypes.forName(file.getFileName().toString());
        boolean compressible = MimeTypes.isCompressible(type);
        String encoding = null;
        if (compressible) {
            FileInfo gz = precompressed(file, root);
            if (gz != null) {
                res.header("Vary", "Accept-Encoding");
                if (req != null && Gzip.accepts(req.headers())) {
                    info = gz;
                    encoding = "gzip";
                }
            }
        }
        res.setHeader("Content-Type", type);
        if (encoding != null) res.setHeader("Content-Encoding", encoding);
        res.setHeader("ETag", info.etag());
        res.setHeader("Last-Modified", DateCache.format(info.mtimeSeconds()));
        res.setHeader("Accept-Ranges", "bytes");
        res.setHeader("X-Content-Type-Options", "nosniff");
        if (req == null) {
            res.sendFileRegion(info.path(), 0, info.size());
            return;
        }
        Method m = req.method();
        boolean getOrHead = m.equals(Method.GET) || m.equals(Method.HEAD);

        // RFC 9110 §13.2.2: If-Match, else If-Unmodified-Since; If-None-Match, else If-Modified-Since; then Range.
        String ifMatch = req.header("If-Match");
        if (ifMatch != null ? !ETag.matches(ifMatch, info.etag())
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
                    res.sendFileRegion(info.path(), span.first(), span.length());
                } else {
                    sendMultipart(res, info, type, ranges.ranges());
                }
                return;
            }
        }
        res.sendFileRegion(info.path(), 0, info.size());
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
                    + s.contentRange(info.size()) + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            heads.add(h);
            total += h.length + s.length();
        }
        byte[] end = ("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        total += end.length;
        res.status(206).setHeader("Content-Type", "multipart/byteranges; boundary=" + boundary);
        res.sendMultipart(info.path(), spans, heads, end, total);
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
                .append(escape(req.path())).append("</title><h1>Index of ").append(escape(req.path())).append("</h1><ul>");
        for (String n : names) {
            html.append("<li><a href=\"").append(escape(PathEncoder.encodeSegment(n))).append("\">").append(escape(n)).append("</a>");
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
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                    b.append((char) c);
                } else {
                    b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                            .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
                }
            }
            return dir ? b.append('/').toString() : b.toString();
        }
    }

    /** The gzip sibling {@code name.gz} of {@code file}, if it exists (and, under a root, stays in it). */
    private static FileInfo precompressed(Path file, Path root) {
        Path gz = file.resolveSibling(file.getFileName() + ".gz");
        try {
            if (!Files.isRegularFile(gz)) return null;
            Path real = gz.toRealPath();
            if (root != null && !real.startsWith(root)) return null;
            return stat(real);
        } catch (IOException e) {
            return null;
        }
    }
}
