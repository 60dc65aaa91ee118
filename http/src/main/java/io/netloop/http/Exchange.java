package io.netloop.http;

import io.netloop.core.loop.EventLoop;
import io.netloop.core.tcp.TcpConnection;

/**
 * What a {@link Response} and its {@link BodyWriter} need of the connection they answer on,
 * and no more: sending bytes and files, the state of the exchange, the end of the exchange,
 * and the loop that off-loop handlers hand their calls to ({@link LoopHandover}).
 *
 * <p>The connection is the exchange ({@code HttpConnection} implements this): one object for
 * every request it carries, so that no exchange object is allocated per request.
 *
 * <p>Threading: every method on the connection's loop thread, except {@link #loop()}, which
 * off-loop code uses to get there, and {@link #connection()}, whose {@code isOpen} it polls while it waits.
 */
interface Exchange {
    // --- where the exchange runs ---------------------------------------------------------

    /** The connection's loop: off-loop handlers hand their calls to it. Any thread. */
    EventLoop loop();

    /** What the loop's connections share: the settings, the Date cache, the compressor, the scratch buffer. */
    LoopResources resources();

    // --- output --------------------------------------------------------------------------

    /** The connection the response goes out on: send, sendFile, isOpen, close (when it cannot be completed as framed). */
    TcpConnection connection();

    /** Whether the output is above its high-water mark: a producer should wait. */
    boolean isOutputBlocked();

    // --- the state of the exchange -------------------------------------------------------

    /** Whether the response whose head is being written must be the last on the connection. */
    boolean mustClose();

    /** Whether {@code res} answers the request in progress, whose body has been read. */
    boolean isAnswering(Response res);

    /** Whether the server is stopping gracefully: no connection may switch protocols now. */
    boolean isDraining();

    // --- the end of the exchange ---------------------------------------------------------

    /** {@code res} is wholly queued: the connection goes on to the next request, or closes. */
    void completed(Response res);

    /** The handler of the request in progress went to a worker or virtual thread: no request follows until it returns. */
    void handlerOffloaded();

    /** That handler returned (on the loop, after its thread's last call): the connection may go on. */
    void handlerReturned();

    /** {@code res}, a 101, is queued: from now on the connection's events go to {@code next}. */
    void upgraded(Response res, UpgradeHandler next);
}
