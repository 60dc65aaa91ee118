package io.netloop.core.file;

import io.netloop.core.sys.linux.Fds;
import io.netloop.core.sys.linux.Native;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A file open for reading, to be sent on connections: a read-only descriptor where the
 * kernel bindings work (sent with sendfile(2)), else a {@link FileChannel}.
 *
 * <p>Reference counted, so that one open file can back several queued sends (and, later, a
 * cache) and is closed exactly once, after the last of them: whoever opens it holds one
 * reference and gives it back with {@link #close}; a connection that queues a range of it
 * takes its own ({@link #retain}) and gives it back once the range is sent or the connection
 * closes. The descriptor is never closed while a send may still use it, so its number
 * cannot be reused under a queued range.
 *
 * <p>Threading: one thread at a time, in practice the loop thread of the connections that
 * send it; the counts are plain fields.
 */
public final class OpenFile implements AutoCloseable {
    private final String name;
    private final int fd;
    private FileChannel channel;
    private int references = 1;

    OpenFile(String name, int fd, FileChannel channel) {
        this.name = name;
        this.fd = fd;
        this.channel = channel;
    }

    /**
     * Opens {@code path} for reading, wherever it is (an application's own choice of file:
     * no root confines it; for files named by clients use {@link FileRoot}).
     *
     * @throws IOException when it cannot be opened: {@link java.nio.file.NoSuchFileException},
     *     {@link java.nio.file.AccessDeniedException} or another
     */
    public static OpenFile open(Path path) throws IOException {
        if (Native.isAvailable()) {
            return new OpenFile(
                    path.toString(), FileErrors.open(path.toString(), () -> Fds.openReadOnly(path.toString())), null);
        }
        return new OpenFile(path.toString(), -1, FileChannel.open(path, StandardOpenOption.READ));
    }

    /**
     * Opens {@code path} as a {@link FileChannel} alone, for a JDK socket or a filter (TLS),
     * which read the file through a channel: no descriptor is opened beside it.
     */
    public static OpenFile openChannel(Path path) throws IOException {
        return new OpenFile(path.toString(), -1, FileChannel.open(path, StandardOpenOption.READ));
    }

    /** The name it was opened by: for messages. */
    public String name() {
        return name;
    }

    /** The read-only descriptor, or -1 where the file is read through a {@link FileChannel} only. */
    public int fd() {
        return fd;
    }

    /**
     * The file as a {@link FileChannel} (for a JDK socket's {@code transferTo}, or to read it
     * into a filter): the descriptor's own open file, reached through /proc/self/fd, opened on
     * first use and closed with this file.
     */
    public FileChannel channel() throws IOException {
        if (channel == null) channel = FileChannel.open(Path.of("/proc/self/fd/" + fd), StandardOpenOption.READ);
        return channel;
    }

    /** Size, type, inode and modification time, of the open file (no path is resolved again). */
    public FileStat stat() throws IOException {
        if (fd >= 0) {
            Fds.FileStat s = Fds.stat(fd);
            return new FileStat(s.regularFile(), s.directory(), s.inode(), s.size(), s.mtimeNanos());
        }
        Path p = Path.of(name);
        BasicFileAttributes basic = Files.readAttributes(p, BasicFileAttributes.class);
        long inode;
        try {
            Map<String, Object> unix = Files.readAttributes(p, "unix:ino");
            inode = ((Number) unix.get("ino")).longValue();
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            inode = basic.fileKey() == null ? 0 : basic.fileKey().hashCode();
        }
        return new FileStat(
                basic.isRegularFile(),
                basic.isDirectory(),
                inode,
                channel.size(),
                basic.lastModifiedTime().to(TimeUnit.NANOSECONDS));
    }

    /** Takes another reference: the file stays open until it is given back too. */
    public OpenFile retain() {
        if (references <= 0) throw new IllegalStateException(name + " is closed");
        references++;
        return this;
    }

    /** Whether some reference is still held. */
    public boolean isOpen() {
        return references > 0;
    }

    /** Gives one reference back; the last one closes the file. Idempotent for a closed file. */
    @Override
    public void close() {
        if (references <= 0 || --references > 0) return;
        try {
            if (channel != null) channel.close();
            if (fd >= 0) Fds.close(fd);
        } catch (IOException e) {
            // A read-only file has nothing to flush: a failed close loses nothing.
        }
    }

    @Override
    public String toString() {
        return "OpenFile[" + name + (fd >= 0 ? ", fd " + fd : "") + (references > 0 ? "" : ", closed") + "]";
    }
}
