package io.netloop.core.file;

import io.netloop.core.sys.Errno;
import io.netloop.core.sys.ErrnoException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * An open's errno as the JDK's own file exceptions, so that callers of this package catch
 * {@link NoSuchFileException} and {@link AccessDeniedException} whichever way a file was opened.
 *
 * <p>Threading: stateless.
 */
final class FileErrors {
    private FileErrors() {}

    /** A system call returning a descriptor. */
    @FunctionalInterface
    interface Open {
        int call() throws ErrnoException;
    }

    static int open(String name, Open open) throws IOException {
        try {
            return open.call();
        } catch (ErrnoException e) {
            throw translate(name, e);
        }
    }

    static boolean isMissing(int errno) {
        return errno == Errno.ENOENT || errno == ENOTDIR;
    }

    static boolean isDenied(int errno) {
        return errno == Errno.EACCES || errno == Errno.EPERM || errno == EXDEV || errno == ELOOP;
    }

    static IOException translate(String name, ErrnoException e) {
        FileSystemException t;
        if (isMissing(e.errno())) t = new NoSuchFileException(name, null, e.getMessage());
        else if (isDenied(e.errno())) t = new AccessDeniedException(name, null, e.getMessage());
        else return e;
        t.initCause(e);
        return t;
    }

    static final int EXDEV = 18, ENOTDIR = 20, ENOSYS = 38, ELOOP = 40;
}
