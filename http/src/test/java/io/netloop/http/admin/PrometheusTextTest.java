package io.netloop.http.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The writer's escaping and histogram layout, read back by the strict parser; and the parser's strictness. */
class PrometheusTextTest {

    @Test
    void labelValuesAndHelpAreEscapedAndReadBackUnchanged() {
        String odd = "a\\b \"quoted\"\nnext line";
        String text = new PrometheusText()
                .family("t_total", "counter", "help with \\ and\nnewline")
                .sample(3, "who", odd)
                .toString();
        assertThat(text).contains("who=\"a\\\\b \\\"quoted\\\"\\nnext line\"");
        Map<String, PrometheusParser.Family> f = PrometheusParser.parse(text);
        assertThat(f.get("t_total").help()).isEqualTo("help with \\ and\nnewline");
        assertThat(f.get("t_total").value("t_total", "who", odd)).isEqualTo(3);
    }

    @Test
    void histogramsAreCumulativeWithInfSumAndCount() {
        String text = new PrometheusText()
                .family("lat_seconds", "histogram", "latency")
                .histogram(new double[] {0.0005, 1}, new long[] {2, 3, 1}, 4.5, "loop", "a")
                .toString();
        assertThat(text).isEqualTo("""
            # HELP lat_seconds latency
            # TYPE lat_seconds histogram
            lat_seconds_bucket{loop="a",le="0.0005"} 2
            lat_seconds_bucket{loop="a",le="1"} 5
            lat_seconds_bucket{loop="a",le="+Inf"} 6
            lat_seconds_sum{loop="a"} 4.5
            lat_seconds_count{loop="a"} 6
            """);
        assertThat(PrometheusParser.parse(text).get("lat_seconds").value("lat_seconds_count", "loop", "a"))
                .isEqualTo(6);
    }

    @Test
    void numbersAreGoFloats() {
        assertThat(PrometheusText.number(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(PrometheusText.number(Double.NaN)).isEqualTo("NaN");
        assertThat(PrometheusText.number(42)).isEqualTo("42");
        assertThat(PrometheusText.number(0.25)).isEqualTo("0.25");
    }

    @Test
    void theParserRefusesWhatTheFormatDoesNotAllow() {
        String head = "# HELP x_total x\n# TYPE x_total counter\n";
        assertThatThrownBy(() -> PrometheusParser.parse("x_total 1\n")).hasMessageContaining("before any TYPE");
        assertThatThrownBy(() -> PrometheusParser.parse(head + "x_total{a=\"\\t\"} 1\n"))
                .hasMessageContaining("bad escape");
        assertThatThrownBy(() -> PrometheusParser.parse(head + "x_total{a=\"1\"} 1\nx_total{a=\"1\"} 2\n"))
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> PrometheusParser.parse(head + "y_total 1\n"))
                .hasMessageContaining("outside its family");
        assertThatThrownBy(() -> PrometheusParser.parse(head + "x_total one\n")).hasMessageContaining("bad number");
        assertThatThrownBy(() -> PrometheusParser.parse(head + "x_total 1")).hasMessageContaining("no newline");
        assertThatThrownBy(() -> PrometheusParser.parse(
                        "# HELP h h\n# TYPE h histogram\nh_bucket{le=\"1\"} 3\nh_bucket{le=\"+Inf\"} 2\n"
                                + "h_sum 1\nh_count 2\n"))
                .hasMessageContaining("not cumulative");
        assertThatThrownBy(() -> PrometheusParser.parse(
                        "# HELP h h\n# TYPE h histogram\nh_bucket{le=\"1\"} 3\nh_sum 1\nh_count 3\n"))
                .hasMessageContaining("no +Inf");
        assertThatThrownBy(() -> PrometheusParser.parse(
                        head + "x_total 1\n# HELP z z\n# TYPE z gauge\nz 1\nx_total{b=\"2\"} 1\n"))
                .hasMessageContaining("outside its family");
    }
}
