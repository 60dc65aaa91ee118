package io.netloop.examples.hello;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hello-world example built as a user's own project: a pom of its own
 * (src/test/resources/standalone/pom.xml: netloop-bom imported, netloop-http without a
 * version, as README.md shows), compiled by a separate Maven against a local repository that
 * holds only what this build publishes, then run and asked for its page.
 *
 * <ol>
 *   <li><b>Install.</b> The published artifacts this reactor has just packaged (the parent and
 *       the BOM poms; core, http, apps, chat and cli with their sources and Javadoc jars) are
 *       copied into an empty local repository, in the layout {@code mvn install} writes
 *       ({@code io/netloop/ARTIFACT/VERSION/ARTIFACT-VERSION[-CLASSIFIER].jar} beside its pom).
 *       The modules that are not published (testing, bench, examples, checks) are not there, so
 *       a published pom that needed one would fail the build.</li>
 *   <li><b>Build.</b> {@code mvn package dependency:build-classpath} on the copied project, with
 *       {@code -Dmaven.repo.local} set to that repository, on this test's JDK (25, as a user's).
 *       Maven's plugins and the third-party jars come through a mirror that is this build's own
 *       local repository as a {@code file:} URL: no network, and nothing from it but what a
 *       build of the copied project asks for.</li>
 *   <li><b>Run.</b> The built classes on the class path, netloop's jars on the module path
 *       (native access for {@code io.netloop.core} alone), port 0; {@code GET /} must answer
 *       "Hello, world!".</li>
 * </ol>
 *
 * About 15 to 30 s on 2 cores, most of it the nested Maven's start and compile.
 *
 * <p>Threading: the test's thread; the two processes it starts end before it returns.
 */
class StandaloneBuildTest {
    private static final List<String> PUBLISHED_JARS = List.of("core", "http", "apps", "chat", "cli");

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void helloWorldBuildsAgainstTheInstalledArtifactsAndRuns(@TempDir Path tmp) throws Exception {
        String version = property("netloop.version");
        Path root = projectRoot();
        Path repository = tmp.resolve("repository");
        install(root, repository, version);

        Path project = tmp.resolve("hello");
        Path source = Path.of("src/main/java/io/netloop/examples/hello/HelloWorld.java");
        Files.createDirectories(project.resolve(source).getParent());
        Files.copy(root.resolve("examples").resolve(source), project.resolve(source));
        try (InputStream pom = Objects.requireNonNull(
                StandaloneBuildTest.class.getResourceAsStream("/standalone/pom.xml"), "standalone/pom.xml")) {
            Files.writeString(
                    project.resolve("pom.xml"),
                    new String(pom.readAllBytes(), StandardCharsets.UTF_8).replace("@netloop.version@", version));
        }
        Path settings = tmp.resolve("settings.xml");
        Files.writeString(settings, settingsMirroring(Path.of(property("netloop.maven.repository"))));

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder maven = new ProcessBuilder(
                        Path.of(property("netloop.maven.home"), "bin", "mvn").toString(),
                        "-B",
                        "-s",
                        settings.toString(),
                        "-Dmaven.repo.local=" + repository,
                        "-Dstyle.color=never",
                        "package",
                        "dependency:build-classpath",
                        "-Dmdep.outputFile=classpath.txt")
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("maven.log").toFile());
        maven.environment().put("JAVA_HOME", java.getParent().getParent().toString());
        maven.environment().remove("MAVEN_OPTS");
        Process build = maven.start();
        try {
            assertThat(build.waitFor(150, TimeUnit.SECONDS))
                    .as("the nested build ended")
                    .isTrue();
            assertThat(build.exitValue())
                    .as("the nested build (its log):%n%s", Files.readString(tmp.resolve("maven.log")))
                    .isZero();
        } finally {
            build.destroyForcibly();
        }

