package io.netloop.core.file;

import io.netloop.core.sys.ErrnoException;
import io.netloop.core.sys.linux.Fds;
import io.netloop.core.sys.linux.Native;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A directory beneath which files are opened by relative names that clients chose, and
 * never outside it.
 *
 * <p>The root is opened once; each file is opened beneath the root's descriptor with
 * openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS): the kernel refuses any resolution that
 * leaves the root, through ".." or a symbolic link, in the same step as the open, so nothing
 * can be swapped between a check and the open. An absolute link that points inside the root
 * (which RESOLVE_BENEATH refuses too) is checked by its real path instead, as is every file
 * where openat2 (Linux 5.6) or native access is missing; only there could a link swapped
 * between the check and the open go unnoticed.
 *
 * <p>A missing file is an answer, not an error: {@link #open} returns null for it, without
 * an exception, since a web server misses files all the time ({@code .gz} siblings, 404s).
 *
 * <p>Owns the root's descriptor, released by {@link #close}. Threading: any thread, once
 * built; {@link #open} may be called from several loops at once.
 */
public final class FileRoot implements AutoCloseable {
    private final Path realRoot;
    /** The root's O_PATH descriptor; -1 without native access. */
    private final int rootFd;
    /** Cleared if the kernel has no openat2 (before 5.6): then the real-path check is used. */
    private volatile boolean beneath;

    private FileRoot(Path realRoot, int rootFd) {
        this.realRoot = realRoot;
        this.rootFd = rootFd;
        this.beneath = rootFd >= 0;
    }

    /** @throws IOException when {@code dir} does not exist or is not a directory */
    public static FileRoot open(Path dir) throws IOException {
        Path real = dir.toRealPath();
        if (!Files.isDirectory(real)) throw new IOException(dir + " is not a directory");
        return new FileRoot(
                real,
                Native.isAvailable() ? FileErrors.open(real.toString(), () -> Fds.openDirectory(real.toString())) : -1);
    }

    /** The root's real path (links resolved). */
    public Path path() {
        return realRoot;
    }

    /**
     * Opens {@code relative} (no leading slash; "" or "." for the root itself) for reading.
     * Directories open too: {@link OpenFile#stat} tells them apart.
     *
     * @return the file, or null when nothing is there (ENOENT, or a path through a non-directory)
     * @throws AccessDeniedException when the path would leave the root (through ".." or a link),
     *     meets a loop of links, or permission is denied
     * @throws IOException for any other failure (ErrnoException, naming the call)
     */
    public OpenFile open(String relative) throws IOException {
        String rel = relative.isEmpty() ? "." : relative;
        if (!beneath) return openByRealPath(rel);
        int fd = Fds.openBeneathOrErrno(rootFd, rel);
        if (fd >= 0) return new OpenFile(rel, fd, null);
        int errno = -fd;
        if (FileErrors.isMissing(errno)) return null; // no exception: misses are the common case
        if (errno == FileErrors.ENOSYS) {
            beneath = false; // an old kernel: from now on, the real-path check
            return openByRealPath(rel);
        }
        if (errno == FileErrors.EXDEV) {
            // Left the root, or met an absolute link, which RESOLVE_BENEATH refuses even when it
            // points inside. Such links are rare: check the real path the slow way.
            return openByRealPath(rel);
        }
        throw FileErrors.translate(rel, new ErrnoException("openat2", errno, rel));
    }

    private OpenFile openByRealPath(String rel) throws IOException {
        Path candidate = realRoot.resolve(rel).normalize();
        if (!candidate.startsWith(realRoot)) throw new AccessDeniedException(rel, null, "outside the root");
        Path real;
        try {
            real = candidate.toRealPath();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new AccessDeniedException(rel, null, e.getMessage()); // permission, a loop of links...
        }
        if (!real.startsWith(realRoot)) throw new AccessDeniedException(rel, null, "a link leading out of the root");
        if (rootFd >= 0) return new OpenFile(rel, FileErrors.open(rel, () -> Fds.openReadOnly(real.toString())), null);
        try {
            return new OpenFile(real.toString(), -1, FileChannel.open(real, StandardOpenOption.READ));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** Releases the root's descriptor; files opened beneath it stay open. */
    @Override
    public void close() {
        if (rootFd < 0) return;
        try {
            Fds.close(rootFd);
        } catch (IOException e) {
            // a directory handle has nothing to flush
        }
    }

    @Override
    public String toString() {
        return "FileRoot[" + realRoot + "]";
    }
}
