package io.netloop.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The {@link ExceptionHandler}s of a server, by exception class, and the decision every
 * failure of user code in an exchange goes through: mapped (the most specific mapper answers),
 * or the one failure rule ({@link HandlerFailure}: stop the process for a fatal error, else
 * log once; the caller then answers 500 or closes).
 *
 * <p>Threading: filled before the server starts, read-only afterwards; then any thread.
 */
final class ExceptionMappers {
    private final Map<Class<?>, ExceptionHandler<?>> byClass = new LinkedHashMap<>();

    <T extends Exception> void add(Class<T> type, ExceptionHandler<? super T> handler) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(handler, "handler");
        if (byClass.putIfAbsent(type, handler) != null) {
            throw new IllegalArgumentException(
                    "an exception mapper for " + type.getName() + " is already registered: one per class");
        }
    }

    /** The mapper for {@code type} or its nearest mapped superclass; null when none is. */
    @SuppressWarnings("unchecked")
    ExceptionHandler<Exception> find(Class<?> type) {
        for (Class<?> c = type; c != null && c != Throwable.class; c = c.getSuperclass()) {
            ExceptionHandler<?> h = byClass.get(c);
            if (h != null) return (ExceptionHandler<Exception>) h;
        }
        return null;
    }

    /**
     * {@code t} came out of {@code what} (a {@link Route}, a {@link PathFilter}, or a
     * description): a mapper answers it, or the failure rule takes it (a fatal error stops the
     * process here; anything else is logged once, with its stack). Errors, and exceptions
     * thrown once the head is out, are never mapped. Cold: called only on a failure.
     *
     * @return true when a mapper answered; false when the caller must answer 500 or close
     */
    boolean map(Throwable t, Object what, Request req, Response res) {
        Throwable failure = t;
        String where = null; // described only for the failure rule: a mapper's answer needs none
        if (t instanceof Exception e && !res.sentHead()) {
            ExceptionHandler<Exception> mapper = find(e.getClass());
            if (mapper != null) {
                try {
                    mapper.handle(e, req, res);
                    return true;
                } catch (Throwable again) {
                    if (again != e) again.addSuppressed(e);
                    failure = again;
                    where = "exception mapper for " + e.getClass().getName() + ", after " + describe(what, req);
                }
            }
        }
        HandlerFailure.survive(failure, where != null ? where : describe(what, req));
        return false;
    }

    private static String describe(Object what, Request req) {
        if (what instanceof Route r) return "handler of " + r + " on " + req;
        if (what == null) return "the server's answer to " + req;
        return what + " on " + req;
    }
}
