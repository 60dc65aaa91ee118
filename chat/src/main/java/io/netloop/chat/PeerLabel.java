package io.netloop.chat;

import java.net.InetSocketAddress;

/**
 * How a member is named in log lines: {@code tcp 127.0.0.1:40312 (bob)}.
 *
 * <p>Threading: stateless.
 */
final class PeerLabel {
    private PeerLabel() {}

    static String of(String transport, InetSocketAddress peer, String nick) {
        return transport + " " + (peer == null ? "(gone)" : peer.getAddress().getHostAddress() + ":" + peer.getPort())
                + (nick == null ? "" : " (" + nick + ")");
    }
}
