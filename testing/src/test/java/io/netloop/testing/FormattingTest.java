package io.netloop.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.palantir.javaformat.java.Formatter;
import com.palantir.javaformat.java.FormatterException;
import com.palantir.javaformat.java.JavaFormatterOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The house style holds itself: every Java source of every module is as palantir-java-format
 * writes it (imports ordered, unused ones gone). Runs first in the build, before a test of the
 * code. {@code scripts/format.sh} (this test with {@code -Dnetloop.format=apply}) rewrites the
 * sources instead of judging them.
 */
class FormattingTest {
    private static final Formatter FORMATTER = Formatter.createFormatter(JavaFormatterOptions.builder()
            .style(JavaFormatterOptions.Style.PALANTIR)
            .build());

    @Test
    void everySourceIsFormatted() throws IOException {
        boolean apply = "apply".equals(System.getProperty("netloop.format"));
        List<String> unformatted = new ArrayList<>();
        List<String> unparsable = new ArrayList<>();
        for (Path file : sources(projectRoot())) {
            String source = Files.readString(file, StandardCharsets.UTF_8);
            String formatted;
            try {
                formatted = FORMATTER.formatSourceAndFixImports(source);
            } catch (FormatterException e) {
                unparsable.add(file + ": " + e.getMessage());
                continue;
            }
            if (formatted.equals(source)) continue;
            if (apply) Files.writeString(file, formatted, StandardCharsets.UTF_8);
            else unformatted.add(projectRoot().relativize(file).toString());
        }
        assertThat(unparsable).as("sources the formatter cannot parse").isEmpty();
        assertThat(unformatted).as("unformatted sources: run scripts/format.sh").isEmpty();
    }

    /** The directory holding the parent pom: this module's parent. */
    private static Path projectRoot() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("testing/pom.xml")) ? here : here.getParent();
    }

    private static List<Path> sources(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> {
                        String r = root.relativize(p).toString();
                        return r.contains("/src/") && !r.contains("/target/") && !r.startsWith(".git");
                    })
                    .sorted()
                    .toList();
        }
    }
}
