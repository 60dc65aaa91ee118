package io.netloop.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A server in a JVM of its own, laid out as the test's (module path, class path, patches): for what a test cannot do to its
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
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    output.add(line);
                    if (line.startsWith(readyPrefix)) ready.complete(line);
                }
            } catch (IOException gone) {
                // the child went away; what it said is in output
            }
            ready.completeExceptionally(
                    new AssertionError("the child ended before saying " + readyPrefix + ": " + output));
        });
    }

    /**
     * Starts {@code mainClass} with {@code args}, run through {@code wrapper} (for example
     * {@code ip netns exec NAME}; empty for none).
     */
    public static ChildJvm start(List<String> wrapper, Class<?> mainClass, String readyPrefix, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>(wrapper);
        cmd.addAll(command(mainClass, List.of(NATIVE_ACCESS, "-Xmx256m"), args));
        return new ChildJvm(new ProcessBuilder(cmd).redirectErrorStream(true).start(), readyPrefix);
    }

    /** Native access for the core module, the only one that calls the kernel. */
    public static final String NATIVE_ACCESS = "--enable-native-access=io.netloop.core";

    /**
     * The command that runs {@code mainClass} in a new JVM laid out as this one: the same
     * module path and class path, the same module options (reads, opens, exports), and,
     * for a class of a test patched into its module, the same patch, so that a test's own
     * main class runs in its module as the test does.
     *
     * @param jvmOptions options of the child's own, such as {@link #NATIVE_ACCESS} (none is
     *     copied from this JVM: a test says what its child gets)
     */
    public static List<String> command(Class<?> mainClass, List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElseThrow());
        cmd.addAll(jvmOptions);
        String modulePath = System.getProperty("jdk.module.path");
        String classPath = System.getProperty("java.class.path", "");
        Module module = mainClass.getModule();
        if (!module.isNamed()) {
            cmd.addAll(List.of("-cp", classPath, mainClass.getName()));
            cmd.addAll(List.of(args));
            return cmd;
        }
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (option.startsWith("--add-reads=")
                    || option.startsWith("--add-modules=")
                    || option.startsWith("--add-opens=")
                    || option.startsWith("--add-exports=")
                    || option.startsWith("--patch-module=")) {
                cmd.add(option);
            }
        }
        if (cmd.stream().noneMatch(o -> o.startsWith("--patch-module=" + module.getName() + "="))) {
            Path location = codeLocation(mainClass);
            Path moduleLocation = ModuleLayer.boot()
                    .configuration()
                    .findModule(module.getName())
                    .flatMap(r -> r.reference().location())
                    .map(Path::of)
                    .orElse(null);
            if (!location.equals(moduleLocation)) cmd.add("--patch-module=" + module.getName() + "=" + location);
        }
        if (modulePath != null) cmd.addAll(List.of("-p", modulePath));
        if (!classPath.isEmpty()) cmd.addAll(List.of("-cp", classPath));
        cmd.addAll(List.of("-m", module.getName() + "/" + mainClass.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static Path codeLocation(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException("where " + c + " was loaded from", e);
        }
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

    /** Waits for the child to end by itself. */
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        return process.waitFor(timeout, unit);
    }

    /** The exit status of a child that has ended. */
    public int exitValue() {
        return process.exitValue();
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
