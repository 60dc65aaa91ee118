package io.netloop.http.admin;

import java.util.regex.Pattern;

/**
 * Writes the Prometheus text exposition format (version 0.0.4): each metric family once,
 * as {@code # HELP} and {@code # TYPE} lines followed by all its samples; label values and
 * help text escaped; histograms as cumulative {@code _bucket{le="..."}} samples ending with
 * {@code le="+Inf"}, then {@code _sum} and {@code _count}.
 *
 * <p>Threading: one writer per request, on one thread.
 */
final class PrometheusText {
    /** The content type Prometheus asks for and understands as this format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final StringBuilder out = new StringBuilder(8192);
    private String family;
    private String type;

    /** Starts a family: its HELP and TYPE lines. {@code type} is counter, gauge or histogram. */
    PrometheusText family(String name, String type, String help) {
        if (!NAME.matcher(name).matches()) throw new IllegalArgumentException("not a metric name: " + name);
        this.family = name;
        this.type = type;
        out.append("# HELP ").append(name).append(' ');
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            if (c == '\\') out.append("\\\\");
            else if (c == '\n') out.append("\\n");
            else out.append(c);
        }
        out.append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** A sample of the current counter or gauge family; {@code labels} alternate names and values. */
    PrometheusText sample(double value, String... labels) {
        if (type.equals("histogram")) throw new IllegalStateException(family + " is a histogram: use histogram(...)");
        line(family, value, labels, null, null);
        return this;
    }

    /**
     * One histogram of the current family.
     *
     * @param bounds upper bounds, ascending (the +Inf bucket is added)
     * @param counts observations per bucket, not cumulative, one more than {@code bounds}
     */
    PrometheusText histogram(double[] bounds, long[] counts, double sum, String... labels) {
        if (!type.equals("histogram")) throw new IllegalStateException(family + " is not a histogram");
        if (counts.length != bounds.length + 1)
            throw new IllegalArgumentException("one count per bound, and one for +Inf");
        long cumulative = 0;
        for (int i = 0; i <= bounds.length; i++) {
            cumulative += counts[i];
            line(family + "_bucket", cumulative, labels, "le", i < bounds.length ? number(bounds[i]) : "+Inf");
        }
        line(family + "_sum", sum, labels, null, null);
        line(family + "_count", cumulative, labels, null, null);
        return this;
    }

    private void line(String name, double value, String[] labels, String extraName, String extraValue) {
        if (labels.length % 2 != 0) throw new IllegalArgumentException("labels come in name-value pairs");
        out.append(name);
        if (labels.length > 0 || extraName != null) {
            out.append('{');
            boolean first = true;
            for (int i = 0; i < labels.length; i += 2) {
                first = label(labels[i], labels[i + 1], first);
            }
            if (extraName != null) label(extraName, extraValue, first);
            out.append('}');
        }
        out.append(' ').append(number(value)).append('\n');
    }

    private boolean label(String name, String value, boolean first) {
        if (!LABEL.matcher(name).matches() || name.startsWith("__"))
            throw new IllegalArgumentException("not a label name: " + name);
        if (!first) out.append(',');
        out.append(name).append("=\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
        out.append('"');
        return false;
    }

    /** A Go-style float: integers without a fraction, and +Inf, -Inf, NaN. */
    static String number(double v) {
        if (Double.isNaN(v)) return "NaN";
        if (Double.isInfinite(v)) return v > 0 ? "+Inf" : "-Inf";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return java.math.BigDecimal.valueOf(v)
                .stripTrailingZeros()
                .toPlainString(); // 0.0005, not 5.0E-4: the le values people grep for
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
