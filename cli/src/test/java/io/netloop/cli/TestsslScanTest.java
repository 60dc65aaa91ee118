package io.netloop.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.netloop.testing.TestCertificate;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * testssl.sh, a standard TLS scanner, against {@code netloop serve --tls-cert ... --tls-key ...}
 * as a user runs it: any finding of MEDIUM severity or above fails, except those about the
 * test certificate itself (self-signed, two days long, no revocation URL), which a real
 * certificate does not have.
 *
 * <p>The scan runs the protocol, cipher, forward-secrecy, server-default, header and
 * vulnerability checks ({@code -p -s -f -S -h -U}: renegotiation, BREACH, Heartbleed, ROBOT...);
 * it leaves out the per-cipher listing and the client simulations, which report no severity.
 * testssl.sh comes from Debian's package, installed by scripts/install-test-deps.sh; without it
 * this test fails and says so. Its report is kept in target/testssl/.
 */
class TestsslScanTest {
    /** Findings about the test certificate, not the server: a CA-issued, long-lived certificate has none. */
    private static final Set<String> THE_CERTIFICATE_ITSELF = Set.of(
            "cert_chain_of_trust", // self-signed
            "cert_expirationStatus", // valid for two days on purpose (TestCertificate)
            "cert_notAfter", // the same
            "cert_revocation"); // a test CA publishes no CRL or OCSP responder

    private static final Set<String> MEDIUM_OR_ABOVE = Set.of("MEDIUM", "HIGH", "CRITICAL");
    private static final Pattern FINDING = Pattern.compile(
            "\\{\\s*\"id\"\\s*:\\s*\"([^\"]*)\".*?\"severity\"\\s*:\\s*\"([^\"]*)\".*?\"finding\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"",
            Pattern.DOTALL);

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES) // the scan alone takes a minute or so on 2 cores
    void aStandardScannerFindsNothingOfMediumSeverityOrAbove() throws Exception {
        Path testssl = testssl();
        Path reports = Path.of("target", "testssl").toAbsolutePath();
        Files.createDirectories(reports);
        Path json = reports.resolve("findings.json");
        Files.deleteIfExists(json);
        TestCertificate cert = TestCertificate.generate("EC");
        try (ServeProcess server = ServeProcess.start(
                "serve",
                "--port",
                "0",
                "--access-log",
                "off",
                "--tls-cert",
                cert.certPem().toString(),
                "--tls-key",
                cert.keyPem().toString())) {
            Matcher at = Pattern.compile("serving the demo site at https://(127\\.0\\.0\\.1:\\d+)/ .*")
                    .matcher(server.banner());
            assertThat(at.matches()).as(server.banner()).isTrue();
            Process scan = new ProcessBuilder(
                            testssl.toString(),
                            "--quiet",
                            "--color",
                            "0",
                            "--warnings",
                            "off",
                            "--jsonfile",
                            json.toString(),
                            "-p",
                            "-s",
                            "-f",
                            "-S",
                            "-h",
                            "-U",
                            at.group(1))
                    .redirectErrorStream(true)
                    .redirectOutput(reports.resolve("report.txt").toFile())
                    .start();
            try {
                assertThat(scan.waitFor(3, TimeUnit.MINUTES))
                        .as("testssl.sh finished")
                        .isTrue();
            } finally {
                scan.destroyForcibly();
            }
            server.stopAndExpectExitZero();
        } finally {
            cert.delete();
        }
        assertThat(json)
                .as("testssl.sh's findings (see target/testssl/report.txt)")
                .exists();
        Map<String, String> severities = new TreeMap<>();
        List<String> problems = new ArrayList<>();
        Matcher f = FINDING.matcher(Files.readString(json, StandardCharsets.UTF_8));
        while (f.find()) {
            severities.put(f.group(1), f.group(2));
            if (MEDIUM_OR_ABOVE.contains(f.group(2)) && !THE_CERTIFICATE_ITSELF.contains(f.group(1)))
                problems.add(f.group(2) + " " + f.group(1) + ": " + f.group(3));
        }
        // The scan did run the checks this test is about (a scan that failed to connect reports nothing).
        assertThat(severities).containsEntry("secure_client_renego", "OK").containsEntry("BREACH", "OK");
        assertThat(problems).as("findings of MEDIUM severity or above").isEmpty();
    }

    private static Path testssl() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("testssl", "testssl.sh")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) return p;
            }
        }
        return fail("testssl.sh is not installed: run scripts/install-test-deps.sh (it installs Debian's package"
                + " testssl.sh), or apt-get install testssl.sh");
    }
}
