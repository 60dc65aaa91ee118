package io.netloop.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The house rule that every public type's Javadoc says its threading rule, in a paragraph of
 * the description: after a block tag ({@code @param} of a record) Javadoc would show it as
 * part of that tag. Every package has a {@code package-info.java} that says its job and its
 * threading rule too.
 */
class ThreadingDocTest {
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "(/\\*\\*(?:(?!\\*/).)*\\*/)?\\s*(?:@\\w+(?:\\((?:[^()]|\\([^()]*\\))*\\))?\\s*)*public\\s+(?:(?:final|abstract|sealed|non-sealed|static)\\s+)*"
                + "(?:class|interface|enum|record|@interface)\\s+\\w+",
            Pattern.DOTALL);
    private static final Pattern BLOCK_TAG = Pattern.compile("^\\s*\\*\\s*@\\w+", Pattern.MULTILINE);

    @Test
    void everyPublicTypeSaysItsThreadingRuleBeforeItsBlockTags() throws IOException {
        List<String> missing = new ArrayList<>();
        List<String> misplaced = new ArrayList<>();
        for (Path file : mainSources()) {
            String name = file.getFileName().toString();
            if (name.equals("package-info.java") || name.equals("module-info.java")) continue;
            String source = Files.readString(file, StandardCharsets.UTF_8);
            Matcher m = PUBLIC_TYPE.matcher(source);
            if (!m.find() || isNested(source, m.start())) continue;
            String doc = m.group(1);
            String where = root().relativize(file).toString();
            if (doc == null || !doc.contains("Threading")) {
                missing.add(where);
                continue;
            }
            Matcher tag = BLOCK_TAG.matcher(doc);
            if (tag.find() && tag.start() < doc.indexOf("Threading")) misplaced.add(where);
        }
        assertThat(missing)
                .as("public types whose Javadoc has no Threading paragraph")
                .isEmpty();
        assertThat(misplaced)
                .as("Threading paragraphs after a block tag (move them above the first @ tag)")
                .isEmpty();
    }

    @Test
    void everyPackageSaysItsJobAndThreadingRule() throws IOException {
        List<Path> dirs = mainSources().stream()
                .map(Path::getParent)
                .distinct()
                .filter(d -> !d.endsWith("java"))
                .toList();
        List<String> without = new ArrayList<>();
        for (Path dir : dirs) {
            Path info = dir.resolve("package-info.java");
            if (!Files.exists(info) || !Files.readString(info).contains("Threading")) {
                without.add(root().relativize(dir).toString());
            }
        }
        assertThat(without)
                .as("packages without a package-info.java that says its threading rule")
                .isEmpty();
    }

    private static boolean isNested(String source, int at) {
        // A public type after the first top-level declaration is nested: only the file's first one counts.
        return source.substring(0, at)
                .matches("(?s).*\\n(public |final |abstract |sealed |class |interface |enum |record ).*");
    }

    static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("testing/pom.xml")) ? here : here.getParent();
    }

    private static List<Path> mainSources() throws IOException {
        Path root = root();
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> {
                        String r = root.relativize(p).toString();
                        return r.contains("/src/main/java/") && !r.contains("/target/");
                    })
                    .sorted()
                    .toList();
        }
    }
}
