package io.netloop.bench;

import java.time.Duration;

/**
 * The command-line convention the load generators and peers share: {@code --name value}
 * pairs, {@code -h}/{@code --help}, and errors that name the option at fault.
 *
 * <p>Threading: stateless.
 */
final class BenchArgs {
    private BenchArgs() {}

    /** Takes one option; throws IllegalArgumentException for a name it does not know. */
    @FunctionalInterface
    interface OptionSink {
        void accept(String name, String value);
    }

    /** Hands each {@code --name value} pair to {@code sink}; a value that is not a number where one is wanted says so. */
    static void parse(String[] args, OptionSink sink) {
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("-h") || name.equals("--help")) throw new HelpRequested();
            if (i + 1 >= args.length) throw new IllegalArgumentException(name + " needs a value");
            String value = args[++i];
            try {
                sink.accept(name, value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " wants a number, not '" + value + "'");
            }
        }
    }

    static IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("unknown option " + name);
    }

    /** Fractional seconds, as the scripts pass them. */
    static Duration seconds(double s) {
        return Duration.ofNanos(Math.round(s * 1e9));
    }

    /** {@code --help}: not an error, but parsing stops there. */
    static final class HelpRequested extends RuntimeException {
        HelpRequested() {
            super(null, null, false, false);
        }
    }
}
