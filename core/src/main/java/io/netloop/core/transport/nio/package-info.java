/**
 * The portable transport: the JDK's {@code Selector} and {@code SocketChannel}s, where the
 * kernel bindings are unavailable. Level-triggered; one-shot is emulated. Not exported.
 *
 * <p>Threading: each poller and socket belongs to one loop thread; {@code wakeup} from any.
 */
package io.netloop.core.transport.nio;
