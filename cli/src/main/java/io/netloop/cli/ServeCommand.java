package io.netloop.cli;

import io.netloop.http.AccessLog;
import io.netloop.http.HttpServer;
import io.netloop.http.HttpsRedirect;
import io.netloop.proxy.ProxyProtocol;
import io.netloop.proxy.TrustedProxies;
import io.netloop.tls.TlsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code netloop serve}: the HTTP server, on a directory ({@code --root}) or on the built-in
 * demo site, until SIGINT or SIGTERM; then it stops gracefully (in-flight requests get up
 * to {@link #GRACE} to finish) and exits 0.
 *
 * <p>Threading: the main thread waits; the server's loop thread serves; the access log has
 * its own writer thread.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"HTTP/1.1 server: static files from --root, or the built-in demo site; HTTPS with --tls-cert/--tls-key (docs/tls.md).",
                "Ctrl-C or SIGTERM stops it gracefully."})
final class ServeCommand implements Callable<Integer> {
    static final Duration GRACE = Duration.ofSeconds(10);

    @Mixin
    ServerOptions server;

    @Option(names = "--port", defaultValue = "8080", description = "TCP port (0 picks a free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--root", paramLabel = "DIR", description = "Serve the files under DIR. Default: the built-in demo site.")
    Path root;

    @Option(names = "--list-dirs", description = "List directories that have no index.html (off by default).")
    boolean listDirs;

    @Option(names = "--access-log", defaultValue = "stdout", paramLabel = "stdout|FILE|off",
            description = "Where to log each request, in combined log format. Default: ${DEFAULT-VALUE}.")
    String accessLog;

    @Option(names = "--no-gzip", description = "Do not gzip responses.")
    boolean noGzip;

    @Mixin
    TlsOptions tls;

    @Option(names = "--https-port", defaultValue = "8443", paramLabel = "PORT",
            description = "With TLS: the HTTPS port, used instead of --port (0 picks a free one). Default: ${DEFAULT-VALUE}.")
    int httpsPort;

    @Option(names = "--redirect-http-port", paramLabel = "PORT",
            description = "With TLS: also listen for plain HTTP on PORT and answer 308 to https://host[:https-port]/path.")
    Integer redirectHttpPort;

    @Mixin
    ProxyOptions proxy;

    @Option(names = "--forwarded-for",
            description = "Take the client's address from X-Forwarded-For on requests from a --trusted-proxy (the rightmost untrusted entry).")
    boolean forwardedFor;

    @Override
    public Integer call() throws Exception {
        TlsConfig tlsConfig = tls.config();
        if (redirectHttpPort != null && tlsConfig == null) {
            throw new IllegalArgumentException("--redirect-http-port redirects to HTTPS: give --tls-cert/--tls-key or --tls-keystore too");
        }
        if (forwardedFor && proxy.trustedProxies == null) {
            throw new IllegalArgumentException("--forwarded-for needs --trusted-proxy: say whose X-Forwarded-For to believe");
        }
        ProxyProtocol proxyProtocol = proxy.protocolOrNull();
        TrustedProxies forwarders = forwardedFor ? proxy.trusted() : null;
        AccessLog log = switch (accessLog) {
            case "off" -> null;
            case "stdout", "-" -> AccessLog.to(System.out);
            default -> AccessLog.toFile(Path.of(accessLog));
        };
        HttpServer.Builder builder = HttpServer.builder();
        if (!server.idleTimeout.isZero()) builder.idleTimeout(server.idleTimeout);
        HttpServer http = builder
                .host(server.host)
                .port(tlsConfig != null ? httpsPort : port)
                .tls(tlsConfig)
                .proxyProtocol(proxyProtocol)
                .forwardedFor(forwarders)
                .io(server.io)
                .threads(server.threads)
                .accept(server.accept)
                .gzip(!noGzip)
                .accessLog(log)
                .build();
        String what;
        if (root != null) {
            http.staticFiles("/", root).listDirectories(listDirs);
            what = "files under " + root.toRealPath();
        } else {
            DemoSite.install(http);
            what = "the demo site";
        }
        HttpServer redirect = null;
        try {
            http.start();
            if (redirectHttpPort != null) {
                redirect = HttpServer.builder().host(server.host).port(redirectHttpPort).io(server.io).threads(1).build();
                HttpsRedirect.install(redirect, http.port(), http.localAddress().getAddress().isAnyLocalAddress()
                        ? "localhost" : http.localAddress().getAddress().getHostAddress());
                redirect.start();
            }
        } catch (Exception e) {
            http.close();
            if (redirect != null) redirect.close();
            if (log != null) log.close();
            throw e;
        }
        String url = (tlsConfig != null ? "https://" : "http://") + Lifecycle.display(http.localAddress()) + "/";
        if (redirect != null) url += " (plain HTTP on " + Lifecycle.display(redirect.localAddress()) + " redirects there)";
        if (proxy.proxyProtocol) url += " behind PROXY protocol from " + proxy.trustedProxies;
        HttpServer redirecting = redirect;
        Lifecycle.runUntilSignalled(() -> {
            if (redirecting != null) redirecting.close();
            boolean clean = http.shutdown(GRACE);
            if (!clean) System.err.println("netloop: closed connections still busy after " + GRACE.toSeconds() + " s");
            if (log != null) {
                log.close();
                if (log.droppedCount() > 0) System.err.println("netloop: the access log dropped " + log.droppedCount() + " lines");
            }
        }, "serving " + what + " at " + url + " (" + http.tcp().loop().transport().name() + ", " + http.tcp().loops().size() + " loop(s), accept "
                + http.tcp().acceptMode() + "); Ctrl-C stops it");
        return 0;
    }
}
