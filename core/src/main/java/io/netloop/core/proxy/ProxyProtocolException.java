package io.netloop.core.proxy;

import java.io.IOException;

/**
 * A connection that had to start with a PROXY header did not: garbage, a malformed or
 * oversized header, or an unsupported version. The connection is closed.
 *
 * <p>Threading: immutable once thrown.
 */
public final class ProxyProtocolException extends IOException {
    public ProxyProtocolException(String message) {
        super(message);
    }
}
