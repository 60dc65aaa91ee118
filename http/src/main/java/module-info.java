/**
 * HTTP/1.1 on netloop's reactor: the request parser, the server and its routing, static
 * files, the access log, health and metrics ({@code admin}), WebSocket ({@code websocket})
 * and streamed multipart/form-data ({@code multipart}). Calls the kernel only through {@code io.netloop.core}.
 */
module io.netloop.http {
    requires transitive io.netloop.core;

    exports io.netloop.http;
    exports io.netloop.http.admin;
    exports io.netloop.http.multipart;
    exports io.netloop.http.websocket;
}
