package io.netloop.core.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netloop.core.buffer.Buffer;
import io.netloop.core.loop.IoMode;
import io.netloop.core.tcp.ConnectionHandler;
import io.netloop.core.tcp.TcpConnection;
import io.netloop.core.tcp.TcpServer;
import io.netloop.testing.Clients;
import io.netloop.testing.LeakCheck;
import io.netloop.testing.TestCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** TLS on a TcpServer listener, checked by the JDK's SSLSocket: handlers see plaintext only. */
@ExtendWith(LeakCheck.class)
class TlsServerTest {
    private static TestCertificate ec;
    private static TestCertificate rsa;
    private static SSLContext trustEc;
    private static Path bigFile;
    private static byte[] bigBytes;

    @BeforeAll
    static void certificates() throws Exception {
        ec = TestCertificate.generate("EC");
        rsa = TestCertificate.generate("RSA");
        trustEc = ec.clientContext();
        bigBytes = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(bigBytes);
        bigFile = ec.dir().resolve("big.bin");
        Files.write(bigFile, bigBytes);
    }

    @AfterAll
    static void cleanUp() throws IOException {
        ec.delete();
        rsa.delete();
    }

    /** Echoes lines; "file" sends the big file between two markers; "bye" shuts the output down. */
    private static final class Echo implements ConnectionHandler {
        static final ConcurrentLinkedQueue<Throwable> closeCauses = new ConcurrentLinkedQueue<>();

        @Override
        public void onClose(TcpConnection c, Throwable cause) {
            if (cause != null) closeCauses.add(cause);
        }

        @Override
        public void onOpen(TcpConnection c) {
            c.send("hello " + ((TlsFilter) c.filter()).protocol() + " " + ((TlsFilter) c.filter()).applicationProtocol()
                    + "\n");
        }

        @Override
        public void onData(TcpConnection c, Buffer in) {
            int nl;
            while ((nl = in.indexOf((byte) '\n')) >= 0) {
                String line = in.readString(nl + 1, StandardCharsets.US_ASCII).strip();
                switch (line) {
                    case "file" -> {
                        c.send("<");
                        try {
                            c.sendFile(bigFile, 0, bigBytes.length);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                        c.send(">\n");
                    }
                    case "bye" -> {
                        c.send("bye\n");
                        c.shutdownOutput();
                    }
                    default -> c.send(line + "\n");
                }
            }
        }
    }

    private static TcpServer server(IoMode io, TlsConfig tls) throws IOException {
        return TcpServer.builder()
                .io(io)
                .filter(tls.factory())
                .handler(Echo::new)
                .start();
    }

