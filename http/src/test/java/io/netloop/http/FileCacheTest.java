package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.file.OpenFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileCache}: validity, LRU bounds by entries and by descriptors, the inactive sweep, and closing what it drops. */
class FileCacheTest {
    @TempDir
    Path dir;

    private long now;
    private final List<OpenFile> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        for (OpenFile f : opened) f.close();
    }

    private static byte[] key(String path) {
        return path.getBytes(StandardCharsets.UTF_8);
    }

    /** A cached file with {@code siblings} precompressed siblings; the test keeps one reference of each to see when the cache lets go. */
    private StaticFile file(String name, int siblings) throws Exception {
        Path p = Files.writeString(dir.resolve(name), name);
        OpenFile f = OpenFile.open(p);
        opened.add(f.retain());
        OpenFile[] sib = new OpenFile[3];
        io.netloop.core.file.FileStat[] stats = new io.netloop.core.file.FileStat[3];
        for (int i = 0; i < siblings; i++) {
            sib[i] = OpenFile.open(p);
            opened.add(sib[i].retain());
            stats[i] = sib[i].stat();
        }
        return new StaticFile("text/plain", f, f.stat(), sib, stats);
    }

    private FileCache cache(int entries, int descriptors) {
        return new FileCache(entries, descriptors, 1_000, 60_000, () -> now);
    }

    private static StaticFile get(FileCache c, String path) {
        byte[] k = key("xx" + path);
        return c.get(k, 2, k.length - 2); // an offset, as a request's bytes have
    }

    private static void put(FileCache c, String path, StaticFile f) {
        byte[] k = key(path);
        c.put(k, 0, k.length, f);
    }

    @Test
    void anEntryIsTrustedForItsValidityThenDroppedAndClosed() throws Exception {
        FileCache c = cache(10, 100);
        StaticFile f = file("a", 0);
        put(c, "/a", f);
        assertThat(get(c, "/a")).isSameAs(f);
        now += 999;
        assertThat(get(c, "/a")).isSameAs(f);
        now += 1;
        assertThat(get(c, "/a")).isNull();
        assertThat(c.size()).isZero();
        opened.getFirst().close(); // the cache let go of its reference: ours was the last
        assertThat(opened.getFirst().isOpen()).isFalse();
        assertThat(get(c, "/b")).isNull();
        c.close();
    }

    @Test
    void theLeastRecentlyUsedGoesFirstWhenEntriesRunOut() throws Exception {
        FileCache c = cache(2, 100);
        put(c, "/a", file("a", 0));
        put(c, "/b", file("b", 0));
        assertThat(get(c, "/a")).isNotNull(); // a is now the more recent
        put(c, "/c", file("c", 0));
        assertThat(get(c, "/b")).isNull();
        assertThat(get(c, "/a")).isNotNull();
        assertThat(get(c, "/c")).isNotNull();
        assertThat(c.evictions()).isEqualTo(1);
        c.close();
        assertThat(c.size()).isZero();
    }

    @Test
    void descriptorsAreBoundedAcrossEntries() throws Exception {
        FileCache c = cache(100, 5);
        put(c, "/a", file("a", 3)); // 4 descriptors
        put(c, "/b", file("b", 0)); // 5
        assertThat(c.descriptors()).isEqualTo(5);
        put(c, "/c", file("c", 1)); // 7: a goes
        assertThat(c.descriptors()).isEqualTo(3);
        assertThat(get(c, "/a")).isNull();
        StaticFile tooBig = file("d", 3);
        put(c, "/e", file("e", 3)); // 4 more: b and c go, e alone stays within 5
        assertThat(c.descriptors()).isEqualTo(4);
        FileCache one = cache(100, 3);
        put(one, "/d", tooBig); // more than the whole budget: closed, not kept
        assertThat(one.size()).isZero();
        c.close();
        one.close();
    }

    @Test
    void negativeEntriesHoldNoDescriptor() {
        FileCache c = cache(10, 1);
        put(c, "/missing", StaticFile.error(404));
        put(c, "/refused", StaticFile.error(403));
        assertThat(c.descriptors()).isZero();
        assertThat(get(c, "/missing").answer).isEqualTo(404);
        assertThat(get(c, "/refused").answer).isEqualTo(403);
        c.close();
    }

    @Test
    void theSweepClosesWhatWasNotUsedForTheInactiveInterval() throws Exception {
        FileCache c = new FileCache(10, 100, 100_000, 60_000, () -> now);
        put(c, "/old", file("old", 1));
        now += 30_000;
        put(c, "/new", file("new", 0));
        now += 30_000;
        c.sweep();
        assertThat(get(c, "/old")).isNull();
        assertThat(get(c, "/new")).isNotNull();
        assertThat(c.descriptors()).isEqualTo(1);
        c.close();
        assertThat(c.descriptors()).isZero();
    }

    @Test
    void manyEntriesGrowTheTableAndStayFindable() throws Exception {
        FileCache c = cache(5000, 100_000);
        for (int i = 0; i < 3000; i++) put(c, "/f" + i, StaticFile.error(404));
        for (int i = 0; i < 3000; i++)
            assertThat(get(c, "/f" + i)).as("entry " + i).isNotNull();
        c.shrink();
        assertThat(c.size()).isEqualTo(1500);
        c.close();
    }
}
