package io.netloop.cli;

import picocli.CommandLine.Model.CommandSpec;

/**
 * What the user typed, as opposed to defaults: the rules that refuse an option which would
 * have no effect, or which conflicts with another, read it. An option silently ignored is a
 * setting the user believes in and does not have (a port that is not the one listened on), so
 * each such case fails at start with a message that says what to use instead.
 *
 * <p>Threading: the main thread, after picocli has parsed the command line.
 */
final class GivenOptions {
    private final CommandSpec spec;

    private GivenOptions(CommandSpec spec) {
        this.spec = spec;
    }

    static GivenOptions of(CommandSpec spec) {
        return new GivenOptions(spec);
    }

    /** Whether {@code name} (e.g. {@code "--port"}) was on the command line; a default does not count. */
    boolean has(String name) {
        // Null when the command runs without parsing (a test calling it directly): then nothing was typed.
        var parsed = spec == null ? null : spec.commandLine().getParseResult();
        return parsed != null && parsed.hasMatchedOption(name);
    }

    /** Fails with {@code instead} when {@code option} was given and {@code useless} holds. */
    void refuse(String option, boolean useless, String instead) {
        if (has(option) && useless) throw new IllegalArgumentException(option + ": " + instead);
    }
}