    private static SSLSocket client(SSLContext ctx, int port, String protocol) throws IOException {
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(20_000);
        SSLParameters p = s.getSSLParameters();
        p.setProtocols(new String[] {protocol});
        p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
        p.setEndpointIdentificationAlgorithm("HTTPS"); // checks the certificate names 127.0.0.1
        s.setSSLParameters(p);
        s.startHandshake();
        return s;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) throw new IOException("end of stream after '" + b + "'");
            b.append((char) c);
        }
        return b.toString();
    }

    @ParameterizedTest
    @CsvSource({"EPOLL, TLSv1.3", "EPOLL, TLSv1.2", "EPOLL_ET, TLSv1.3", "NIO, TLSv1.2", "NIO, TLSv1.3"})
    void handlersSeePlaintextAndAlpnPicksHttp11(IoMode io, String protocol) throws Exception {
        try (TcpServer server = server(io, TlsConfig.fromPem(ec.certPem(), ec.keyPem()));
                SSLSocket s = client(trustEc, server.port(), protocol)) {
            assertThat(s.getApplicationProtocol()).isEqualTo("http/1.1");
            assertThat(s.getSession().getProtocol()).isEqualTo(protocol);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            assertThat(line(in)).isEqualTo("hello " + protocol + " http/1.1");
            String big = "x".repeat(100_000);
            out.write(("one\ntwo\n" + big + "\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(line(in)).isEqualTo("one");
            assertThat(line(in)).isEqualTo("two");
            assertThat(line(in)).isEqualTo(big);
        }
    }

    @ParameterizedTest
    @CsvSource({"EPOLL, TLSv1.3", "EPOLL_ET, TLSv1.2", "NIO, TLSv1.3"})
    void aFileGoesThroughTlsByteExactWithBytesQueuedAroundIt(IoMode io, String protocol) throws Exception {
        try (TcpServer server = server(io, TlsConfig.fromPem(ec.certPem(), ec.keyPem()));
                SSLSocket s = client(trustEc, server.port(), protocol)) {
            InputStream in = s.getInputStream();
            line(in);
            s.getOutputStream().write("file\nafter\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.read()).isEqualTo('<');
            byte[] got = Clients.readExactly(in, bigBytes.length);
            assertThat(MessageDigest.getInstance("SHA-256").digest(got))
                    .isEqualTo(MessageDigest.getInstance("SHA-256").digest(bigBytes));
            assertThat(line(in)).isEqualTo(">");
            assertThat(line(in)).isEqualTo("after");
        }
    }

    @Test
    void rsaKeysPkcs12AndTls13OnlyWork() throws Exception {
        SSLContext trustRsa = rsa.clientContext();
        try (TcpServer server = server(IoMode.AUTO, TlsConfig.fromPem(rsa.certPem(), rsa.keyPem()));
                SSLSocket s = client(trustRsa, server.port(), "TLSv1.2")) {
            assertThat(line(s.getInputStream())).startsWith("hello TLSv1.2");
            assertThat(s.getSession().getCipherSuite())
                    .startsWith("TLS_ECDHE_RSA_")
                    .contains("_GCM_");
        }
        try (TcpServer server = server(
                        IoMode.AUTO,
                        TlsConfig.fromKeyStore(rsa.keyStore(), rsa.password()).protocols("TLSv1.3"));
                SSLSocket s = client(trustRsa, server.port(), "TLSv1.3")) {
            assertThat(line(s.getInputStream())).startsWith("hello TLSv1.3");
            assertThatThrownBy(() -> client(trustRsa, server.port(), "TLSv1.2")).isInstanceOf(SSLException.class);
        }
    }

    @Test
    void alpnWithoutHttp11IsRefusedAndNoAlpnIsServed() throws Exception {
        try (TcpServer server = server(IoMode.AUTO, TlsConfig.fromPem(ec.certPem(), ec.keyPem()))) {
            SSLSocket h2Only = (SSLSocket) trustEc.getSocketFactory().createSocket("127.0.0.1", server.port());
            try (h2Only) {
                h2Only.setSoTimeout(20_000);
                SSLParameters p = h2Only.getSSLParameters();
                p.setApplicationProtocols(new String[] {"h2"});
                h2Only.setSSLParameters(p);
                assertThatThrownBy(h2Only::startHandshake).isInstanceOf(SSLException.class);
            }
            SSLSocket noAlpn = (SSLSocket) trustEc.getSocketFactory().createSocket("127.0.0.1", server.port());
            try (noAlpn) {
                noAlpn.setSoTimeout(20_000);
                assertThat(line(noAlpn.getInputStream())).startsWith("hello TLSv1.3");
                assertThat(noAlpn.getApplicationProtocol()).isEmpty();
            }
        }
    }

    @Test
    void shutdownOutputSendsCloseNotifyBeforeFin() throws Exception {
        try (TcpServer server = server(IoMode.AUTO, TlsConfig.fromPem(ec.certPem(), ec.keyPem()));
                SSLSocket s = client(trustEc, server.port(), "TLSv1.3")) {
            InputStream in = s.getInputStream();
            line(in);
            s.getOutputStream().write("bye\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(line(in)).isEqualTo("bye");
            // Without close_notify the JDK client would throw ("closing inbound before receiving peer's close_notify").
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void tls12RenegotiationIsRefused() throws Exception {
        try (TcpServer server = server(IoMode.AUTO, TlsConfig.fromPem(ec.certPem(), ec.keyPem()));
                SSLSocket s = client(trustEc, server.port(), "TLSv1.2")) {
            InputStream in = s.getInputStream();
            line(in);
            Echo.closeCauses.clear();
            s.startHandshake(); // a new ClientHello on the established connection
            assertThatThrownBy(() -> {
                        s.getOutputStream().write("still there?\n".getBytes(StandardCharsets.US_ASCII));
                        if (in.read() != -1) throw new AssertionError("the server answered after a renegotiation");
                        throw new SocketException("closed");
                    })
                    .isInstanceOf(IOException.class);
            Clients.await(Duration.ofSeconds(10), "the server's reason", () -> !Echo.closeCauses.isEmpty());
            assertThat(Echo.closeCauses.peek()).hasMessageContaining("renegotiation refused");
        }
    }

    /**
     * The refusal is a fatal alert, not a bare close_notify: a client (and testssl.sh, whose
     * "Secure Client-Initiated Renegotiation" check read the close_notify as a renegotiation
     * that went through) sees an error.
     */
    @Test
    void tls12RenegotiationIsAnsweredWithAFatalAlert() throws Exception {
        try (TcpServer server = server(IoMode.AUTO, TlsConfig.fromPem(ec.certPem(), ec.keyPem()));
                SSLSocket s = client(trustEc, server.port(), "TLSv1.2")) {
            InputStream in = s.getInputStream();
            line(in);
            s.startHandshake();
            assertThatThrownBy(() -> {
                        s.getOutputStream().write("still there?\n".getBytes(StandardCharsets.US_ASCII));
                        in.read();
                    })
                    .isInstanceOf(javax.net.ssl.SSLException.class)
                    .hasMessageContaining("protocol_version");
        }
    }

    @Test
    void aPlaintextClientIsClosedAndTheLoopServesOthers() throws Exception {
        ConcurrentLinkedQueue<Throwable> handlerCalls = new ConcurrentLinkedQueue<>();
        try (TcpServer server = TcpServer.builder()
                        .filter(TlsConfig.fromPem(ec.certPem(), ec.keyPem()).factory())
                        .handler(() -> new ConnectionHandler() {
                            @Override
                            public void onOpen(TcpConnection c) {
                                handlerCalls.add(new AssertionError("opened"));
                            }

                            @Override
                            public void onData(TcpConnection c, Buffer in) {
                                in.clear();
                            }
                        })
                        .start();
                Socket plain = Clients.connect(server.port())) {
            plain.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] answer = plain.getInputStream().readAllBytes(); // a TLS alert at most, then the end
            assertThat(answer.length).isLessThan(64);
            if (answer.length > 0)
                assertThat(answer[0]).as("a TLS alert record").isEqualTo((byte) 21);
            try (SSLSocket s = client(trustEc, server.port(), "TLSv1.3")) {
                s.getOutputStream().write('x');
                Clients.await(Duration.ofSeconds(10), "the TLS client opened", () -> handlerCalls.size() == 1);
            }
            Clients.await(Duration.ofSeconds(10), "both closed", () -> server.openCount() == 0);
        }
    }

    @Test
    void aSilentClientIsClosedAfterTheHandshakeTimeout() throws Exception {
        try (TcpServer server = server(
                        IoMode.AUTO,
                        TlsConfig.fromPem(ec.certPem(), ec.keyPem()).handshakeTimeout(Duration.ofMillis(300)));
                Socket silent = Clients.connect(server.port())) {
            assertThat(silent.getInputStream().read()).isEqualTo(-1);
            Clients.await(Duration.ofSeconds(10), "closed", () -> server.openCount() == 0);
        }
    }

    @Test
    void pemProblemsSayWhatToDo() throws Exception {
        Path pkcs1 = ec.dir().resolve("rsa-pkcs1.pem");
        Files.writeString(pkcs1, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        assertThatThrownBy(() -> TlsConfig.fromPem(ec.certPem(), pkcs1)).hasMessageContaining("openssl pkcs8 -topk8");
        assertThatThrownBy(() -> TlsConfig.fromPem(ec.certPem(), rsa.keyPem())).hasMessageContaining("does not belong");
        assertThatThrownBy(() -> TlsConfig.fromPem(ec.keyPem(), ec.keyPem())).hasMessageContaining("certificate");
        assertThatThrownBy(() -> TlsConfig.fromKeyStore(ec.keyStore(), "wrong".toCharArray()))
                .hasMessageContaining("password");
    }

    @Test
    void onlyForwardSecretAeadSuitesAreOffered() throws Exception {
        TlsConfig tls = TlsConfig.fromPem(ec.certPem(), ec.keyPem());
        assertThat(tls.cipherSuites())
                .isNotEmpty()
                .contains("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384")
                .allMatch(s -> s.contains("_GCM_") || s.contains("CHACHA20"))
                .noneMatch(s -> s.startsWith("TLS_RSA_") || s.contains("_CBC_"));
        assertThat(tls.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
    }
}
