package io.netloop.examples.json;

import io.netloop.core.tcp.HandlerMode;
import io.netloop.http.HttpServer;
import io.netloop.http.Response;
import java.io.IOException;
import java.time.Duration;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A JSON API whose handlers block: {@code PUT /greetings/{name}} stores a greeting,
 * {@code GET /greetings/{name}} reads it back, both through a {@link GreetingStore} whose
 * calls block like a database's. The routes run in mode {@link HandlerMode#VIRTUAL}: each
 * request gets a virtual thread, so blocking there costs no loop and no platform thread.
 *
 * <pre>
 * curl -X PUT -d '{"name":"ada","text":"Hello, Ada!"}' http://127.0.0.1:8080/greetings/ada
 * curl http://127.0.0.1:8080/greetings/ada      # {"name":"ada","text":"Hello, Ada!"}
 * </pre>
 *
 * <p>Threading: {@code main} returns once the server listens; each request's handler runs on
 * a virtual thread of its own; the {@link JsonMapper} and the store are thread-safe.
 */
public final class JsonApi {
    private JsonApi() {}

    public static void main(String[] args) throws IOException {
        HttpServer server =
                start(args.length > 0 ? Integer.parseInt(args[0]) : 8080, new GreetingStore(Duration.ofMillis(20)));
        System.out.println("JSON API at http://127.0.0.1:" + server.port() + "/greetings/{name}");
    }

    public static HttpServer start(int port, GreetingStore store) throws IOException {
        JsonMapper json = JsonMapper.builder().build();
        HttpServer server = HttpServer.builder().port(port).build();
        server.get("/greetings/{name}", (req, res) -> {
                    var greeting = store.find(req.param("name")); // blocks: fine on a virtual thread
                    if (greeting.isPresent()) sendJson(res, 200, json.writeValueAsString(greeting.get()));
                    else sendJson(res, 404, "{\"error\":\"no greeting for " + req.param("name") + "\"}");
                })
                .mode(HandlerMode.VIRTUAL);
        server.put("/greetings/{name}", (req, res) -> {
                    Greeting greeting;
                    try {
                        greeting = json.readValue(req.body(), Greeting.class);
                    } catch (JacksonException e) {
                        sendJson(res, 400, "{\"error\":\"expected {\\\"name\\\":...,\\\"text\\\":...}\"}");
                        return;
                    }
                    if (!req.param("name").equals(greeting.name())) {
                        sendJson(res, 400, "{\"error\":\"the name in the path and in the body differ\"}");
                        return;
                    }
                    store.save(greeting); // blocks too
                    sendJson(res, 200, json.writeValueAsString(greeting));
                })
                .mode(HandlerMode.VIRTUAL);
        return server.start();
    }

    private static void sendJson(Response res, int status, String body) {
        res.status(status).type("application/json").send(body);
    }
}
