/**
 * c2c: peer-to-peer chat in a terminal (seed 003's model). Each {@link io.netloop.apps.peer.PeerNode}
 * listens and connects, and one event loop serves the user's input and every peer's
 * socket. The protocol is lines of UTF-8 ({@link io.netloop.apps.peer.PeerMessage},
 * {@link io.netloop.apps.peer.LineCodec}): bounded in length, free of control characters, and a
 * peer that breaks it is told why and disconnected while the others carry on.
 *
 * <p>Threading: everything runs on the node's loop thread; {@code PeerNode}'s public
 * methods may be called from any thread.
 */
package io.netloop.apps.peer;
