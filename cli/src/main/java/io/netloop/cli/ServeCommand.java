package io.netloop.cli;

import io.netloop.http.AccessLog;
import io.netloop.http.HttpServer;
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
        description = {"HTTP/1.1 server: static files from --root, or the built-in demo site.",
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

    @Override
    public Integer call() throws Exception {
        AccessLog log = switch (accessLog) {
            case "off" -> null;
            case "stdout", "-" -> AccessLog.to(System.out);
            default -> AccessLog.toFile(Path.of(accessLog));
        };
        HttpServer.Builder builder = HttpServer.builder();
        if (!server.idleTimeout.isZero()) builder.idleTimeout(server.idleTimeout);
        HttpServer http = builder
                .host(server.host)
                .port(port)
                .io(server.io)
                .threads(server.threads)
                .accept(server.accept)
                .maxConnections(server.maxConnections)
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
        try {
            http.start();
        } catch (Exception e) {
            if (log != null) log.close();
            throw e;
        }
        String url = "http://" + Lifecycle.display(http.localAddress()) + "/";
        Lifecycle.runUntilSignalled(() -> {
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
