package io.netloop.http;

import java.util.Locale;
import java.util.Map;

/**
 * Content types by file extension, for static files: a fixed table of what web sites
 * serve, text types with {@code charset=utf-8}. Unknown extensions are
 * {@code application/octet-stream}, which with {@code X-Content-Type-Options: nosniff} makes
 * a browser download the file instead of guessing (and perhaps running) it.
 *
 * <p>Threading: immutable; any thread.
 */
public final class MimeTypes {
    private MimeTypes() {}

    public static final String DEFAULT = "application/octet-stream";

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("md", "text/markdown; charset=utf-8"),
            Map.entry("csv", "text/csv; charset=utf-8"),
            Map.entry("xml", "application/xml"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("avif", "image/avif"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("ttf", "font/ttf"),
            Map.entry("otf", "font/otf"),
            Map.entry("wasm", "application/wasm"),
            Map.entry("pdf", "application/pdf"),
            Map.entry("zip", "application/zip"),
            Map.entry("gz", "application/gzip"),
            Map.entry("tar", "application/x-tar"),
            Map.entry("mp4", "video/mp4"),
            Map.entry("webm", "video/webm"),
            Map.entry("mp3", "audio/mpeg"),
            Map.entry("ogg", "audio/ogg"),
            Map.entry("wav", "audio/wav"),
            Map.entry("bin", DEFAULT));

    /** The content type for a file name. */
    public static String forName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0 || dot == fileName.length() - 1) return DEFAULT;
        return BY_EXTENSION.getOrDefault(fileName.substring(dot + 1).toLowerCase(Locale.ROOT), DEFAULT);
    }

    /**
     * Whether gzip is worth it for a type: text and the structured text formats. Images,
     * video, audio, fonts (woff2 is compressed) and archives are compressed already.
     */
    public static boolean isCompressible(String contentType) {
        if (contentType == null) return false;
        String t = contentType.toLowerCase(Locale.ROOT);
        return t.startsWith("text/")
                || t.startsWith("application/json")
                || t.startsWith("application/xml")
                || t.startsWith("application/javascript")
                || t.startsWith("image/svg+xml")
                || t.startsWith("application/wasm")
                || t.contains("+json")
                || t.contains("+xml");
    }
}
