package io.netloop.core.loop;

import io.netloop.core.transport.Interest;

/**
 * Receives readiness for one {@link Channel}.
 *
 * <p>Threading: called on the channel's loop thread only.
 */
@FunctionalInterface
public interface IoHandler {
    /** @param readyOps {@link Interest} ready bits */
    void onReady(int readyOps);
}
