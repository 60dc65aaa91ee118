package io.netloop.examples.websocket;

import io.netloop.http.HttpServer;
import io.netloop.http.websocket.WebSocket;
import io.netloop.http.websocket.WebSocketHandler;
import io.netloop.http.websocket.WebSocketRoute;
import java.io.IOException;

/**
 * A WebSocket echo at {@code /echo}: each text or binary message is sent back as it came
 * (with permessage-deflate when the client offers it).
 *
 * <pre>
 * java ... io.netloop.examples.websocket.WebSocketEcho [PORT]
 * websocat ws://127.0.0.1:8080/echo
 * </pre>
 *
 * <p>Threading: {@code main} returns once the server listens; the callbacks run on each
 * connection's loop thread, one at a time per connection.
 */
public final class WebSocketEcho {
    private WebSocketEcho() {}

    public static void main(String[] args) throws IOException {
        HttpServer server = start(args.length > 0 ? Integer.parseInt(args[0]) : 8080);
        System.out.println("WebSocket echo at ws://127.0.0.1:" + server.port() + "/echo");
    }

    public static HttpServer start(int port) throws IOException {
        HttpServer server = HttpServer.builder().port(port).build();
        server.get("/echo", WebSocketRoute.of(new WebSocketHandler() {
            @Override
            public void onText(WebSocket ws, String text) {
                ws.sendText(text);
            }

            @Override
            public void onBinary(WebSocket ws, byte[] data) {
                ws.sendBinary(data);
            }
        }));
        return server.start();
    }
}
