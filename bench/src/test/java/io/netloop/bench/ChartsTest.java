package io.netloop.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {
    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    @Test
    void barChartGroupsSeriesByCategoryAndWritesAPng(@TempDir Path dir) throws Exception {
        List<String[]> rows = Charts.read(new StringReader("plaintext c64\tnetloop\t149400\n"
                + "plaintext c64\tnginx\t153300\n"
                + "static c64\tnetloop\t71900\n"
                + "static c64\tnginx\tnull\n"));
        var chart = Charts.bar(rows, "req/s", "requests/s");
        assertThat(chart.getSeriesMap()).containsOnlyKeys("netloop", "nginx");
        assertThat(List.copyOf(chart.getSeriesMap().get("nginx").getYData()))
                .extracting(Number::doubleValue)
                .containsExactly(153300.0, 0.0);

        Path png = dir.resolve("bar.png");
        Charts.save(chart, png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(960);
        assertThat(img.getHeight()).isEqualTo(540);
    }

    @Test
    void lineChartSortsPointsAndDropsMissingOnes(@TempDir Path dir) throws Exception {
        List<String[]> rows =
                Charts.read(new StringReader("epoll\t10000\t50000\nepoll\t0\t60000\npoll\t0\t58000\npoll\t10000\t-\n"));
        var chart = Charts.line(rows, "idle", "idle connections", "requests/s", false);
        assertThat(chart.getSeriesMap().get("epoll").getXData()).containsExactly(0.0, 10000.0);
        assertThat(chart.getSeriesMap().get("poll").getXData()).containsExactly(0.0);
        Path png = dir.resolve("line.png");
        Charts.save(chart, png);
        assertThat(Files.size(png)).isPositive();
        assertThat(ImageIO.read(png.toFile())).isNotNull();
    }

    @Test
    void aMalformedRowIsNamed() {
        assertThatThrownBy(() -> Charts.read(new StringReader("a\tb\tc\nonly two\tfields\n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2");
    }
}
