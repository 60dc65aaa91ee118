package io.netloop.http;

import io.netloop.core.IoMode;

import java.io.IOException;
import java.util.function.UnaryOperator;

/** Starts servers on a free port for tests. */
final class TestServers {
    private TestServers() {}

    interface Routes {
        void add(HttpServer s) throws Exception;
    }

    static HttpServer start(IoMode io, Routes routes) throws Exception {
        return start(io, routes, b -> b);
    }

    static HttpServer start(IoMode io, Routes routes, UnaryOperator<HttpServer.Builder> options) throws Exception {
        HttpServer s = options.apply(HttpServer.builder().port(0).io(io)).build();
        routes.add(s);
        try {
            return s.start();
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** A route table used by several tests. */
    static void demoRoutes(HttpServer s) {
        s.get("/hello", (req, res) -> res.send("hello"));
        s.get("/users/{id}", (req, res) -> res.send("user " + req.param("id")));
        s.post("/echo", (req, res) -> res.type("application/octet-stream").send(req.body()));
        s.get("/boom", (req, res) -> {
            throw new IllegalStateException("handler failure on purpose");
        });
    }
}
