package io.netloop.core.tcp;

/**
 * Where a {@link TcpConnection} is in its life: one value instead of a set of flags, in the
 * order it goes through (muduo's {@code StateE}, with half-close made explicit).
 *
 * <pre>
 * ESTABLISHING --filter established--> OPEN --shutdownOutput--> DRAINING --queue empty, FIN--> OUTPUT_SHUT
 *      |                                 |  \--closeAfterOutput--> CLOSING --queue empty--+         |
 *      +---------------------------------+------------ close ------+---------------------+---------+--> CLOSED
 * </pre>
 *
 * <p>The input side (end of stream seen, reading paused, a worker owning the input) is
 * orthogonal to these and kept beside them. Threading: a value.
 */
enum ConnectionState {
    /** Accepted, its filter (TLS, the PROXY protocol) not established: the handler has not heard of it. */
    ESTABLISHING,
    /** The handler is open; both directions work. */
    OPEN,
    /** Output shutdown was asked for: FIN goes once the queued output (and a filter's end) is out. */
    DRAINING,
    /** Close was asked for once the queued output is out ({@code closeAfterOutput}). */
    CLOSING,
    /** FIN is sent: the peer may still send. */
    OUTPUT_SHUT,
    /** Closed: the descriptor is released, the handler told (once). */
    CLOSED;

    /** Whether the handler was opened (and so must hear of the close). */
    boolean handlerOpen() {
        return this != ESTABLISHING;
    }

    /** Whether sends are still taken. */
    boolean acceptsOutput() {
        return this == OPEN || this == ESTABLISHING;
    }
}
