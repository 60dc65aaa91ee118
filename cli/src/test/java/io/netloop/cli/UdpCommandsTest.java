package io.netloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.testing.ChildJvm;
import io.netloop.testing.LeakCheck;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** {@code netloop udp-echo} in a process of its own, and {@code netloop udp-send} against it. */
@ExtendWith(LeakCheck.class)
class UdpCommandsTest {

    @ParameterizedTest
    @ValueSource(strings = {"udp-echo --help", "udp-send --help", "help udp-send"})
    void bothCommandsHaveHelp(String args) {
        Run r = run(args.split(" "));
        assertThat(r.code).isZero();
        assertThat(r.out).contains("Usage: netloop udp-");
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "nio"})
    void udpSendPrintsTheReplyOfUdpEcho(String io) throws Exception {
        Process p = new ProcessBuilder(ChildJvm.command(
                        Main.class,
                        List.of(ChildJvm.NATIVE_ACCESS),
                        "udp-echo",
                        "--port",
                        "0",
                        "--io",
                        io,
                        "--threads",
                        "2"))
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String banner = r.readLine();
            Matcher m = Pattern.compile(
                            "udp echo server on 127\\.0\\.0\\.1:(\\d+) \\((epoll-lt|nio), 2 loop\\(s\\)\\).*")
                    .matcher(banner);
            assertThat(m.matches()).as(banner).isTrue();

            Run send = run("udp-send", "127.0.0.1:" + m.group(1), "hello, datagram", "--io", io);
            assertThat(send.code).as(send.err).isZero();
            assertThat(send.out).isEqualTo("hello, datagram" + System.lineSeparator());

            new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            String rest = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(rest).isZero();
            assertThat(rest)
                    .contains("netloop: stopped", "netloop: datagrams received 1, sent 1, dropped 0")
                    .doesNotContain("WARNING");
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void udpSendExitsOneSayingSoWhenNoReplyComes() throws Exception {
        // Bound and silent: no ICMP "port unreachable" either, only the timeout ends the wait.
        try (DatagramSocket silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int port = silent.getLocalPort();
            Run r = run("udp-send", "127.0.0.1:" + port, "anyone?", "--timeout", "300ms");
            assertThat(r.code).isEqualTo(1);
            assertThat(r.out).isEmpty();
            assertThat(r.err.strip())
                    .isEqualTo("netloop udp-send: no reply from 127.0.0.1:" + port
                            + " within 300 ms: is a UDP server listening there? (UDP says nothing when nobody is)");
        }
    }

    @Test
    void aTargetWithoutAPortSaysWhatIsExpected() {
        Run r = run("udp-send", "127.0.0.1", "hi");
        assertThat(r.code).isNotZero();
        assertThat(r.err).contains("'127.0.0.1' is not HOST:PORT: use e.g. 127.0.0.1:9009");
    }

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