        // Every netloop artifact came from the installed ones, none through the mirror (which may hold
        // some from an earlier mvn install): Maven names the repository of what it downloads in
        // _remote.repositories.
        try (var files = Files.walk(repository.resolve("io/netloop"))) {
            for (Path p : files.filter(p -> p.endsWith("_remote.repositories")).toList()) {
                assertThat(Files.readString(p))
                        .as("%s: downloaded, not installed", p)
                        .doesNotContain("this-build");
            }
        }
        String modulePath = Files.readString(project.resolve("classpath.txt")).strip();
        assertThat(modulePath)
                .contains(repository.resolve("io/netloop/netloop-http").toString());
        Process hello = new ProcessBuilder(
                        java.toString(),
                        "--enable-native-access=io.netloop.core",
                        "--module-path",
                        modulePath,
                        "--add-modules",
                        "io.netloop.http",
                        "-cp",
                        project.resolve("target/classes").toString(),
                        "io.netloop.examples.hello.HelloWorld",
                        "0")
                .redirectErrorStream(true)
                .start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(hello.getInputStream(), StandardCharsets.UTF_8))) {
            String banner = String.valueOf(out.readLine());
            assertThat(banner).startsWith("Hello world at http://127.0.0.1:");
            try (HttpClient client = HttpClient.newHttpClient()) {
                HttpResponse<String> page = client.send(
                        HttpRequest.newBuilder(URI.create(banner.substring(banner.indexOf("http://"))))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(page.body()).isEqualTo("Hello, world!");
            }
        } finally {
            hello.destroy();
            if (!hello.waitFor(20, TimeUnit.SECONDS)) hello.destroyForcibly();
        }
    }

    /** What {@code mvn install} of the published modules writes, made from this reactor's packaged files. */
    private static void install(Path root, Path repository, String version) throws IOException {
        copy(root.resolve("pom.xml"), repository, "netloop-parent", version, "pom");
        copy(root.resolve("bom/pom.xml"), repository, "netloop-bom", version, "pom");
        for (String module : PUBLISHED_JARS) {
            String artifact = "netloop-" + module;
            Path target = root.resolve(module).resolve("target");
            // cli's jar is named for the launcher (netloop.jar); the others keep Maven's name.
            String finalName = module.equals("cli") ? "netloop" : artifact + "-" + version;
            copy(root.resolve(module).resolve("pom.xml"), repository, artifact, version, "pom");
            copy(target.resolve(finalName + ".jar"), repository, artifact, version, "jar");
            copy(target.resolve(finalName + "-sources.jar"), repository, artifact, version, "sources.jar");
            copy(target.resolve(finalName + "-javadoc.jar"), repository, artifact, version, "javadoc.jar");
        }
    }

    private static void copy(Path file, Path repository, String artifact, String version, String kind)
            throws IOException {
        assertThat(file)
                .as("packaged by this build (mvn verify packages before the examples' tests)")
                .exists();
        Path dir = repository.resolve("io/netloop").resolve(artifact).resolve(version);
        Files.createDirectories(dir);
        String suffix = kind.contains(".") ? "-" + kind : "." + kind; // "sources.jar" is a classifier
        Files.copy(file, dir.resolve(artifact + "-" + version + suffix), StandardCopyOption.REPLACE_EXISTING);
    }

    private static String settingsMirroring(Path localRepository) {
        return """
            <settings>
              <mirrors>
                <mirror>
                  <id>this-build</id>
                  <name>the outer build's local repository: plugins and third-party jars, offline</name>
                  <url>%s</url>
                  <mirrorOf>*</mirrorOf>
                </mirror>
              </mirrors>
            </settings>
            """.formatted(localRepository.toUri());
    }

    /** The directory of the parent pom: the examples module's parent. */
    private static Path projectRoot() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("bom/pom.xml")) ? here : here.getParent();
    }

    private static String property(String name) {
        return Objects.requireNonNull(
                System.getProperty(name), name + " (set by the examples' pom for surefire: run through Maven)");
    }
}
