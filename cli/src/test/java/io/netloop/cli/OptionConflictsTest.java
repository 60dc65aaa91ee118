package io.netloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every option that would be ignored, or that conflicts with another, stops the command at
 * start with exit status 1 and a message that names the option and says what to give
 * instead. Each case runs {@code netloop} in a JVM of its own, as a user's shell does.
 */
class OptionConflictsTest {

    static Stream<Arguments> conflicts() {
        return Stream.of(
                Arguments.of(
                        "--https-port beside --port",
                        new String[] {
                            "serve", "--port", "0", "--https-port", "0", "--tls-cert", "c.pem", "--tls-key", "k.pem"
                        },
                        "--https-port: both set the port listened on: give --port alone"),
                Arguments.of(
                        "--https-port without TLS",
                        new String[] {"serve", "--https-port", "0"},
                        "--https-port: there is no HTTPS without --tls-cert/--tls-key or --tls-keystore: give --port"),
                Arguments.of(
                        "--list-dirs without --root",
                        new String[] {"serve", "--port", "0", "--list-dirs"},
                        "--list-dirs: the demo site has no directories to list: give --root DIR too"),
                Arguments.of(
                        "--admin-path with --admin-port",
                        new String[] {"serve", "--port", "0", "--admin-port", "0", "--admin-path", "/ops"},
                        "--admin-path: with --admin-port the endpoints are at that port's root: drop --admin-path"),
                Arguments.of(
                        "--admin-host without --admin-port",
                        new String[] {"serve", "--port", "0", "--admin-host", "127.0.0.1"},
                        "--admin-host: it is the address of --admin-port"),
                Arguments.of(
                        "--trusted-proxy without what it trusts",
                        new String[] {"serve", "--port", "0", "--trusted-proxy", "127.0.0.1"},
                        "--trusted-proxy: it says whose PROXY header or X-Forwarded-For to believe, and neither is"
                                + " read: add --proxy-protocol or --forwarded-for"),
                Arguments.of(
                        "--tls-password-file with a PEM key",
                        new String[] {
                            "serve", "--tls-cert", "c.pem", "--tls-key", "k.pem", "--tls-password-file", "pw.txt"
                        },
                        "--tls-password-file opens a --tls-keystore; a --tls-key is read unencrypted: drop"
                                + " --tls-password-file"),
                Arguments.of(
                        "--redirect-http-port without TLS",
                        new String[] {"serve", "--port", "0", "--redirect-http-port", "0"},
                        "--redirect-http-port redirects to HTTPS: give --tls-cert/--tls-key or --tls-keystore"),
                Arguments.of(
                        "--workers without --handlers workers",
                        new String[] {"echo", "--port", "0", "--workers", "8"},
                        "--workers: it sizes the pool of --handlers workers (now --handlers loop): add --handlers"
                                + " workers"),
                Arguments.of(
                        "--max-connections on the chat",
                        new String[] {"chat", "--port", "0", "--http-port", "0", "--max-connections", "10"},
                        "--max-connections: the chat room has no connection limit of its own yet"),
                Arguments.of(
                        "--trusted-proxy on the chat without --proxy-protocol",
                        new String[] {"chat", "--port", "0", "--http-port", "0", "--trusted-proxy", "127.0.0.1"},
                        "--trusted-proxy: it says whose PROXY header to believe, and none is read: add"
                                + " --proxy-protocol"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("conflicts")
    void refusedAtStartWithWhatToDoInstead(String what, String[] args, String message) throws Exception {
        CommandProcess.Ended ended = CommandProcess.runToEnd(args);
        assertThat(ended.exitStatus()).as(ended.output()).isEqualTo(1);
        assertThat(ended.output()).contains("netloop " + args[0] + ": " + message);
    }
}
