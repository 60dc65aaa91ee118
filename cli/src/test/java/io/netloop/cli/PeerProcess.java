package io.netloop.cli;

import io.netloop.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code netloop peer} in a child JVM, its standard input a pipe the test types into and its
 * output collected line by line.
 *
 * <p>Threading: the test thread types and waits; a virtual thread collects the output.
 */
final class PeerProcess implements AutoCloseable {
    final Process process;
    private final OutputStream stdin;
    private final List<String> lines = new ArrayList<>();
    private final Thread collector;

    PeerProcess(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("peer"));
        cmd.addAll(List.of(args));
        cmd = ChildJvm.command(Main.class, List.of(ChildJvm.NATIVE_ACCESS), cmd.toArray(String[]::new));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        stdin = process.getOutputStream();
        collector = Thread.ofVirtual().start(this::collect);
    }

    private void collect() {
        try (BufferedReader r =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) {
                synchronized (this) {
                    lines.add(l);
                    notifyAll();
                }
            }
        } catch (IOException ended) {
            // the process is gone
        }
    }

    void type(String line) throws IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    void closeInput() throws IOException {
        stdin.close();
    }

    /** The first line that fully matches {@code regex}, waiting up to 30 s for it. */
    synchronized Matcher await(String regex) throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (; ; ) {
            for (String l : lines) {
                Matcher m = p.matcher(l);
                if (m.matches()) return m;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new AssertionError("no line like " + regex + " in:\n" + String.join("\n", lines));
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Waits for the process to end; returns its exit code. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError("still running:\n" + output());
        collector.join();
        return process.exitValue();
    }

    synchronized String output() {
        return String.join("\n", lines);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        collector.join();
    }
}
