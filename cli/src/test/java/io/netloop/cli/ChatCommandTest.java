package io.netloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.testing.TestCertificate;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ChatCommandTest {
    @Test
    void helpNamesBothPorts() {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute("chat", "--help")).isZero();
        assertThat(out.toString())
                .contains(
                        "Usage: netloop chat",
                        "--port",
                        "--http-port",
                        "--threads",
                        "--io",
                        "--host",
                        "--tls-cert",
                        "--tls-key",
                        "--tls-keystore",
                        "--tls-password-file");
    }

    @Test
    void theChatCommandServesBothSidesAndStopsCleanlyOnASignal() throws Exception {
        try (CommandProcess p = new CommandProcess("chat", "--port", "0", "--http-port", "0", "--threads", "1")) {
            String banner = p.readLine();
            Matcher m = Pattern.compile("chat room on tcp 127\\.0\\.0\\.1:(\\d+) \\(nc 127\\.0\\.0\\.1 \\1\\) and"
                            + " http://127\\.0\\.0\\.1:(\\d+)/ with its socket at ws://127\\.0\\.0\\.1:\\2/ws"
                            + " \\(tls off, epoll-lt, 1 loop\\(s\\) per side and one for the room\\); Ctrl-C stops"
                            + " it")
                    .matcher(banner);
            assertThat(m.matches()).as(banner).isTrue();
            try (Socket s = new Socket("127.0.0.1", Integer.parseInt(m.group(1)))) {
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                assertThat(in.readLine()).startsWith("*** welcome to netloop chat");
                s.getOutputStream().write("cli\nhi\n".getBytes(StandardCharsets.UTF_8));
                assertThat(in.readLine()).startsWith("*** you are cli;");
                assertThat(in.readLine()).isEqualTo("*** online (1): cli");
                assertThat(in.readLine()).isEqualTo("<cli> hi");
            }
            try (Socket s = new Socket("127.0.0.1", Integer.parseInt(m.group(2)))) {
                OutputStream out = s.getOutputStream();
                out.write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                String page = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(page).startsWith("HTTP/1.1 200").contains("<title>netloop chat</title>");
            }
            p.stopWith("TERM");
        }
    }

    @Test
    void withACertificateBothPortsSpeakTls() throws Exception {
        TestCertificate cert = TestCertificate.generate("EC");
        try (CommandProcess p = new CommandProcess(
                "chat",
                "--port",
                "0",
                "--http-port",
                "0",
                "--threads",
                "1",
                "--tls-cert",
                cert.certPem().toString(),
                "--tls-key",
                cert.keyPem().toString())) {
            String banner = p.readLine();
            Matcher m = Pattern.compile("chat room on tcp 127\\.0\\.0\\.1:(\\d+) \\(openssl s_client -quiet -connect"
                            + " 127\\.0\\.0\\.1:\\1\\) and https://127\\.0\\.0\\.1:(\\d+)/ with its socket at"
                            + " wss://127\\.0\\.0\\.1:\\2/ws \\(tls on, .*")
                    .matcher(String.valueOf(banner));
            assertThat(m.matches()).as(banner).isTrue();
            SSLContext trusting = cert.clientContext();
            try (Socket s = trusting.getSocketFactory().createSocket("localhost", Integer.parseInt(m.group(1)))) {
                s.setSoTimeout(20_000);
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                assertThat(in.readLine()).startsWith("*** welcome to netloop chat");
                s.getOutputStream().write("secure\nhi\n".getBytes(StandardCharsets.UTF_8));
                s.getOutputStream().flush();
                assertThat(in.readLine()).startsWith("*** you are secure;");
                assertThat(in.readLine()).isEqualTo("*** online (1): secure");
                assertThat(in.readLine()).isEqualTo("<secure> hi");
            }
            try (HttpClient client =
                    HttpClient.newBuilder().sslContext(trusting).build()) {
                HttpResponse<String> page = client.send(
                        HttpRequest.newBuilder(URI.create("https://localhost:" + m.group(2) + "/"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(page.statusCode()).isEqualTo(200);
                assertThat(page.body()).contains("<title>netloop chat</title>");
            }
            p.stopWith("TERM");
        } finally {
            cert.delete();
        }
    }
}
