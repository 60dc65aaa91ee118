package io.netloop.cli;

import io.netloop.core.proxy.ProxyProtocol;
import io.netloop.core.proxy.TrustedProxies;
import io.netloop.core.tls.ReloadableCertificate;
import io.netloop.core.tls.TlsConfig;
import io.netloop.http.AccessLog;
import io.netloop.http.HttpServer;
import io.netloop.http.HttpsRedirect;
import io.netloop.http.admin.Admin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code netloop serve}: the HTTP server, on a directory ({@code --root}) or on the built-in
 * demo site, with health probes, metrics and a dashboard ({@link Admin}) under
 * {@code --admin-path} or on {@code --admin-port}, until SIGINT or SIGTERM; then it drains
 * ({@link HttpServer#drain}: readiness fails, {@code --drain-delay} passes, accepting stops,
 * requests in flight get up to {@code --drain-timeout}) and exits 0. With TLS, SIGHUP reads the
 * certificate and key again ({@link CertificateReload}).
 *
 * <p>Threading: the main thread waits; the server's loop thread serves; the access log has
 * its own writer thread.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "HTTP/1.1 server: static files from --root, or the built-in demo site; HTTPS with --tls-cert/--tls-key"
                    + " (docs/tls.md).",
            "Ctrl-C or SIGTERM stops it gracefully; with TLS, SIGHUP reads the certificate and key again."
        })
final class ServeCommand implements Callable<Integer> {
    static final int HTTP_PORT = 8080;
    static final int HTTPS_PORT = 8443;

    @Spec
    CommandSpec spec;

