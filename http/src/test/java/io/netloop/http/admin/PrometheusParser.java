package io.netloop.http.admin;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4), written for the tests
 * from the format's description and sharing nothing with the writer: every family must
 * have HELP and TYPE lines before its samples, its samples must be contiguous and named
 * after it (histograms: {@code _bucket}, {@code _sum}, {@code _count}), labels well-formed
 * and escaped with only {@code \\}, {@code \"} and {@code \n}, no series twice, and each
 * histogram's buckets cumulative up to {@code le="+Inf"}, which equals its {@code _count}.
 * Anything else throws {@link IllegalArgumentException} naming the line.
 *
 * <p>Threading: stateless.
 */
final class PrometheusParser {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    record Sample(String name, Map<String, String> labels, double value) {}

    record Family(String name, String type, String help, List<Sample> samples) {
        /** The one sample named {@code name} whose labels include {@code labels} (name-value pairs). */
        double value(String name, String... labels) {
            List<Sample> found = matching(name, labels);
            if (found.size() != 1)
                throw new AssertionError(found.size() + " samples of " + name + " match " + List.of(labels));
            return found.getFirst().value();
        }

        /** The values of all samples named {@code name} with {@code labels}, added up. */
        double sum(String name, String... labels) {
            return matching(name, labels).stream().mapToDouble(Sample::value).sum();
        }

        private List<Sample> matching(String name, String... labels) {
            List<Sample> out = new ArrayList<>();
            outer:
            for (Sample s : samples) {
                if (!s.name().equals(name)) continue;
                for (int i = 0; i < labels.length; i += 2) {
                    if (!labels[i + 1].equals(s.labels().get(labels[i]))) continue outer;
                }
                out.add(s);
            }
            return out;
        }
    }

    private PrometheusParser() {}

    static Map<String, Family> parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) throw new IllegalArgumentException("the last line has no newline");
        Map<String, Family> families = new LinkedHashMap<>();
        Map<String, String> helps = new LinkedHashMap<>();
        Set<String> finished = new HashSet<>();
        Set<String> series = new HashSet<>();
        String current = null;
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) continue;
            String where = "line " + n + ": " + line;
            if (line.startsWith("#")) {
                String[] p = line.split(" ", 4);
                if (p.length >= 3 && (p[1].equals("HELP") || p[1].equals("TYPE"))) {
                    String name = p[2];
                    if (!NAME.matcher(name).matches()) throw new IllegalArgumentException("bad metric name, " + where);
                    if (families.containsKey(name) || finished.contains(name)) {
                        throw new IllegalArgumentException(
                                "HELP or TYPE after the family's samples or twice, " + where);
                    }
                    if (p[1].equals("HELP")) {
                        if (helps.containsKey(name)) throw new IllegalArgumentException("second HELP, " + where);
                        helps.put(name, unescapeHelp(p.length > 3 ? p[3] : "", where));
                    } else {
                        if (p.length != 4 || !TYPES.contains(p[3]))
                            throw new IllegalArgumentException("bad TYPE, " + where);
                        if (!helps.containsKey(name))
                            throw new IllegalArgumentException("TYPE without HELP before it, " + where);
                        if (current != null) finished.add(current);
                        families.put(name, new Family(name, p[3], helps.get(name), new ArrayList<>()));
                        current = name;
                    }
                }
                continue; // other comments are allowed
            }
            Sample s = sample(line, where);
            if (current == null) throw new IllegalArgumentException("sample before any TYPE, " + where);
            Family f = families.get(current);
            if (!belongsTo(s.name(), f))
                throw new IllegalArgumentException("sample outside its family " + current + ", " + where);
            if (!series.add(s.name() + new TreeMap<>(s.labels())))
                throw new IllegalArgumentException("series twice, " + where);
            f.samples().add(s);
        }
        for (Family f : families.values()) if (f.type().equals("histogram")) checkHistogram(f);
        return families;
    }

    private static boolean belongsTo(String sample, Family f) {
        if (f.type().equals("histogram")) {
            return sample.equals(f.name() + "_bucket")
                    || sample.equals(f.name() + "_sum")
                    || sample.equals(f.name() + "_count");
        }
        return sample.equals(f.name());
    }

    private static Sample sample(String line, String where) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') i++;
        String name = line.substring(0, i);
        if (!NAME.matcher(name).matches()) throw new IllegalArgumentException("bad sample name, " + where);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (true) {
                if (i >= line.length()) throw new IllegalArgumentException("unterminated labels, " + where);
                if (line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int eq = line.indexOf('=', i);
                if (eq < 0) throw new IllegalArgumentException("label without '=', " + where);
                String label = line.substring(i, eq);
                if (!LABEL.matcher(label).matches())
                    throw new IllegalArgumentException("bad label name '" + label + "', " + where);
                if (eq + 1 >= line.length() || line.charAt(eq + 1) != '"')
                    throw new IllegalArgumentException("unquoted label value, " + where);
                StringBuilder v = new StringBuilder();
                int j = eq + 2;
                while (true) {
                    if (j >= line.length()) throw new IllegalArgumentException("unterminated label value, " + where);
                    char c = line.charAt(j);
                    if (c == '"') break;
                    if (c == '\\') {
                        if (j + 1 >= line.length()) throw new IllegalArgumentException("dangling escape, " + where);
                        char e = line.charAt(++j);
                        switch (e) {
                            case '\\' -> v.append('\\');
                            case '"' -> v.append('"');
                            case 'n' -> v.append('\n');
                            default -> throw new IllegalArgumentException("bad escape \\" + e + ", " + where);
                        }
                    } else {
                        v.append(c);
                    }
                    j++;
                }
                if (labels.put(label, v.toString()) != null)
                    throw new IllegalArgumentException("label twice, " + where);
                i = j + 1;
                if (i < line.length() && line.charAt(i) == ',') i++;
                else if (i >= line.length() || line.charAt(i) != '}')
                    throw new IllegalArgumentException("expected ',' or '}', " + where);
            }
        }
        if (i >= line.length() || line.charAt(i) != ' ')
            throw new IllegalArgumentException("no space before the value, " + where);
        String[] rest = line.substring(i + 1).split(" ");
        if (rest.length < 1 || rest.length > 2)
            throw new IllegalArgumentException("expected a value and perhaps a timestamp, " + where);
        double value = number(rest[0], where);
        if (rest.length == 2) {
            try {
                Long.parseLong(rest[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad timestamp, " + where);
            }
        }
        return new Sample(name, labels, value);
    }

    static double number(String s, String where) {
        return switch (s) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                if (!s.matches("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?"))
                    throw new IllegalArgumentException("bad number '" + s + "', " + where);
                yield Double.parseDouble(s);
            }
        };
    }

    private static String unescapeHelp(String s, String where) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (++i >= s.length()) throw new IllegalArgumentException("dangling escape in HELP, " + where);
            char e = s.charAt(i);
            if (e == '\\') b.append('\\');
            else if (e == 'n') b.append('\n');
            else throw new IllegalArgumentException("bad escape in HELP, " + where);
        }
        return b.toString();
    }

    /** Per series (labels without le): buckets ascending by le and cumulative, +Inf last and equal to _count. */
    private static void checkHistogram(Family f) {
        Map<Map<String, String>, TreeMap<Double, Double>> buckets = new LinkedHashMap<>();
        Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
        Set<Map<String, String>> sums = new HashSet<>();
        for (Sample s : f.samples()) {
            Map<String, String> key = new TreeMap<>(s.labels());
            if (s.name().endsWith("_bucket")) {
                String le = key.remove("le");
                if (le == null) throw new IllegalArgumentException(f.name() + ": a bucket without le");
                buckets.computeIfAbsent(key, k -> new TreeMap<>()).put(number(le, "le of " + f.name()), s.value());
            } else if (s.name().endsWith("_count")) {
                counts.put(key, s.value());
            } else {
                sums.add(key);
            }
        }
        for (var e : buckets.entrySet()) {
            TreeMap<Double, Double> b = e.getValue();
            if (b.lastKey() != Double.POSITIVE_INFINITY)
                throw new IllegalArgumentException(f.name() + e.getKey() + ": no +Inf bucket");
            double previous = 0;
            for (double v : b.values()) {
                if (v < previous)
                    throw new IllegalArgumentException(f.name() + e.getKey() + ": buckets not cumulative " + b);
                previous = v;
            }
            Double count = counts.get(e.getKey());
            if (count == null || count != previous)
                throw new IllegalArgumentException(
                        f.name() + e.getKey() + ": _count " + count + " != +Inf bucket " + previous);
            if (!sums.contains(e.getKey())) throw new IllegalArgumentException(f.name() + e.getKey() + ": no _sum");
        }
        if (buckets.size() != counts.size())
            throw new IllegalArgumentException(f.name() + ": a _count without buckets");
    }
}
