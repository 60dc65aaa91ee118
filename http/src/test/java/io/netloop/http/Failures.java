package io.netloop.http;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What the failure-rule tests throw from user code, and how they count what was logged (as
 * core's {@code FailureRuleTest} does, through java.util.logging, where System.Logger goes).
 *
 * <p>Threading: the kinds are stateless; a {@link LogCapture} collects from any thread.
 */
public final class Failures {
    private Failures() {}

    /** The failures a handler may throw that the process survives. */
    public enum Kind {
        STACK_OVERFLOW {
            @Override
            public Throwable make() {
                try {
                    return recurse(0) > 0 ? null : null;
                } catch (StackOverflowError e) {
                    return e; // a real one, as a runaway recursion throws it
                }
            }
        },
        ASSERTION {
            @Override
            public Throwable make() {
                return new AssertionError("an assertion in a handler");
            }
        },
        LINKAGE {
            @Override
            public Throwable make() {
                return new NoClassDefFoundError("com/example/Missing");
            }
        },
        INITIALIZER {
            @Override
            public Throwable make() {
                return new ExceptionInInitializerError(new IllegalStateException("a static initialiser failed"));
            }
        },
        RUNTIME {
            @Override
            public Throwable make() {
                return new IllegalStateException("a bug in a handler");
            }
        },
        /** An Error of the application's own, of no kind a list of catch clauses would name. */
        OWN_ERROR {
            @Override
            public Throwable make() {
                return new Error("an error class of the application's own") {};
            }
        };

        public abstract Throwable make();

        private static int recurse(int n) {
            return recurse(n + 1) + 1;
        }
    }

    /** Throws {@code t}, checked or not, from code that declares nothing. */
    @SuppressWarnings("unchecked")
    public static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }

    /** Collects the log records that carry a throwable, from every logger, while installed. */
    public static final class LogCapture implements AutoCloseable {
        private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
        private final Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getThrown() != null) logged.add(r);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };

        public LogCapture() {
            Logger.getLogger("").addHandler(handler);
        }

        /** Warnings or worse that carry {@code error} itself, with its stack. */
        public long count(Throwable error) {
            return logged.stream()
                    .filter(r -> r.getThrown() == error && r.getLevel().intValue() >= Level.WARNING.intValue())
                    .count();
        }

        @Override
        public void close() {
            Logger.getLogger("").removeHandler(handler);
        }
    }
}
