package io.netloop.http;

import io.netloop.core.file.DescriptorLimit;
import io.netloop.core.file.FileRoot;
import io.netloop.core.file.FileStat;
import io.netloop.core.file.OpenFile;
import io.netloop.core.loop.EventLoop;
import io.netloop.core.sys.ErrnoException;
import io.netloop.http.codec.AcceptEncoding;
import io.netloop.http.codec.HttpRequest;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 *   <li>Precompressed siblings ({@code name.br}, {@code name.zst}, {@code name.gz}) are sent
 *       instead, with their Content-Encoding, to a client whose Accept-Encoding prefers them
 *       ({@link AcceptEncoding}); a compressible file with a sibling gets
 *       {@code Vary: Accept-Encoding}.
 *   <li>Bodies go out with sendfile(2) through {@code TcpConnection.sendFile}: no copy.
 *   <li>An open-file cache per event loop ({@link #cache}, on by default) keeps what each path
 *       resolved to, descriptors open and header fields encoded, for a second: a hit makes no
 *       system call but the sendfile and allocates nothing; after the second the path is
 *       resolved again the uncached way, so changes on disk show within it. 404s are cached
 *       too. Routes offloaded to workers or virtual threads resolve every request.
 * </ul>
 *
 * <p>No request reads outside the root: the path was decoded and its dot segments resolved
 * by {@link PathDecoder} (".." above the root, "%00" and malformed escapes are 400 before
 * routing); here a path with an encoded slash or a backslash is 400, a dot-file segment
 * ({@code .git}, {@code .env}) is 404, and the file is opened through a {@link FileRoot}:
 * beneath the root's descriptor, where the kernel refuses any path that leaves the root,
 * through ".." or a link, in the same step as the open (403).
 *
 * <p>Owns its {@link FileRoot}, released by {@link #close}; each loop's cache closes with
 * its loop. Threading: immutable after configuration; handlers run on loop threads, each
 * with its own cache. The file system calls (openat2, statx) block briefly; the page cache
 * usually answers them.
 */
public final class StaticFiles implements Handler, AutoCloseable {
    private static final AtomicLong BOUNDARIES = new AtomicLong();

    /** Defaults of the open-file cache: per loop, like nginx's open_file_cache max=... but shorter-lived. */
    public static final int DEFAULT_CACHE_ENTRIES = 4096;

    public static final Duration DEFAULT_CACHE_VALIDITY = Duration.ofSeconds(1);
    public static final Duration DEFAULT_CACHE_INACTIVE = Duration.ofSeconds(60);

    private static final int EMFILE = 24;
    private static final int[] CODINGS = {AcceptEncoding.GZIP, AcceptEncoding.BR, AcceptEncoding.ZSTD};

    private final FileRoot root;
    private boolean listDirectories;
    private int cacheEntries = DEFAULT_CACHE_ENTRIES;
    private long cacheValidNanos = DEFAULT_CACHE_VALIDITY.toNanos();
    private long cacheInactiveNanos = DEFAULT_CACHE_INACTIVE.toNanos();
    /** The cache's share of the descriptor limit, across all loops. */
    private final long descriptorBudget;
    /** One per loop that served a file, found by a scan (loops are few); copied on write. */
    private volatile LoopCache[] caches = new LoopCache[0];

    private record LoopCache(EventLoop loop, FileCache cache) {}

    /** @throws IOException when {@code root} does not exist or is not a directory */
    public StaticFiles(Path root) throws IOException {
        if (!Files.isDirectory(root)) throw new IOException(root + " is not a directory; give --root a directory");
        this.root = FileRoot.open(root);
        long soft;
        try {
            soft = DescriptorLimit.current().soft();
        } catch (IOException e) {
            soft = 1024; // the usual default: a cautious budget
        }
        this.descriptorBudget = Math.max(16, Math.min(Integer.MAX_VALUE, soft / 8));
    }

    /** Releases the root's descriptor; each loop's cache closes with its loop. */
    @Override
    public void close() {
        root.close();
    }

    /** Lists a directory that has no index.html (off by default: a listing shows what was not linked). */
    public StaticFiles listDirectories(boolean on) {
        this.listDirectories = on;
        return this;
    }

    /**
     * Sizes the open-file cache: at most {@code entries} paths per event loop (0 turns it off),
     * each trusted for {@code validity} before it is resolved again. Descriptors held by the
     * caches of all loops stay under an eighth of the process's limit ({@code ulimit -n}).
     * Set before the server starts.
     */
    public StaticFiles cache(int entries, Duration validity) {
        if (entries < 0) throw new IllegalArgumentException("cache entries must be 0 (off) or more: " + entries);
        if (validity.isNegative())
            throw new IllegalArgumentException("cache validity must not be negative: " + validity);
        this.cacheEntries = entries;
        this.cacheValidNanos = validity.toNanos();
        return this;
    }

    public Path root() {
        return root.path();
    }

    @Override
    public void handle(Request req, Response res) throws IOException {
        HttpRequest head = req.head();
        if (!head.isPathSafeForFileSystem()) {
            res.sendError(400); // "%2F" or "\" would be a separator on disk that the client did not send as one
            return;
        }
        FileCache cache = cacheFor(res.exchange().loop());
        if (cache != null) {
            StaticFile hit = cache.get(head.pathArray(), head.pathOffset(), head.pathLength());
            if (hit != null) {
                answer(req, res, hit);
                return;
            }
        }
        StaticFile resolved = resolveRequest(req, res, cache);
        if (resolved == null) return; // answered: a redirect or a listing
        try {
            answer(req, res, resolved);
        } finally {
            if (cache != null) cache.put(head.pathArray(), head.pathOffset(), head.pathLength(), resolved);
            else resolved.close();
        }
    }

    /** The loop's cache, made on its first file; null when off, or off the loop (an offloaded route). */
    private FileCache cacheFor(EventLoop loop) {
        if (cacheEntries == 0 || !loop.inLoop()) return null;
        for (LoopCache c : caches) {
            if (c.loop == loop) return c.cache;
        }
        synchronized (this) {
            LoopCache[] now = caches;
            int live = 0;
            for (LoopCache c : now) if (!c.loop.isTerminated()) live++;
            LoopCache[] next = new LoopCache[live + 1];
            int i = 0;
            for (LoopCache c : now) if (!c.loop.isTerminated()) next[i++] = c;
            int loops = Math.max(1, live + 1);
            FileCache cache = new FileCache(
                    cacheEntries,
                    (int) Math.max(
                            4,
                            descriptorBudget
                                    / Math.max(loops, Runtime.getRuntime().availableProcessors())),
                    cacheValidNanos,
                    cacheInactiveNanos,
                    loop::nowNanos);
            loop.own(cache);
            loop.scheduleAtFixedRate(cache::sweep, 5, 5, TimeUnit.SECONDS);
            next[i] = new LoopCache(loop, cache);
            caches = next;
            return cache;
        }
    }

    /**
     * Resolves the request's path the uncached way, or answers it (a directory without its
     * slash is redirected, a directory without an index listed when asked): then null.
     */
    private StaticFile resolveRequest(Request req, Response res, FileCache cache) throws IOException {
        String rel = req.param("*");
        if (rel == null) rel = req.path().substring(1);
        for (String segment : rel.split("/")) {
            if (segment.startsWith("."))
                return StaticFile.error(404); // dot-files (.git, .env, .htpasswd) are never served
        }
        if (rel.endsWith("/")) rel = rel.substring(0, rel.length() - 1);
        try {
            return resolve(req, res, rel);
        } catch (ErrnoException e) {
            if (e.errno() != EMFILE || cache == null || cache.size() == 0) throw e;
            cache.shrink(); // out of descriptors: give back half of what the cache holds, then try once more
            return resolve(req, res, rel);
        }
    }

    /**
     * Opens the file beneath the root, then stats the open file, and its precompressed
     * siblings: nothing can be swapped between a check and the open.
     */
    private StaticFile resolve(Request req, Response res, String rel) throws IOException {
        OpenFile file;
        try {
            file = root.open(rel);
        } catch (AccessDeniedException e) {
            return StaticFile.error(403); // left the root, a loop of links, no permission
        }
        if (file == null) return StaticFile.error(404);
        boolean kept = false;
        try {
            FileStat st = file.stat();
            if (st.directory()) {
                file.close();
                file = null;
                if (!req.path().endsWith("/")) {
                    redirectToSlash(req, res);
                    return null;
                }
                rel = rel.isEmpty() ? "index.html" : rel + "/index.html";
                file = openOptional(rel);
                if (file == null) {
                    if (!listDirectories) return StaticFile.error(404);
                    sendListing(req, res, root.path().resolve(rel).getParent());
                    return null;
                }
                st = file.stat();
            }
            if (!st.regularFile()) return StaticFile.error(404);
            String name = rel;
            StaticFile resolved = withSiblings(
                    MimeTypes.forName(rel.substring(rel.lastIndexOf('/') + 1)),
                    file,
                    st,
                    suffix -> openOptional(name + suffix));
            kept = true;
            return resolved;
        } finally {
            if (!kept && file != null) file.close();
        }
    }

    /** Opens a file's precompressed sibling by its suffix ({@code .gz}...): null when there is none to send. */
    @FunctionalInterface
    private interface SiblingOpener {
        OpenFile open(String suffix) throws IOException;
    }

    /** {@code file} with whichever of its precompressed siblings are regular files (only for a compressible type). */
    private static StaticFile withSiblings(String type, OpenFile file, FileStat stat, SiblingOpener opener)
            throws IOException {
        OpenFile[] siblings = new OpenFile[CODINGS.length];
        FileStat[] stats = new FileStat[CODINGS.length];
        if (MimeTypes.isCompressible(type)) {
            for (int coding : CODINGS) {
                OpenFile s = opener.open(AcceptEncoding.suffix(coding));
                if (s == null) continue;
                FileStat sst = s.stat();
                if (!sst.regularFile()) {
                    s.close();
                    continue;
                }
                siblings[Integer.numberOfTrailingZeros(coding)] = s;
                stats[Integer.numberOfTrailingZeros(coding)] = sst;
            }
        }
        return new StaticFile(type, file, stat, siblings, stats);
    }

    /** Opens an optional file beneath the root (an index, a sibling): null when missing or refused. */
    private OpenFile openOptional(String rel) throws IOException {
        try {
            return root.open(rel);
        } catch (AccessDeniedException e) {
            return null;
        }
    }

    /** RFC 3986 §5.2: relative links in an index resolve against the slash-ended path. */
    private static void redirectToSlash(Request req, Response res) {
        String query = req.head().query();
        res.status(301)
                .setHeader("Location", req.head().target().rawPath() + "/" + (query.isEmpty() ? "" : "?" + query));
        res.send();
    }

    /** Answers with what a path resolved to: an error page, or the file in the coding the client prefers. */
    private static void answer(Request req, Response res, StaticFile f) throws IOException {
        if (!f.isFile()) {
            res.sendError(f.answer);
            return;
        }
        int coding = f.codings == 0 ? 0 : AcceptEncoding.choose(req.headers(), f.codings);
        serve(req, res, f.variant(coding), f.type);
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
        StaticFile resolved = null;
        try {
            FileStat st = file.stat();
            if (!st.regularFile()) {
                res.sendError(404);
                return;
            }
            String type = MimeTypes.forName(path.getFileName().toString());
            resolved = withSiblings(
                    type, file, st, suffix -> openSibling(path.resolveSibling(path.getFileName() + suffix)));
            if (req == null) serve(null, res, resolved.identity, type);
            else answer(req, res, resolved);
        } finally {
            if (resolved != null) resolved.close();
            else file.close();
        }
    }

    private static OpenFile openSibling(Path p) {
        if (!Files.exists(p)) return null; // the usual case: no exception for it
        try {
            return OpenFile.open(p);
        } catch (IOException e) {
            return null; // no sibling, or none we may read: the file itself is served
        }
    }

    /** Sends a range of the file; the connection takes its own reference to it. */
    private static void sendRegion(Response res, StaticFile.Variant info, long position, long length) {
        res.sendFileRegion(info.file, position, length);
    }

    /** Headers, conditionals and ranges for one representation of a file. */
    private static void serve(Request req, Response res, StaticFile.Variant info, String type) throws IOException {
        if (req == null
                || (req.header("If-Match") == null
                        && req.header("If-Unmodified-Since") == null
                        && req.header("If-None-Match") == null
                        && req.header("If-Modified-Since") == null
                        && req.header("Range") == null)) {
            // The common case: the whole file, with its fields encoded once.
            res.preEncoded(info.block, info.pairs);
            sendRegion(res, info, 0, info.size);
            return;
        }
        for (int i = 0; i < info.pairs.length; i += 2) {
            if (info.pairs[i].equals("Vary")) res.header("Vary", info.pairs[i + 1]);
            else res.setHeader(info.pairs[i], info.pairs[i + 1]);
        }
        Method m = req.method();
        boolean getOrHead = m.equals(Method.GET) || m.equals(Method.HEAD);

        // RFC 9110 §13.2.2: If-Match, else If-Unmodified-Since; If-None-Match, else If-Modified-Since; then Range.
        String ifMatch = req.header("If-Match");
        if (ifMatch != null
                ? !ETag.matches(ifMatch, info.etag)
                : modifiedSince(req.header("If-Unmodified-Since"), info)) {
            preconditionFailed(res);
            return;
        }
        String ifNoneMatch = req.header("If-None-Match");
        if (ifNoneMatch != null) {
            if (ETag.noneMatchFails(ifNoneMatch, info.etag)) {
                if (getOrHead) notModified(res);
                else preconditionFailed(res);
                return;
            }
        } else if (getOrHead) {
            long since = DateCache.parse(req.header("If-Modified-Since"));
            if (since >= 0 && info.mtimeSeconds <= since) {
                notModified(res);
                return;
            }
        }
        String range = req.header("Range");
        if (range != null && m.equals(Method.GET) && ifRangeHolds(req.header("If-Range"), info)) {
            RangeRequest ranges = RangeRequest.parse(range, info.size);
            if (ranges != null) {
                if (!ranges.satisfiable()) {
                    res.removeHeader("Content-Encoding");
                    res.status(416).setHeader("Content-Range", "bytes */" + info.size);
                    res.type("text/plain; charset=utf-8");
                    res.send("416 Range Not Satisfiable\n" + Status.advice(416) + "\n");
                } else if (ranges.ranges().size() == 1) {
                    RangeRequest.Span span = ranges.ranges().getFirst();
                    res.status(206).setHeader("Content-Range", span.contentRange(info.size));
                    sendRegion(res, info, span.first(), span.length());
                } else {
                    sendMultipart(res, info, type, ranges.ranges());
                }
                return;
            }
        }
        sendRegion(res, info, 0, info.size);
    }

    private static boolean modifiedSince(String field, StaticFile.Variant info) {
        long since = DateCache.parse(field);
        return since >= 0 && info.mtimeSeconds > since;
    }

    /** RFC 9110 §13.1.5: an entity tag must match strongly; a date must equal Last-Modified exactly. */
    private static boolean ifRangeHolds(String ifRange, StaticFile.Variant info) {
        if (ifRange == null) return true;
        String v = ifRange.trim();
        if (v.startsWith("\"") || v.startsWith("W/")) return ETag.strongEquals(v, info.etag);
        long date = DateCache.parse(v);
        return date >= 0 && date == info.mtimeSeconds;
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
    private static void sendMultipart(Response res, StaticFile.Variant info, String type, List<RangeRequest.Span> spans)
            throws IOException {
        String boundary = "netloop-" + Long.toHexString(System.nanoTime()) + "-" + BOUNDARIES.incrementAndGet();
        List<byte[]> heads = new ArrayList<>(spans.size());
        long total = 0;
        for (RangeRequest.Span s : spans) {
            byte[] h = ("\r\n--" + boundary + "\r\nContent-Type: " + type + "\r\nContent-Range: "
                            + s.contentRange(info.size) + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            heads.add(h);
            total += h.length + s.length();
        }
        byte[] end = ("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        total += end.length;
        res.status(206).setHeader("Content-Type", "multipart/byteranges; boundary=" + boundary);
        res.sendMultipart(info.file, spans, heads, end, total);
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
