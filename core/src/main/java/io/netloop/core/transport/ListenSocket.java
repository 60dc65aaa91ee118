package io.netloop.core.transport;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A non-blocking listening socket of one {@link Transport}.
 *
 * <p>Owns its descriptor or JDK channel. Threading: the owning loop's thread, except that
 * {@link #localAddress} may be read from any thread.
 */
public interface ListenSocket extends Selectable, AutoCloseable {
    /**
     * @return the next connection, non-blocking, or null when none is waiting
     * @throws io.netloop.core.sys.ErrnoException for EMFILE, ENFILE and the rest (the NIO
     *     transport reports those two the same way)
     */
    StreamSocket accept() throws IOException;

    InetSocketAddress localAddress();

    @Override
    void close() throws IOException;
}
