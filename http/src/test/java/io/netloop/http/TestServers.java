package io.netloop.http;

import io.netloop.core.loop.IoMode;
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

    /**
     * Streams {@code total} bytes of a repeating pattern (byte i is {@code i % 251}) at the
     * client's pace: written while the writer is ready, resumed by onReady, so that what is
     * queued stays near the high-water mark however slowly the client reads.
     */
    static void streamPattern(Response res, long total, int piece) {
        BodyWriter out = res.type("application/octet-stream").stream(total);
        byte[] chunk = new byte[piece + 251];
        for (int i = 0; i < chunk.length; i++) chunk[i] = (byte) (i % 251);
        long[] sent = {0};
        Runnable[] pump = new Runnable[1];
        pump[0] = () -> {
            while (sent[0] < total && out.isReady()) {
                int n = (int) Math.min(piece, total - sent[0]);
                if (!out.write(chunk, (int) (sent[0] % 251), n)) return; // closed
                sent[0] += n;
            }
            if (sent[0] == total) out.end();
            else out.onReady(pump[0]);
        };
        pump[0].run();
    }
}
