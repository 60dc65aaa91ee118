package io.netloop.examples.json;

import io.netloop.core.tcp.HandlerMode;
import io.netloop.http.Cors;
import io.netloop.http.HttpServer;
import io.netloop.http.Response;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.NoSuchElementException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A JSON API whose handlers block: {@code PUT /greetings/{name}} stores a greeting,
 * {@code GET /greetings/{name}} reads it back, both through a {@link GreetingStore} whose
 * calls block like a database's. The routes run in mode {@link HandlerMode#VIRTUAL}: each
 * request gets a virtual thread, so blocking there costs no loop and no platform thread.
 *
 * <p>The handlers say only what goes right: what goes wrong they throw, and the server's
 * exception mappers turn it into a status and a JSON error, in one place. A CORS filter lets a
 * front-end served from another origin ({@link #FRONT_END}, a dev server) call the API from a
 * browser.
 *
 * <pre>
 * curl -X PUT -d '{"name":"ada","text":"Hello, Ada!"}' http://127.0.0.1:8080/greetings/ada
 * curl http://127.0.0.1:8080/greetings/ada      # {"name":"ada","text":"Hello, Ada!"}
 * </pre>
 *
 * <p>Threading: {@code main} returns once the server listens; each request's handler, and the
 * filter and mapper around it, run on a virtual thread of its own; the {@link JsonMapper} and
 * the store are thread-safe.
 */
public final class JsonApi {
    /** The origin whose pages may call the API from a browser. */
    public static final String FRONT_END = "http://localhost:3000";

    private JsonApi() {}

    public static void main(String[] args) throws IOException {
        HttpServer server =
                start(args.length > 0 ? Integer.parseInt(args[0]) : 8080, new GreetingStore(Duration.ofMillis(20)));
        System.out.println("JSON API at http://127.0.0.1:" + server.port() + "/greetings/{name}");
    }

    public static HttpServer start(int port, GreetingStore store) throws IOException {
        JsonMapper json = JsonMapper.builder().build();
        HttpServer server = HttpServer.builder().port(port).build();
        server.before(
                "/greetings/*",
                Cors.builder()
                        .allowOrigins(FRONT_END)
                        .allowMethods("GET", "PUT")
                        .allowHeaders("Content-Type") // a JSON body is not a "simple" request
                        .build());
        server.exception(NoSuchElementException.class, (e, req, res) -> sendError(res, json, 404, e.getMessage()));
        server.exception(IllegalArgumentException.class, (e, req, res) -> sendError(res, json, 400, e.getMessage()));
        server.exception(
                JacksonException.class,
                (e, req, res) -> sendError(res, json, 400, "expected {\"name\":...,\"text\":...}"));
        server.get("/greetings/{name}", (req, res) -> {
                    String name = req.param("name");
                    Greeting greeting = store.find(name) // blocks: fine on a virtual thread
                            .orElseThrow(() -> new NoSuchElementException("no greeting for " + name));
                    sendJson(res, 200, json.writeValueAsString(greeting));
                })
                .mode(HandlerMode.VIRTUAL);
        server.put("/greetings/{name}", (req, res) -> {
                    Greeting greeting = json.readValue(req.body(), Greeting.class);
                    if (!req.param("name").equals(greeting.name())) {
                        throw new IllegalArgumentException("the name in the path and in the body differ");
                    }
                    store.save(greeting); // blocks too
                    sendJson(res, 200, json.writeValueAsString(greeting));
                })
                .mode(HandlerMode.VIRTUAL);
        return server.start();
    }

    private static void sendError(Response res, JsonMapper json, int status, String message) {
        sendJson(res, status, json.writeValueAsString(Map.of("error", message)));
    }

    private static void sendJson(Response res, int status, String body) {
        res.status(status).type("application/json").send(body);
    }
}
