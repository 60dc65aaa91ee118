package io.netloop.examples.tls;

import io.netloop.core.tls.TlsConfig;
import io.netloop.http.HttpServer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A static site over HTTPS: the files under a directory (index.html for directories, ETag,
 * ranges), with a certificate chain and its key in PEM files, as certbot writes them.
 *
 * <pre>
 * java ... io.netloop.examples.tls.StaticSite ./public fullchain.pem privkey.pem [PORT]
 * curl --cacert fullchain.pem https://localhost:8443/
 * </pre>
 *
 * <p>Threading: {@code main} returns once the server listens; the loop threads handshake and
 * send the files.
 */
public final class StaticSite {
    private StaticSite() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: StaticSite ROOT CERT.pem KEY.pem [PORT]");
            System.exit(2);
        }
        HttpServer server = start(
                Path.of(args[0]),
                Path.of(args[1]),
                Path.of(args[2]),
                args.length > 3 ? Integer.parseInt(args[3]) : 8443);
        System.out.println("serving " + args[0] + " at https://127.0.0.1:" + server.port() + "/");
    }

    public static HttpServer start(Path root, Path certificateChain, Path privateKey, int port) throws IOException {
        HttpServer server = HttpServer.builder()
                .port(port)
                .tls(TlsConfig.fromPem(certificateChain, privateKey))
                .build();
        server.staticFiles("/", root);
        return server.start();
    }
}
