package io.netloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code --max-connections}: echo closes the connection over the limit, serve answers it 503 with Retry-After. */
class MaxConnectionsOptionTest {
    /** Starts {@code netloop <args>} in a child process and returns it with the port its banner names. */
    private record Child(Process process, int port) implements AutoCloseable {
        static Child start(String bannerPattern, String... args) throws Exception {
            List<String> cmd = ChildJvm.command(Main.class, List.of(ChildJvm.NATIVE_ACCESS), args);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String banner =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            Matcher m = Pattern.compile(bannerPattern).matcher(String.valueOf(banner));
            assertThat(m.find()).as(banner).isTrue();
            return new Child(p, Integer.parseInt(m.group(1)));
        }

        @Override
        public void close() throws Exception {
            new ProcessBuilder("kill", "-TERM", Long.toString(process.pid()))
                    .start()
                    .waitFor();
            if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly();
        }
    }

    @Test
    void echoClosesTheConnectionOverTheLimit() throws Exception {
        try (Child echo = Child.start(
                        "listening on 127\\.0\\.0\\.1:(\\d+)",
                        "echo",
                        "--port",
                        "0",
                        "--threads",
                        "1",
                        "--max-connections",
                        "1");
                Socket first = new Socket("127.0.0.1", echo.port())) {
            first.getOutputStream().write('a');
            assertThat(first.getInputStream().read()).isEqualTo('a');
            try (Socket second = new Socket("127.0.0.1", echo.port())) {
                second.setSoTimeout(10_000);
                assertThat(second.getInputStream().read()).as("closed at once").isEqualTo(-1);
            }
        }
    }

    @Test
    void serveAnswers503WithRetryAfterOverTheLimit() throws Exception {
        try (Child serve = Child.start(
                        "at http://127\\.0\\.0\\.1:(\\d+)/",
                        "serve",
                        "--port",
                        "0",
                        "--threads",
                        "1",
                        "--access-log",
                        "off",
                        "--max-connections",
                        "1");
                Socket first = new Socket("127.0.0.1", serve.port())) {
            first.setSoTimeout(10_000);
            first.getOutputStream()
                    .write("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(first.getInputStream().readNBytes(12), StandardCharsets.US_ASCII))
                    .isEqualTo("HTTP/1.1 200");
            try (Socket second = new Socket("127.0.0.1", serve.port())) {
                second.setSoTimeout(10_000);
                second.getOutputStream()
                        .write("GET /plaintext HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String answer = new String(second.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
                assertThat(answer)
                        .startsWith("HTTP/1.1 503")
                        .contains("Retry-After: 1\r\n")
                        .contains("Connection: close\r\n");
            }
        }
    }
}
