package io.netloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.testing.ChildJvm;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class EchoCommandTest {

    @ParameterizedTest
    @ValueSource(strings = {"--help", "echo --help", "help echo"})
    void everyCommandHasHelp(String args) {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        int code = cl.execute(args.split(" "));
        assertThat(code).isZero();
        assertThat(out.toString()).contains("Usage: netloop");
    }

    @Test
    void aBadOptionValueSaysWhatIsAccepted() {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("echo", "--io", "kqueue");
        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("use auto, epoll, epoll-et, io_uring, nio, poll, select or signal");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TERM", "INT"})
    void theEchoCommandServesAndStopsCleanlyOnASignal(String signal) throws Exception {
        List<String> cmd =
                ChildJvm.command(Main.class, List.of(ChildJvm.NATIVE_ACCESS), "echo", "--port", "0", "--threads", "2");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String banner = r.readLine();
            Matcher m = Pattern.compile("echo server listening on 127\\.0\\.0\\.1:(\\d+) \\(epoll-lt, 2 loop\\(s\\).*")
                    .matcher(banner);
            assertThat(m.matches()).as(banner).isTrue();
            try (Socket s = new Socket("127.0.0.1", Integer.parseInt(m.group(1)))) {
                s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                assertThat(s.getInputStream().readNBytes(5)).asString().isEqualTo("hello");
            }
            new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid()))
                    .start()
                    .waitFor();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            String rest = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(rest).isZero();
            assertThat(rest).contains("netloop: stopped").doesNotContain("WARNING");
        } finally {
            p.destroyForcibly();
        }
    }
}
