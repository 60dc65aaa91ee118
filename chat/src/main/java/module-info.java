/** A chat room on its own loop, over line-based TCP and over WebSocket from a browser page. */
module io.netloop.chat {
    requires transitive io.netloop.http;

    exports io.netloop.chat;
}
