package io.netloop.core.loop;

/**
 * The one rule for what user code throws: connection handlers (onOpen, onData,
 * onInputClosed, the water marks, onClose), HTTP and WebSocket handlers, datagram handlers,
 * loop tasks and timers, and the readiness handlers of channels.
 *
 * <ul>
 *   <li>An {@link OutOfMemoryError} or an {@link InternalError} stops the process, loudly: the
 *       heap or the JVM is in a state no handler can be trusted to run in again, and a
 *       server that limps on with some loops dead serves worse than one that restarts. It is
 *       printed with its stack to standard error and to the log, and the process halts with
 *       status {@value #FATAL_EXIT_STATUS} (as {@code -XX:+ExitOnOutOfMemoryError} would).</li>
 *   <li>Anything else, {@link Error}s included ({@link StackOverflowError},
 *       {@link AssertionError}, {@link LinkageError}, {@link ExceptionInInitializerError}...),
 *       ends only what the failing code was serving: its connection is closed (an HTTP
 *       request is answered 500 first, where a response can still be sent), its task is
 *       dropped, and the failure is logged once with its stack. The loop goes on serving
 *       every other connection.</li>
 * </ul>
 *
 * <p>Callers catch {@link Throwable} around user code and hand it to {@link #survive} before
 * doing their part. Threading: stateless; any thread.
 */
public final class FailureRule {
    private static final System.Logger LOG = System.getLogger(FailureRule.class.getName());

    /** The process's exit status after a fatal error: the JVM's own for {@code -XX:+ExitOnOutOfMemoryError}. */
    public static final int FATAL_EXIT_STATUS = 3;

    private FailureRule() {}

    /** OutOfMemoryError and InternalError: the only failures that stop the process. */
    public static boolean isFatal(Throwable t) {
        return t instanceof OutOfMemoryError || t instanceof InternalError;
    }

    /**
     * Returns when the loop survives {@code t}, for the caller to end what it concerns (close
     * the connection, answer 500); a fatal {@code t} stops the process and never returns.
     *
     * @param where what was running, for the message: {@code "onData of TcpConnection[fd 12]"}
     */
    public static void survive(Throwable t, String where) {
        if (isFatal(t)) stopProcess(t, where);
    }

    /** Logs a failure of user code that the caller has dealt with, once, with its stack. */
    public static void report(String where, Throwable t) {
        LOG.log(System.Logger.Level.WARNING, where + ": " + t, t);
    }

    private static void stopProcess(Throwable t, String where) {
        try {
            System.err.println(
                    "netloop: fatal " + t + " in " + where + "; the process stops (status " + FATAL_EXIT_STATUS + ")");
            t.printStackTrace(System.err);
            System.err.flush();
            LOG.log(System.Logger.Level.ERROR, "fatal error in " + where + "; the process stops", t);
        } catch (Throwable ignored) {
            // Out of memory even for the message: halting is all that is left.
        } finally {
            // halt, not exit: shutdown hooks would wait for loops that may be the one failing here.
            Runtime.getRuntime().halt(FATAL_EXIT_STATUS);
        }
    }
}
