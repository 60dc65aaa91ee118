package io.netloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code netloop} in a child JVM on the test's class path, as a user runs it: its first line
 * (the banner) and the URLs in it, the lines it prints after that, and a stop by SIGTERM
 * that must end in exit status 0.
 *
 * <p>Threading: the test's thread; once the banner is read, one reader thread collects the
 * rest of the output.
 */
final class ServeProcess implements AutoCloseable {
    private static final Pattern URL = Pattern.compile("http://[^ ;]+/");

    private final Process process;
    private final BufferedReader out;
    private String banner;
    /** Lines printed after the banner (the access log on stdout, messages on stderr). */
    final List<String> output = new CopyOnWriteArrayList<>();

    private Thread reader;

    private ServeProcess(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts {@code netloop args...} ({@code "serve", "--port", "0"}). */
    static ServeProcess start(String... args) throws IOException {
        List<String> cmd = ChildJvm.command(Main.class, List.of(ChildJvm.NATIVE_ACCESS, "-Xmx128m"), args);
        return new ServeProcess(
                new ProcessBuilder(cmd).redirectErrorStream(true).start());
    }

    /** The first line; the rest is collected into {@link #output} from then on. */
    String banner() throws IOException {
        if (banner == null) {
            banner = String.valueOf(out.readLine());
            reader = Thread.ofPlatform()
                    .daemon()
                    .name("netloop-output-" + process.pid())
                    .start(() -> {
                        try {
                            for (String l; (l = out.readLine()) != null; ) output.add(l);
                        } catch (IOException closed) {
                            // the process ended
                        }
                    });
        }
        return banner;
    }

    /** The {@code n}-th URL of the banner: 0 the site, 1 the admin endpoints. */
    String url(int n) throws IOException {
        Matcher m = URL.matcher(banner());
        for (int i = 0; i <= n; i++) {
            if (!m.find()) throw new IllegalStateException("no URL " + n + " in the banner: " + banner);
        }
        return m.group();
    }

    void sigterm() throws IOException, InterruptedException {
        signal("TERM");
    }

    /** Sends SIG{@code name} (HUP, TERM) to the process. */
    void signal(String name) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                .start()
                .waitFor();
    }

    /** Waits for the exit and returns its status (-1 after 30 s without one). */
    int awaitExit() throws IOException, InterruptedException {
        banner();
        if (!process.waitFor(30, TimeUnit.SECONDS)) return -1;
        reader.join(5_000);
        return process.exitValue();
    }

    /** SIGTERM, then the process must exit 0 within 30 s. */
    void stopAndExpectExitZero() throws Exception {
        sigterm();
        assertThat(awaitExit()).as(String.join("\n", output)).isZero();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
