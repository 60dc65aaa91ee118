/**
 * Ready-to-run servers on the reactor: echo, the UDP echo and its client, and the
 * peer-to-peer chat.
 */
module io.netloop.apps {
    requires transitive io.netloop.core;

    exports io.netloop.apps.echo;
    exports io.netloop.apps.peer;
    exports io.netloop.apps.udp;
}
