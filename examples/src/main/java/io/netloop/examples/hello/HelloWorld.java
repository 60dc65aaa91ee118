package io.netloop.examples.hello;

import io.netloop.http.HttpServer;
import java.io.IOException;

/**
 * Hello world: {@code GET /} answers "Hello, world!". The five lines README.md shows are
 * {@link #start}'s.
 *
 * <pre>
 * java --enable-native-access=io.netloop.core -p MODULE-PATH -m io.netloop.examples/io.netloop.examples.hello.HelloWorld [PORT]
 * curl http://127.0.0.1:8080/
 * </pre>
 *
 * <p>Threading: {@code main} returns once the server listens; the server's loop threads run
 * the handler (it must not block there) and keep the process alive until it is killed.
 */
public final class HelloWorld {
    private HelloWorld() {}

    public static void main(String[] args) throws IOException {
        HttpServer server = start(args.length > 0 ? Integer.parseInt(args[0]) : 8080);
        System.out.println("Hello world at http://127.0.0.1:" + server.port() + "/");
    }

    /** The whole example; port 0 picks a free port. */
    public static HttpServer start(int port) throws IOException {
        HttpServer server = HttpServer.builder().port(port).build();
        server.get("/", (req, res) -> res.send("Hello, world!"));
        return server.start();
    }
}
