package io.netloop.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a benchmark's chart as a PNG from tab-separated rows on standard input, so that the
 * harness scripts (which hold their results as JSON and reshape them with jq) need no Java JSON
 * code:
 *
 * <pre>
 *   Charts bar  --title T --y-label L --out FILE.png   rows: CATEGORY \t SERIES \t VALUE
 *   Charts line --title T --x-label L --y-label L --out FILE.png [--log-y]
 *                                                     rows: SERIES \t X \t Y
 * </pre>
 *
 * A bar chart groups one bar per series (a peer) inside each category (a scenario); a line chart
 * draws each series (an I/O model) over X (idle connections). Values that are "null" or empty
 * are left out (a peer that did not run). Nothing is judged here: it only draws.
 *
 * <p>Threading: a command-line program; one thread, headless AWT.
 */
public final class Charts {
    private static final int WIDTH = 960;
    private static final int HEIGHT = 540;

    private Charts() {}

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        if (args.length == 0 || !(args[0].equals("bar") || args[0].equals("line"))) {
            throw usage("the first argument is bar or line");
        }
        Map<String, String> opts = new LinkedHashMap<>();
        boolean logY = false;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--log-y" -> logY = true;
                case "--title", "--x-label", "--y-label", "--out" -> {
                    if (i + 1 >= args.length) throw usage(args[i] + " needs a value");
                    opts.put(args[i], args[++i]);
                }
                default -> throw usage("unknown option " + args[i]);
            }
        }
        if (!opts.containsKey("--out")) throw usage("--out FILE.png is required");
        List<String[]> rows = read(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Chart<?, ?> chart = args[0].equals("bar")
                ? bar(rows, opts.getOrDefault("--title", ""), opts.getOrDefault("--y-label", ""))
                : line(
                        rows,
                        opts.getOrDefault("--title", ""),
                        opts.getOrDefault("--x-label", ""),
                        opts.getOrDefault("--y-label", ""),
                        logY);
        save(chart, Path.of(opts.get("--out")));
    }

    static List<String[]> read(Reader in) throws IOException {
        List<String[]> rows = new ArrayList<>();
        BufferedReader r = new BufferedReader(in);
        int lineNo = 0;
        for (String line; (line = r.readLine()) != null; ) {
            lineNo++;
            if (line.isBlank()) continue;
            String[] f = line.split("\t", -1);
            if (f.length != 3) {
                throw new IllegalArgumentException(
                        "line " + lineNo + ": want 3 tab-separated fields, got " + f.length + ": " + line);
            }
            rows.add(f);
        }
        return rows;
    }

    static CategoryChart bar(List<String[]> rows, String title, String yLabel) {
        Set<String> categories = new LinkedHashSet<>();
        Map<String, Map<String, Double>> bySeries = new LinkedHashMap<>();
        for (String[] f : rows) {
            categories.add(f[0]);
            Double v = number(f[2]);
            bySeries.computeIfAbsent(f[1], k -> new LinkedHashMap<>()).put(f[0], v);
        }
        CategoryChart chart = new CategoryChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title(title)
                .xAxisTitle("")
                .yAxisTitle(yLabel)
                .build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setOverlapped(false);
        List<String> xs = List.copyOf(categories);
        for (var e : bySeries.entrySet()) {
            List<Double> ys = new ArrayList<>();
            for (String x : xs) {
                Double v = e.getValue().get(x);
                ys.add(v == null ? 0.0 : v); // a bar of 0 where the peer did not run; the table says why
            }
            chart.addSeries(e.getKey(), xs, ys);
        }
        return chart;
    }

    static XYChart line(List<String[]> rows, String title, String xLabel, String yLabel, boolean logY) {
        Map<String, List<double[]>> bySeries = new LinkedHashMap<>();
        for (String[] f : rows) {
            Double x = number(f[1]);
            Double y = number(f[2]);
            if (x == null || y == null || (logY && y <= 0)) continue;
            bySeries.computeIfAbsent(f[0], k -> new ArrayList<>()).add(new double[] {x, y});
        }
        XYChart chart = new XYChartBuilder()
                .width(WIDTH)
                .height(HEIGHT)
                .title(title)
                .xAxisTitle(xLabel)
                .yAxisTitle(yLabel)
                .build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisLogarithmic(logY);
        for (var e : bySeries.entrySet()) {
            List<double[]> pts = e.getValue();
            pts.sort((a, b) -> Double.compare(a[0], b[0]));
            double[] x = new double[pts.size()];
            double[] y = new double[pts.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = pts.get(i)[0];
                y[i] = pts.get(i)[1];
            }
            chart.addSeries(e.getKey(), x, y).setMarker(SeriesMarkers.CIRCLE);
        }
        return chart;
    }

    private static void style(Styler s) {
        s.setChartBackgroundColor(java.awt.Color.WHITE);
        s.setChartTitleFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.BOLD, 16));
    }

    private static Double number(String s) {
        s = s.strip();
        if (s.isEmpty() || s.equals("null") || s.equals("-")) return null;
        return Double.valueOf(s);
    }

    static void save(Chart<?, ?> chart, Path out) throws IOException {
        // BitmapEncoder appends the suffix itself when the name lacks it.
        String name = out.toString();
        if (name.endsWith(".png")) name = name.substring(0, name.length() - 4);
        BitmapEncoder.saveBitmap(chart, name, BitmapEncoder.BitmapFormat.PNG);
    }

    private static IllegalArgumentException usage(String why) {
        return new IllegalArgumentException(why
                + "; usage: Charts bar|line --title T [--x-label L] --y-label L --out FILE.png [--log-y] < rows.tsv");
    }
}
