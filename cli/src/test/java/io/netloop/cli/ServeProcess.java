package io.netloop.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code netloop serve} as a child process on the test's own class path, as a user runs it:
 * its banner read for the URLs, its later output collected, stopped with SIGTERM.
 *
 * <p>Threading: the test thread; one reader thread per process collects the output.
 */
final class ServeProcess implements AutoCloseable {
    private static final Pattern URL = Pattern.compile("http://[^ ;]+/");

    final Process process;
    final String banner;
    /** Lines printed after the banner (the access log on stdout, messages on stderr). */
    final List<String> output = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private ServeProcess(Process process, String banner, BufferedReader rest) {
        this.process = process;
        this.banner = banner;
        this.reader = Thread.ofPlatform().daemon().name("serve-output-" + process.pid()).start(() -> {
            try {
                for (String l; (l = rest.readLine()) != null; ) output.add(l);
            } catch (IOException closed) {
                // the process ended
            }
        });
    }

    static ServeProcess start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String banner = r.readLine();
        if (banner == null || !banner.startsWith("serving ")) {
            p.destroyForcibly();
            throw new IllegalStateException("netloop serve did not start: " + banner);
        }
        return new ServeProcess(p, banner, r);
    }

    /** The {@code n}-th URL of the banner: 0 the site, 1 the admin endpoints. */
    String url(int n) {
        Matcher m = URL.matcher(banner);
        for (int i = 0; i <= n; i++) {
            if (!m.find()) throw new IllegalStateException("no URL " + n + " in the banner: " + banner);
        }
        return m.group();
    }

    void sigterm() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor();
    }

    /** Waits for the exit and returns its code (-1 after 30 s without one). */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(30, TimeUnit.SECONDS)) return -1;
        reader.join(5_000);
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
