package io.netloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.testing.LeakCheck;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --io io_uring} as a user gives it to each server command: the command starts on the
 * io_uring transport (its banner says so) and stops cleanly on SIGTERM, each in a JVM of its
 * own. What the servers do on io_uring is the transport matrix's business (@AllTransports).
 */
@ExtendWith(LeakCheck.class)
class IoUringCommandsTest {
    private static final Pattern BANNER = Pattern.compile(".*[( ]io_uring, \\d+ loop\\(s\\).*");

    @ParameterizedTest(name = "{0}")
    @ValueSource(
            strings = {
                "serve --port 0 --threads 1",
                "echo --port 0 --threads 2",
                "chat --port 0 --http-port 0 --threads 1",
                "udp-echo --port 0 --threads 1"
            })
    void eachServerCommandRunsOnIoUringAndStopsCleanly(String command) throws Exception {
        String[] args = (command + " --io io_uring").split(" ");
        try (CommandProcess p = new CommandProcess(args)) {
            StringBuilder seen = new StringBuilder();
            String line;
            // The banner, not the ring's setup logged before it.
            while ((line = p.readLine()) != null && !BANNER.matcher(line).matches())
                seen.append(line).append('\n');
            assertThat(line).as("a banner naming io_uring, after:\n%s", seen).isNotNull();
            p.stopWith("TERM");
        }
    }

    /** Where io_uring is missing or forbidden (simulated: UringSupport's netloop.uring.refuse), the server does not start. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ENOSYS", "EPERM"})
    void withoutIoUringTheServerStopsAtStartSayingWhatIsMissingAndWhatToUse(String errno) throws Exception {
        CommandProcess.Ended ended = CommandProcess.runToEnd(
                List.of("-Dnetloop.uring.refuse=" + errno), "echo", "--port", "0", "--io", "io_uring");
        assertThat(ended.exitStatus()).as(ended.output()).isEqualTo(1);
        String why = errno.equals("ENOSYS")
                ? "this kernel has no io_uring (io_uring_setup: ENOSYS"
                : "io_uring is not permitted here (io_uring_setup: EPERM";
        assertThat(ended.output())
                .contains("netloop echo: --io io_uring is unavailable: " + why)
                .contains("; use --io epoll");
    }
}
