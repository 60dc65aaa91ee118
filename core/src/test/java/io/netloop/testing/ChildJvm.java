package io.netloop.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A server in a JVM of its own, on this test's class path: for what a test cannot do to its
 * own process (lower its descriptor limit, move it into another network namespace). The
 * child prints a line starting with a known word when it is ready, and stops when its
 * standard input closes.
 *
 * <p>Threading: the test's thread; a daemon thread collects the child's output.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> ready = new CompletableFuture<>();

    private ChildJvm(Process process, String readyPrefix) {
        this.process = process;
        Thread.ofPlatform().daemon().name("child-output-" + process.pid()).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(line);
                    if (line.startsWith(readyPrefix)) ready.complete(line);
                }
            } catch (IOException gone) {
                // the child went away; what it said is in output
            }
            ready.completeExceptionally(new AssertionError("the child ended before saying " + readyPrefix + ": " + output));
        });
    }

    /**
     * Starts {@code mainClass} with {@code args}, run through {@code wrapper} (for example
     * {@code ip netns exec NAME}; empty for none).
     */
    public static ChildJvm start(List<String> wrapper, Class<?> mainClass, String readyPrefix, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(List.of(ProcessHandle.current().info().command().orElseThrow(), "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        cmd.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(cmd).redirectErrorStream(true).start(), readyPrefix);
    }

    /** The child's ready line, split on spaces; waits up to a minute. */
    public String[] awaitReady() throws Exception {
        return ready.get(60, TimeUnit.SECONDS).split(" ");
    }

    public List<String> output() {
        return output;
    }

    /** utime + stime of the child in clock ticks (fields 14 and 15 of /proc/PID/stat; USER_HZ is 100 on Linux). */
    public long cpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** Closes the child's input, waits for it to stop (or kills it), and returns its exit status. */
    public int stop() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        return process.exitValue();
    }

    @Override
    public void close() throws Exception {
        if (process.isAlive()) stop();
    }
}
