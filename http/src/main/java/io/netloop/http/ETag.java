package io.netloop.http;

/**
 * Entity tags (RFC 9110 §8.8.3): making a strong one for a file, and comparing the lists
 * clients send in If-None-Match, If-Match and If-Range.
 *
 * <p>A file's tag is built from its inode, size and modification time in nanoseconds, like
 * nginx's and Apache's: it changes whenever the content can have, without reading the file.
 * The gzip variant of a file gets its own tag (a different representation, §8.8.3).
 *
 * <p>Threading: stateless; any thread.
 */
final class ETag {
    private ETag() {}

    static String forFile(long inode, long size, long mtimeNanos) {
        return "\"" + Long.toHexString(inode) + "-" + Long.toHexString(size) + "-" + Long.toHexString(mtimeNanos)
                + "\"";
    }

    /**
     * If-None-Match (§13.1.2): "*" or any listed tag equal to {@code etag} under the weak
     * comparison (W/ prefixes ignored).
     */
    static boolean noneMatchFails(String field, String etag) {
        return listMatches(field, etag, false);
    }

    /** If-Match (§13.1.1): "*" or any listed tag strongly equal to {@code etag}. */
    static boolean matches(String field, String etag) {
        return listMatches(field, etag, true);
    }

    private static boolean listMatches(String field, String etag, boolean strong) {
        String f = field.trim();
        if (f.equals("*")) return true;
        String wanted = opaque(etag);
        for (String element : f.split(",")) {
            String t = element.trim();
            boolean weak = t.startsWith("W/");
            if (weak && strong) continue;
            if (opaque(t).equals(wanted)) return true;
        }
        return false;
    }

    /** If-Range with an entity tag (§13.1.5): only a strong, equal tag lets the range through. */
    static boolean strongEquals(String tag, String etag) {
        String t = tag.trim();
        return !t.startsWith("W/") && t.equals(etag);
    }

    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }
}
