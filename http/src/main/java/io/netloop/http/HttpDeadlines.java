package io.netloop.http;

import io.netloop.core.loop.EventLoop;
import io.netloop.core.loop.FailureRule;
import io.netloop.core.loop.TimingWheel;
import java.util.concurrent.TimeUnit;

/**
 * The deadlines of one HTTP connection, at most one at a time, on its loop's
 * {@link TimingWheel}: one {@link TimingWheel.Timeout} per connection, moved with
 * {@link TimingWheel#reschedule} (O(1), nothing allocated) as the connection goes from one
 * phase to the next, and cancelled when it closes, so that nothing of it stays on the wheel.
 *
 * <ul>
 *   <li>{@link Kind#HEADER}: from a request's first byte to its complete head (against
 *       slowloris);</li>
 *   <li>{@link Kind#BODY}: the same timeout between body reads, and a body deadline that each
 *       piece received moves on by its size over the minimum body rate (against a trickled
 *       body);</li>
 *   <li>{@link Kind#IDLE}: the keep-alive wait between requests;</li>
 *   <li>{@link Kind#LINGER}: after a closing response, for the peer to read it and close.</li>
 * </ul>
 *
 * The wheel's tick is 100 ms: a deadline fires up to a tick late, which timeouts of seconds do
 * not mind. Times are the loop's clock of its wake-up: no clock read per request.
 *
 * <p>Threading: the connection's loop thread only.
 */
final class HttpDeadlines implements Runnable {
    enum Kind {
        NONE,
        HEADER,
        BODY,
        IDLE,
        LINGER
    }

    /** Who hears that a deadline passed. */
    interface Listener {
        void expired(Kind kind);

        /** Expiry failed (a bug): the connection must close, since its deadline is gone. */
        void expiryFailed(Throwable t);
    }

    /** How long a closing connection waits for the peer to read the response and close. */
    static final long LINGER_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final Listener listener;
    private final HttpServer.Settings settings;
    private EventLoop loop;
    private TimingWheel.Timeout timeout;
    private Kind kind = Kind.NONE;
    /** When the body being read must be complete: see {@link #bodyProgress}. */
    private long bodyDeadlineAt;

    HttpDeadlines(Listener listener, HttpServer.Settings settings) {
        this.listener = listener;
        this.settings = settings;
    }

    /** The connection is open on {@code loop}: it waits for its first request as for any other. */
    void start(EventLoop loop) {
        this.loop = loop;
        idle(false);
    }

    /** Between requests: the keep-alive wait, cut to the linger while the server drains. */
    void idle(boolean draining) {
        long idle = settings.idleTimeoutNanos();
        set(Kind.IDLE, draining ? Math.min(LINGER_NANOS, idle) : idle);
    }

    /** A head has begun: it must be complete within the header timeout of its first byte. */
    void headStarted() {
        if (kind != Kind.HEADER) set(Kind.HEADER, settings.headerTimeoutNanos());
    }

    /** A closing response is queued: the peer has the linger to read it and close. */
    void linger() {
        set(Kind.LINGER, LINGER_NANOS);
    }

    Kind kind() {
        return kind;
    }

    /** Replaces the deadline with {@code kind}, {@code nanos} from now. */
    private void set(Kind kind, long nanos) {
        this.kind = kind;
        TimingWheel wheel = loop.wheel();
        if (timeout == null)
            timeout = wheel.schedule(this, nanos, loop.nowNanos()); // itself the task: no lambda per connection
        else wheel.reschedule(timeout, nanos, loop.nowNanos());
    }

    /** No deadline until the next {@link #set}. */
    void clear() {
        kind = Kind.NONE;
        if (timeout != null) timeout.cancel();
    }

    /** A body begins: it gets the header timeout to start, and as long between its pieces. */
    void bodyStarted() {
        bodyDeadlineAt = loop.nowNanos() + settings.headerTimeoutNanos();
        set(Kind.BODY, settings.headerTimeoutNanos());
    }

    /**
     * {@code n} body bytes arrived: the body deadline moves on by their worth at the minimum
     * body rate (none when 0); the next piece is due within the header timeout, and no later
     * than that deadline.
     */
    void bodyProgress(int n) {
        long wait = settings.headerTimeoutNanos();
        int minRate = settings.minBodyRate();
        if (minRate > 0) {
            bodyDeadlineAt += n * 1_000_000_000L / minRate;
            wait = Math.min(wait, Math.max(0, bodyDeadlineAt - loop.nowNanos()));
        }
        set(Kind.BODY, wait);
    }

    /** The deadline passed (the wheel runs this). */
    @Override
    public void run() {
        Kind expired = kind;
        kind = Kind.NONE;
        if (expired == Kind.NONE) return;
        try {
            listener.expired(expired);
        } catch (Throwable t) {
            // The wheel runs its tasks bare: what escaped here would stop the loop.
            FailureRule.survive(t, expired + " deadline of " + listener);
            FailureRule.report(expired + " deadline of " + listener, t);
            listener.expiryFailed(t);
        }
    }
}
