package io.netloop.apps.peer;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a node printed, line by line, for tests to wait on.
 *
 * <p>Threading: the node's loop writes, the test thread reads; all methods synchronize.
 */
final class Transcript extends OutputStream {
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final List<String> lines = new ArrayList<>();
    final PrintStream stream = new PrintStream(this, true, StandardCharsets.UTF_8);

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            lines.add(partial.toString(StandardCharsets.UTF_8));
            partial.reset();
            notifyAll();
        } else {
            partial.write(b);
        }
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** Waits for a line matching {@code regex} (a full match) and returns its groups' match. */
    Matcher await(String regex) throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        String line = awaitLine(l -> p.matcher(l).matches(), regex);
        Matcher m = p.matcher(line);
        if (!m.matches()) throw new AssertionError();
        return m;
    }

    synchronized String awaitLine(Predicate<String> wanted, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        for (; ; ) {
            for (String l : lines) if (wanted.test(l)) return l;
            long left = deadline - System.nanoTime();
            if (left <= 0) throw new AssertionError("no line like " + what + " in:\n" + String.join("\n", lines));
            wait(Math.max(1, left / 1_000_000));
        }
    }

    synchronized boolean contains(String regex) {
        Pattern p = Pattern.compile(regex);
        return lines.stream().anyMatch(l -> p.matcher(l).matches());
    }

    @Override
    public synchronized String toString() {
        return String.join("\n", lines);
    }
}
