package io.netloop.testing;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Raw descriptor numbers for tests that hand netloop a descriptor it does not own (a pipe as
 * standard input, a regular file), made with the JDK alone: the test modules have no kernel
 * bindings of their own. The JDK opens the file or pipe; the new numbers are read off
 * /proc/self/fd. Not for concurrent use with other threads opening descriptors.
 *
 * <p>Threading: the test's thread.
 */
public final class TestDescriptors {
    private TestDescriptors() {}

    /**
     * A blocking pipe, as a shell's pipe into a program: the read end's descriptor, and the
     * write end the test writes to. The JDK makes no plain pipe (its {@code Pipe} is a socket
     * pair), so this is a named one (mkfifo) in a temporary directory, opened at both ends.
     * Close it ({@link #close}) when done.
     */
    public record TestPipe(Path fifo, FileInputStream readEnd, FileOutputStream writeEnd, int readFd)
            implements AutoCloseable {
        public void write(byte[] b) throws IOException {
            writeEnd.write(b);
            writeEnd.flush();
        }

        /** Ends the input: the reader sees end of file. */
        public void closeWriteEnd() throws IOException {
            writeEnd.close();
        }

        @Override
        public void close() throws IOException {
            writeEnd.close();
            readEnd.close();
            Files.deleteIfExists(fifo);
            Files.deleteIfExists(fifo.getParent());
        }
    }

    /** A file opened for reading, with its descriptor number. */
    public record TestFile(FileInputStream stream, int fd) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            stream.close();
        }
    }

    public static TestPipe pipe() throws IOException {
        Path dir = Files.createTempDirectory("netloop-pipe");
        Path fifo = dir.resolve("fifo");
        try {
            Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString())
                    .redirectErrorStream(true)
                    .start();
            if (mkfifo.waitFor() != 0)
                throw new IOException(
                        "mkfifo failed: " + new String(mkfifo.getInputStream().readAllBytes()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted making a pipe", e);
        }
        // Each end's open blocks until the other end is open too: the writer opens on a thread.
        CompletableFuture<FileOutputStream> writer = CompletableFuture.supplyAsync(
                () -> {
                    try {
                        return new FileOutputStream(fifo.toFile());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                r -> Thread.ofPlatform().daemon().start(r));
        FileInputStream reader = new FileInputStream(fifo.toFile());
        FileOutputStream writeEnd = writer.join();
        // Every descriptor, not only those new since before the open: the fifo's path is unique, and a
        // number closed meanwhile by another thread (a process reaper closing mkfifo's pipes) may be
        // the one the reader got, which a before/after difference would miss.
        for (int fd : openFds()) {
            if (Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).equals(fifo) && isReadOnly(fd)) {
                return new TestPipe(fifo, reader, writeEnd, fd);
            }
        }
        writeEnd.close();
        reader.close();
        throw new IOException("cannot find the read end of " + fifo + " in /proc/self/fd");
    }

    private static boolean isReadOnly(int fd) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fd))) {
            // The flags are octal: the access mode is the last digit, 0 for O_RDONLY.
            if (line.startsWith("flags:"))
                return (Integer.parseInt(line.substring(6).trim(), 8) & 3) == 0;
        }
        return false;
    }

    public static TestFile openForReading(Path file) throws IOException {
        Set<Integer> before = openFds();
        FileInputStream in = new FileInputStream(file.toFile());
        Path real = file.toRealPath();
        for (int fd : newFds(before)) {
            if (Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).equals(real)) return new TestFile(in, fd);
        }
        in.close();
        throw new IOException("cannot find the descriptor of " + file + " in /proc/self/fd");
    }

    private static Set<Integer> openFds() throws IOException {
        Set<Integer> fds = new TreeSet<>();
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                try {
                    // Not the listing's own descriptor: closed when it ends, its number is free again.
                    if (Files.readSymbolicLink(p).toString().matches("/proc/\\d+/fd")) continue;
                } catch (IOException gone) {
                    continue;
                }
                fds.add(Integer.parseInt(p.getFileName().toString()));
            }
        }
        return fds;
    }

    private static List<Integer> newFds(Set<Integer> before) throws IOException {
        List<Integer> added = new ArrayList<>();
        for (int fd : openFds()) {
            if (!before.contains(fd) && Files.exists(Path.of("/proc/self/fd/" + fd))) added.add(fd);
        }
        return added;
    }
}
