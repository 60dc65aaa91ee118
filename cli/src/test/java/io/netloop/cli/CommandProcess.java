package io.netloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code netloop} command in a JVM of its own, as a user starts it: read its banner, talk to
 * it, stop it with a signal and check it exits 0 with a clean stop.
 *
 * <p>Threading: one test thread.
 */
final class CommandProcess implements AutoCloseable {
    private final Process process;
    private final BufferedReader output;

    CommandProcess(String... args) throws IOException {
        this(List.of(), args);
    }

    /** With JVM options beside native access (a {@code -D} property). */
    CommandProcess(List<String> jvmOptions, String... args) throws IOException {
        List<String> options = new java.util.ArrayList<>(jvmOptions);
        options.add(ChildJvm.NATIVE_ACCESS);
        List<String> cmd = ChildJvm.command(Main.class, options, args);
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** What a command that is expected to stop by itself printed, and its exit status. */
    record Ended(int exitStatus, String output) {}

    /** Runs {@code netloop args...} to its end (30 s at most): for commands that must refuse to start. */
    static Ended runToEnd(String... args) throws IOException, InterruptedException {
        return runToEnd(List.of(), args);
    }

    /** {@link #runToEnd(String...)} with JVM options. */
    static Ended runToEnd(List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        try (CommandProcess p = new CommandProcess(jvmOptions, args)) {
            String output = new String(p.process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.process.waitFor(30, TimeUnit.SECONDS))
                    .as("netloop %s still running: %s", String.join(" ", args), output)
                    .isTrue();
            return new Ended(p.process.exitValue(), output);
        }
    }

    String readLine() throws IOException {
        return output.readLine();
    }

    /** Sends {@code signal} (TERM, INT) and checks a clean stop: exit 0, "stopped", no warning. */
    void stopWith(String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                .start()
                .waitFor();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        StringBuilder rest = new StringBuilder();
        for (String l; (l = output.readLine()) != null; ) rest.append(l).append('\n');
        assertThat(process.exitValue()).as(rest.toString()).isZero();
        assertThat(rest).contains("netloop: stopped").doesNotContain("WARNING");
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
