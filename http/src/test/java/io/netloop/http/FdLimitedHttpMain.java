package io.netloop.http;

import io.netloop.core.file.DescriptorLimit;
import io.netloop.core.loop.IoMode;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * An HTTP server in a process of its own whose descriptor limit is just above what it already
 * uses, for {@link FdExhaustionHttpTest}. Prints {@code PORT n} when ready; stops when its
 * standard input closes.
 *
 * <p>Threading: main thread only; the server runs on its loop.
 */
public final class FdLimitedHttpMain {
    public static void main(String[] args) throws Exception {
        int headroom = Integer.parseInt(args[0]);
        try (HttpServer server = HttpServer.builder().port(0).io(IoMode.AUTO).build()) {
            server.get("/hello", (req, res) -> res.send("hello"));
            server.start();
            // One exchange first, so every class the server needs is loaded (loading may need descriptors).
            try (Socket s = new Socket("127.0.0.1", server.port())) {
                s.getOutputStream()
                        .write("GET /hello HTTP/1.1\r\nHost: w\r\nConnection: close\r\n\r\n"
                                .getBytes(StandardCharsets.US_ASCII));
                if (!new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII)
                        .startsWith("HTTP/1.1 200")) {
                    throw new IOException("warm-up request failed");
                }
            }
            System.getLogger(FdLimitedHttpMain.class.getName()).log(System.Logger.Level.INFO, "logging warmed up");
            Thread.sleep(100);
            long open;
            try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
                open = s.count();
            }
            DescriptorLimit.setSoft(open + headroom);
            System.out.println("PORT " + server.port() + " LIMIT " + (open + headroom));
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our input
            }
        }
    }
}
