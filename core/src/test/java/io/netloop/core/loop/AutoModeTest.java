package io.netloop.core.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.testing.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code --io auto}: epoll where native access is enabled, NIO (silently, no JDK warning) where it is not. */
class AutoModeTest {

    /** Prints what AUTO resolves to. Run by the tests in a JVM of their choosing. */
    public static final class PrintAuto {
        public static void main(String[] args) {
            IoMode mode = args.length > 0 ? IoMode.parse(args[0]) : IoMode.AUTO;
            try {
                System.out.println(mode.label() + "=" + mode.resolve());
            } catch (IllegalStateException e) {
                System.out.println(e.getMessage());
            }
        }
    }

    @Test
    void autoIsEpollWithNativeAccess() throws Exception {
        assertThat(run(ChildJvm.NATIVE_ACCESS)).isEqualTo("auto=epoll");
    }

    @Test
    void autoFallsBackToNioWithoutNativeAccessAndPrintsNoWarning() throws Exception {
        assertThat(run()).isEqualTo("auto=nio");
    }

    @Test
    void anExplicitEpollModeWithoutNativeAccessSaysWhatToDo() throws Exception {
        assertThat(runMode("epoll-et"))
                .isEqualTo("--io epoll-et is unavailable: native access is not enabled: "
                        + "run java with --enable-native-access=io.netloop.core (or use --io nio)");
    }

    private static String run(String... jvmArgs) throws IOException, InterruptedException {
        return launch(List.of(jvmArgs), List.of());
    }

    private static String runMode(String mode) throws IOException, InterruptedException {
        return launch(List.of(), List.of(mode));
    }

    private static String launch(List<String> jvmArgs, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = ChildJvm.command(PrintAuto.class, jvmArgs, args.toArray(String[]::new));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out; // stdout and stderr together: a JDK warning would show up here
    }
}
