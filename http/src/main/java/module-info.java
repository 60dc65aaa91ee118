/**
 * HTTP/1.1 on netloop's reactor: the wire format ({@code codec}: the request parser and the
 * response encoder), the server and its routing, static files, the access log, health and
 * metrics ({@code admin}), and WebSocket ({@code websocket}). Calls the kernel only through
 * {@code io.netloop.core}. Streamed multipart/form-data is {@code multipart}.
 */
module io.netloop.http {
    requires transitive io.netloop.core;

    exports io.netloop.http;
    exports io.netloop.http.admin;
    exports io.netloop.http.codec;
    exports io.netloop.http.multipart;
    exports io.netloop.http.websocket;
}
