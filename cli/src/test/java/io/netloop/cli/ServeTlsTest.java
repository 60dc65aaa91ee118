package io.netloop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.testing.TestCertificate;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code netloop serve} with TLS options, as a user runs it. */
class ServeTlsTest {

    @Test
    void serveOverTlsWithAPkcs12KeyStoreAndARedirectListener() throws Exception {
        TestCertificate cert = TestCertificate.generate("EC");
        Path passwordFile = cert.dir().resolve("password");
        Files.writeString(passwordFile, new String(cert.password()) + "\n");
        try (ServeProcess p = ServeProcess.start(
                "serve",
                "--https-port",
                "0",
                "--redirect-http-port",
                "0",
                "--access-log",
                "off",
                "--tls-keystore",
                cert.keyStore().toString(),
                "--tls-password-file",
                passwordFile.toString())) {
            String banner = p.banner();
            Matcher m = Pattern.compile("serving the demo site at https://127\\.0\\.0\\.1:(\\d+)/ \\(plain HTTP on"
                            + " 127\\.0\\.0\\.1:(\\d+) redirects there\\).*")
                    .matcher(String.valueOf(banner));
            assertThat(m.matches()).as(banner).isTrue();
            try (HttpClient client =
                    HttpClient.newBuilder().sslContext(cert.clientContext()).build()) {
                HttpResponse<String> plain = client.send(
                        HttpRequest.newBuilder(URI.create("https://localhost:" + m.group(1) + "/plaintext"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(plain.body()).isEqualTo("Hello, World!");
                HttpResponse<String> moved = client.send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + m.group(2) + "/plaintext?x=1"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(moved.statusCode()).isEqualTo(308);
                assertThat(moved.headers().firstValue("location"))
                        .hasValue("https://localhost:" + m.group(1) + "/plaintext?x=1");
            }
            p.stopAndExpectExitZero();
        } finally {
            cert.delete();
        }
    }

    /** The issue "Adoptable": {@code --port 9443} with TLS listened on 8443, the --https-port default. */
    @Test
    void portIsTheHttpsPortUnderTls() throws Exception {
        TestCertificate cert = TestCertificate.generate("EC");
        int port = freePort();
        try (ServeProcess p = ServeProcess.start(
                "serve",
                "--port",
                Integer.toString(port),
                "--access-log",
                "off",
                "--tls-cert",
                cert.certPem().toString(),
                "--tls-key",
                cert.keyPem().toString())) {
            assertThat(p.banner()).startsWith("serving the demo site at https://127.0.0.1:" + port + "/ ");
            try (HttpClient client =
                    HttpClient.newBuilder().sslContext(cert.clientContext()).build()) {
                HttpResponse<String> plain = client.send(
                        HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/plaintext"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(plain.body()).isEqualTo("Hello, World!");
            }
            p.stopAndExpectExitZero();
        } finally {
            cert.delete();
        }
    }

    /** BREACH: over TLS nothing is compressed unless --gzip says so; plain HTTP compresses by default. */
    @Test
    void gzipIsOptInUnderTls() throws Exception {
        TestCertificate cert = TestCertificate.generate("EC");
        try {
            assertThat(contentEncodingOfTheDemoPage(cert)).isEmpty();
            assertThat(contentEncodingOfTheDemoPage(cert, "--gzip")).hasValue("gzip");
        } finally {
            cert.delete();
        }
    }

    private static java.util.Optional<String> contentEncodingOfTheDemoPage(TestCertificate cert, String... more)
            throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(
                "serve",
                "--port",
                "0",
                "--access-log",
                "off",
                "--tls-cert",
                cert.certPem().toString(),
                "--tls-key",
                cert.keyPem().toString()));
        args.addAll(java.util.List.of(more));
        try (ServeProcess p = ServeProcess.start(args.toArray(String[]::new))) {
            Matcher m = Pattern.compile("serving the demo site at https://127\\.0\\.0\\.1:(\\d+)/ .*")
                    .matcher(p.banner());
            assertThat(m.matches()).as(p.banner()).isTrue();
            try (HttpClient client =
                    HttpClient.newBuilder().sslContext(cert.clientContext()).build()) {
                HttpResponse<byte[]> page = client.send(
                        HttpRequest.newBuilder(URI.create("https://localhost:" + m.group(1) + "/"))
                                .header("Accept-Encoding", "gzip")
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(page.statusCode()).isEqualTo(200);
                p.stopAndExpectExitZero();
                return page.headers().firstValue("content-encoding");
            }
        }
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void optionMistakesSayWhatToDo() {
        assertThat(run("serve", "--tls-cert", "cert.pem")).contains("--tls-cert and --tls-key go together");
        assertThat(run("serve", "--redirect-http-port", "8080"))
                .contains("give --tls-cert/--tls-key or --tls-keystore");
        assertThat(run("serve", "--proxy-protocol")).contains("--proxy-protocol needs --trusted-proxy");
        assertThat(run("serve", "--tls-cert", "/nonexistent/cert.pem", "--tls-key", "/nonexistent/key.pem"))
                .contains("/nonexistent/cert.pem");
        assertThat(run("serve", "--proxy-protocol", "--trusted-proxy", "proxy.example"))
                .contains("'proxy.example'");
    }

    private static String run(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        var cl = Main.commandLine();
        cl.setErr(new java.io.PrintWriter(new PrintStream(err, true, StandardCharsets.UTF_8), true));
        int exit = cl.execute(args);
        assertThat(exit).isNotZero();
        return err.toString(StandardCharsets.UTF_8);
    }
}
