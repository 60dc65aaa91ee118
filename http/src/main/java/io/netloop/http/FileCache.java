package io.netloop.http;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * One loop's open-file cache for a {@link StaticFiles} root, nginx's {@code open_file_cache}:
 * request paths mapped to what they resolved to ({@link StaticFile}: the open descriptors,
 * sizes, validators and encoded header fields, or a 404/403), so that a hit costs no
 * openat2, statx or close, and makes nothing.
 *
 * <p>An entry is trusted for {@code validNanos} after it was resolved (a second by default,
 * like nginx's {@code open_file_cache_valid}, but shorter); the first request after that
 * resolves the path again, exactly as the uncached path does, so a file replaced, deleted,
 * moved behind a link out of the root, or a directory turned into a file is answered as the
 * uncached server would within that interval. Until then the cached descriptor keeps
 * serving the content it was opened on: a file replaced by a rename goes out whole, old or
 * new, never mixed. A file rewritten in place is another matter, for cached and uncached
 * alike: the kernel sends what is on disk when sendfile runs.
 *
 * <p>Bounded by entries and by descriptors (each cached file holds one per representation,
 * counted against a share of the process's descriptor limit, so that the cache cannot
 * starve accept): the least recently used entries go first, and entries unused for
 * {@code inactiveNanos} are closed by {@link #sweep}, which the loop runs every few
 * seconds, so that a deleted file's space is not held for long.
 *
 * <p>Keys are the request path's bytes, looked up without making a String. Threading: one
 * loop's thread only.
 */
final class FileCache implements AutoCloseable {
    private final int maxEntries;
    private final int maxDescriptors;
    private final long validNanos;
    private final long inactiveNanos;
    private final LongSupplier clock;

    private StaticFile[] buckets;
    private int entries;
    private int descriptors;
    /** The LRU list: {@link #newest} first, following {@code older}. */
    private StaticFile newest, oldest;

    private long hits, misses, evictions;
    private boolean closed;

    FileCache(int maxEntries, int maxDescriptors, long validNanos, long inactiveNanos, LongSupplier clock) {
        if (maxEntries < 1 || maxDescriptors < 1)
            throw new IllegalArgumentException("a cache holds at least one entry");
        this.maxEntries = maxEntries;
        this.maxDescriptors = maxDescriptors;
        this.validNanos = validNanos;
        this.inactiveNanos = inactiveNanos;
        this.clock = clock;
        this.buckets = new StaticFile[Math.min(1024, Integer.highestOneBit(maxEntries * 2 - 1) << 1)];
    }

    /**
     * The entry for {@code key[off, off+len)} if it is still to be trusted, else null (and an
     * expired entry is dropped, so that the caller resolves the path again and {@link #put}s it).
     */
    StaticFile get(byte[] key, int off, int len) {
        StaticFile e = find(key, off, len, hash(key, off, len));
        if (e != null) {
            long now = clock.getAsLong();
            if (now - e.validUntil < 0) {
                e.lastUsed = now;
                toFront(e);
                hits++;
                return e;
            }
            remove(e);
        }
        misses++;
        return null;
    }

    /** Keeps {@code file} under {@code key[off, off+len)} (copied), evicting the least recently used beyond the bounds. */
    void put(byte[] key, int off, int len, StaticFile file) {
        if (closed) {
            file.close();
            return;
        }
        if (file.key != null) throw new IllegalStateException(file + " is cached already");
        if (file.descriptors() > maxDescriptors) {
            file.close(); // never cached: the caller's own reference was separate
            return;
        }
        int h = hash(key, off, len);
        StaticFile old = find(key, off, len, h);
        if (old != null) remove(old);
        long now = clock.getAsLong();
        file.key = Arrays.copyOfRange(key, off, off + len);
        file.hash = h;
        file.validUntil = now + validNanos;
        file.lastUsed = now;
        if (entries + 1 > buckets.length * 3 / 4 && buckets.length < Integer.highestOneBit(maxEntries) * 2) grow();
        int b = h & (buckets.length - 1);
        file.nextInBucket = buckets[b];
        buckets[b] = file;
        file.newer = null;
        file.older = newest;
        if (newest != null) newest.newer = file;
        newest = file;
        if (oldest == null) oldest = file;
        entries++;
        descriptors += file.descriptors();
        while (entries > maxEntries || descriptors > maxDescriptors) {
            remove(oldest);
            evictions++;
        }
    }

    /** Closes the entries not used for the inactive interval (oldest first: the LRU tail). */
    void sweep() {
        long now = clock.getAsLong();
        while (oldest != null && now - oldest.lastUsed >= inactiveNanos) {
            remove(oldest);
            evictions++;
        }
    }

    /** Drops half the entries: the process ran out of descriptors (EMFILE) and needs some back. */
    void shrink() {
        int keep = entries / 2;
        while (entries > keep) {
            remove(oldest);
            evictions++;
        }
    }

    int size() {
        return entries;
    }

    int descriptors() {
        return descriptors;
    }

    long evictions() {
        return evictions;
    }

    /** Closes every entry; a later {@link #put} closes what it is given. */
    @Override
    public void close() {
        closed = true;
        while (oldest != null) remove(oldest);
    }

    private StaticFile find(byte[] key, int off, int len, int h) {
        for (StaticFile e = buckets[h & (buckets.length - 1)]; e != null; e = e.nextInBucket) {
            if (e.hash == h && Arrays.equals(e.key, 0, e.key.length, key, off, off + len)) return e;
        }
        return null;
    }

    private void remove(StaticFile e) {
        int b = e.hash & (buckets.length - 1);
        if (buckets[b] == e) {
            buckets[b] = e.nextInBucket;
        } else {
            StaticFile p = buckets[b];
            while (p.nextInBucket != e) p = p.nextInBucket;
            p.nextInBucket = e.nextInBucket;
        }
        if (e.newer != null) e.newer.older = e.older;
        else newest = e.older;
        if (e.older != null) e.older.newer = e.newer;
        else oldest = e.newer;
        e.newer = e.older = e.nextInBucket = null;
        entries--;
        descriptors -= e.descriptors();
        e.close();
    }

    private void toFront(StaticFile e) {
        if (newest == e) return;
        e.newer.older = e.older;
        if (e.older != null) e.older.newer = e.newer;
        else oldest = e.newer;
        e.newer = null;
        e.older = newest;
        newest.newer = e;
        newest = e;
    }

    private void grow() {
        StaticFile[] old = buckets;
        buckets = new StaticFile[old.length * 2];
        for (StaticFile head : old) {
            for (StaticFile e = head; e != null; ) {
                StaticFile next = e.nextInBucket;
                int b = e.hash & (buckets.length - 1);
                e.nextInBucket = buckets[b];
                buckets[b] = e;
                e = next;
            }
        }
    }

    private static int hash(byte[] a, int off, int len) {
        int h = 1;
        for (int i = off; i < off + len; i++) h = 31 * h + a[i];
        return h ^ (h >>> 16);
    }

    @Override
    public String toString() {
        return "FileCache[" + entries + " entries, " + descriptors + " descriptors, " + hits + " hits, " + misses
                + " misses]";
    }
}
