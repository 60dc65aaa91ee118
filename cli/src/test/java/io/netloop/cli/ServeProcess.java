package io.netloop.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code netloop} in a child JVM, as a user runs it: its first line (the banner), and a stop
 * by SIGTERM that must end in exit status 0.
 *
 * <p>Threading: the test's thread.
 */
final class ServeProcess implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;

    private ServeProcess(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static ServeProcess start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return new ServeProcess(new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }

    String banner() throws IOException {
        return out.readLine();
    }

    /** SIGTERM, then the process must exit 0 within 30 s. */
    void stopAndExpectExitZero() throws Exception {
        new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String rest = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(rest).isZero();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