    @Mixin
    ServerOptions server;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            description = "TCP port, HTTPS with TLS (0 picks a free one). Default: " + HTTP_PORT + ", with TLS "
                    + HTTPS_PORT + ".")
    Integer port;

    @Option(
            names = "--root",
            paramLabel = "DIR",
            description = "Serve the files under DIR. Default: the built-in demo site.")
    Path root;

    @Option(names = "--list-dirs", description = "List directories that have no index.html (off by default).")
    boolean listDirs;

    @Option(
            names = "--access-log",
            defaultValue = "stdout",
            paramLabel = "stdout|FILE|off",
            description = "Where to log each request, in combined log format. Default: ${DEFAULT-VALUE}.")
    String accessLog;

    @Option(
            names = "--gzip",
            negatable = true,
            description =
                    "Gzip responses that compress well. Default: on for HTTP; off with TLS, where compressing a page"
                        + " that holds a secret beside what a request echoes leaks the secret (BREACH): --gzip turns"
                        + " it on there for sites without such pages.")
    Boolean gzip;

    @Option(
            names = "--reuseport",
            description = "Bind with SO_REUSEPORT, so that several netloop processes share the port (the kernel spreads"
                    + " connections).")
    boolean reusePort;

    @Option(
            names = "--admin-path",
            paramLabel = "PATH|off",
            description = "Serve /healthz, /readyz, /metrics and /dashboard under PATH on the main port (not with"
                    + " --admin-port). Default: " + ADMIN_PATH + ".")
    String adminPath;

    static final String ADMIN_PATH = "/_netloop";

    @Option(
            names = "--admin-port",
            paramLabel = "PORT",
            description =
                    "Serve the admin endpoints at the root of this port instead (0 picks a free one). Default: off.")
    Integer adminPort;

    @Option(
            names = "--admin-host",
            paramLabel = "ADDR",
            description = "Address of --admin-port. Default: the --host address.")
    String adminHost;

    @Option(
            names = "--drain-delay",
            defaultValue = "0s",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description =
                    "On SIGTERM, how long /readyz fails before accepting stops: the load balancer's time to notice (5s"
                            + " is a good start behind one). Default: ${DEFAULT-VALUE}.")
    Duration drainDelay;

    @Option(
            names = "--drain-timeout",
            defaultValue = "10s",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description =
                    "Then how long requests in flight may take to finish before their connections are closed. Default:"
                            + " ${DEFAULT-VALUE}.")
    Duration drainTimeout;

    @Mixin
    TlsOptions tls;

    @Option(names = "--https-port", paramLabel = "PORT", description = "Deprecated: the same as --port with TLS.")
    Integer httpsPort;

    @Option(
            names = "--redirect-http-port",
            paramLabel = "PORT",
            description =
                    "With TLS: also listen for plain HTTP on PORT and answer 308 to https://host[:https-port]/path.")
    Integer redirectHttpPort;

    @Mixin
    ProxyOptions proxy;

    @Option(
            names = "--forwarded-for",
            description =
                    "Take the client's address from X-Forwarded-For on requests from a --trusted-proxy (the rightmost"
                            + " untrusted entry).")
    boolean forwardedFor;

    /**
     * Options that would be ignored in the mode the others chose fail here, saying what to use
     * instead: {@code --https-port} once listened on 8443 while {@code --port} was taken for
     * the port.
     */
    private void refuseOptionsWithoutEffect(boolean tlsOn) {
        GivenOptions given = GivenOptions.of(spec);
        given.refuse(
                "--https-port",
                given.has("--port"),
                "both set the port listened on: give --port alone (--https-port is its old name under TLS)");
        given.refuse(
                "--https-port",
                !tlsOn,
                "there is no HTTPS without --tls-cert/--tls-key or --tls-keystore: give --port for plain HTTP");
        given.refuse(
                "--list-dirs",
                root == null,
                "the demo site has no directories to list: give --root DIR too, or drop --list-dirs");
        given.refuse(
                "--admin-path",
                adminPort != null,
                "with --admin-port the endpoints are at that port's root: drop --admin-path, or --admin-port to keep"
                        + " them under a path of the main port");
        given.refuse(
                "--admin-host",
                adminPort == null,
                "it is the address of --admin-port, and without one the endpoints are on the main port: add"
                        + " --admin-port PORT, or drop --admin-host");
        given.refuse(
                "--trusted-proxy",
                !proxy.proxyProtocol && !forwardedFor,
                "it says whose PROXY header or X-Forwarded-For to believe, and neither is read: add"
                        + " --proxy-protocol or --forwarded-for, or drop --trusted-proxy");
    }

    @Override
    public Integer call() throws Exception {
        refuseOptionsWithoutEffect(tls.enabled());
        ReloadableCertificate certificate = tls.certificate();
        TlsConfig tlsConfig = certificate == null ? null : certificate.config();
        if (redirectHttpPort != null && tlsConfig == null) {
            throw new IllegalArgumentException(
                    "--redirect-http-port redirects to HTTPS: give --tls-cert/--tls-key or --tls-keystore too");
        }
        if (forwardedFor && proxy.trustedProxies == null) {
            throw new IllegalArgumentException(
                    "--forwarded-for needs --trusted-proxy: say whose X-Forwarded-For to believe");
        }
        int listenPort =
                port != null ? port : httpsPort != null ? httpsPort : tlsConfig != null ? HTTPS_PORT : HTTP_PORT;
        // BREACH: under TLS, compression is opt-in (see --gzip).
        boolean compress = gzip != null ? gzip : tlsConfig == null;
        String adminAt = adminPath != null ? adminPath : ADMIN_PATH;
        ProxyProtocol proxyProtocol = proxy.protocolOrNull();
        TrustedProxies forwarders = forwardedFor ? proxy.trusted() : null;
        AccessLog log = switch (accessLog) {
            case "off" -> null;
            case "stdout", "-" -> AccessLog.to(System.out);
            default -> AccessLog.toFile(Path.of(accessLog));
        };
        HttpServer.Builder builder = HttpServer.builder();
        if (!server.idleTimeout.isZero()) builder.idleTimeout(server.idleTimeout);
        HttpServer http = builder.host(server.host)
                .port(listenPort)
                .tls(tlsConfig)
                .proxyProtocol(proxyProtocol)
                .forwardedFor(forwarders)
                .io(server.io)
                .threads(server.threads)
                .accept(server.accept)
                .maxConnections(server.maxConnections)
                .gzip(compress)
                .accessLog(log)
                .reusePort(reusePort)
                .build();
        Admin admin = adminPort != null
                ? Admin.onPort(http, adminHost != null ? adminHost : server.host, adminPort)
                : adminAt.equals("off") ? null : Admin.onPath(http, adminAt);
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
            if (admin != null) admin.start();
            if (redirectHttpPort != null) {
                redirect = HttpServer.builder()
                        .host(server.host)
                        .port(redirectHttpPort)
                        .io(server.io)
                        .threads(1)
                        .build();
                HttpsRedirect.install(
                        redirect,
                        http.port(),
                        http.localAddress().getAddress().isAnyLocalAddress()
                                ? "localhost"
                                : http.localAddress().getAddress().getHostAddress());
                redirect.start();
            }
        } catch (Exception e) {
            http.close();
            if (admin != null) admin.close();
            if (redirect != null) redirect.close();
            if (log != null) log.close();
            throw e;
        }
        String url = (tlsConfig != null ? "https://" : "http://") + Lifecycle.display(http.localAddress()) + "/";
        if (redirect != null)
            url += " (plain HTTP on " + Lifecycle.display(redirect.localAddress()) + " redirects there)";
        if (proxy.proxyProtocol) url += " behind PROXY protocol from " + proxy.trustedProxies;
        String adminUrl = admin == null
                ? ""
                : "; health, metrics and dashboard at http://"
                        + Lifecycle.display(new java.net.InetSocketAddress(
                                adminPort != null && adminHost != null
                                        ? adminHost
                                        : http.localAddress().getAddress().getHostAddress(),
                                admin.port()))
                        + admin.prefix() + "/";
        HttpServer redirecting = redirect;
        Runnable stopReloading = certificate == null ? () -> {} : CertificateReload.onSighup(certificate, System.err);
        Lifecycle.runUntilSignalled(
                () -> {
                    stopReloading.run();
                    if (redirecting != null) redirecting.close();
                    System.err.println("netloop: draining: /readyz fails now, accepting stops in "
                            + drainDelay.toMillis() + " ms");
                    boolean clean = http.drain(drainDelay, drainTimeout);
                    if (admin != null) admin.close();
                    if (!clean)
                        System.err.println(
                                "netloop: closed connections still busy after " + drainTimeout.toMillis() + " ms");
                    if (log != null) {
                        log.close();
                        if (log.droppedCount() > 0)
                            System.err.println("netloop: the access log dropped " + log.droppedCount() + " lines");
                    }
                },
                "serving " + what + " at " + url + " ("
                        + http.tcp().loop().transport().name() + ", "
                        + http.tcp().loops().size() + " loop(s), accept "
                        + http.tcp().acceptMode() + (reusePort ? ", SO_REUSEPORT" : "") + ")" + adminUrl
                        + "; Ctrl-C stops it");
        return 0;
    }
}
