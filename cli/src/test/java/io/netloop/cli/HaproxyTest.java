package io.netloop.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.netloop.core.loop.IoMode;
import io.netloop.core.proxy.ProxyProtocol;
import io.netloop.core.proxy.TrustedProxies;
import io.netloop.http.AccessLog;
import io.netloop.http.HttpServer;
import io.netloop.http.admin.Admin;
import io.netloop.testing.LeakCheck;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two netloop instances behind a real HAProxy with the configuration of docs/deploy.md:
 * requests spread over both, and a draining instance is taken out by the health check
 * before it stops accepting, with no failed request.
 */
@ExtendWith(LeakCheck.class)
class HaproxyTest {
    private static final Path DOC = Path.of("..", "docs", "deploy.md");

    @Test
    void theDeploymentGuideShowsTheConfigurationThisTestRuns() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<!-- haproxy\\.cfg -->\\s*```[a-z]*\\n(.*?)```", Pattern.DOTALL)
                .matcher(doc);
        assertThat(m.find())
                .as("docs/deploy.md has a block after <!-- haproxy.cfg -->")
                .isTrue();
        assertThat(m.group(1)).isEqualTo(HaproxyConfig.of(8080, 8081, 8082));
        Matcher v2 = Pattern.compile("<!-- haproxy-proxy-v2\\.cfg -->\\s*```[a-z]*\\n(.*?)```", Pattern.DOTALL)
                .matcher(doc);
        assertThat(v2.find())
                .as("docs/deploy.md has a block after <!-- haproxy-proxy-v2.cfg -->")
                .isTrue();
        assertThat(v2.group(1)).isEqualTo(HaproxyConfig.of(8080, true, 8081, 8082));
    }

    @Test
    void behindSendProxyV2TheInstancesSeeTheRealClientAddress(@TempDir Path dir) throws Exception {
        Path accessLog = dir.resolve("access.log");
        AccessLog log = AccessLog.toFile(accessLog);
        // HAProxy connects from 127.0.0.1; the client from 127.0.0.2, which only the PROXY header tells.
        ProxyProtocol fromHaproxy = ProxyProtocol.trusting(TrustedProxies.parse("127.0.0.1"));
        HttpServer a = proxiedInstance("a", x -> x.proxyProtocol(fromHaproxy).accessLog(log));
        HttpServer b = proxiedInstance("b", x -> x.proxyProtocol(fromHaproxy));
        int front = freePort();
        try (Haproxy proxy = Haproxy.start(dir, HaproxyConfig.of(front, true, a.port(), b.port()));
                HttpClient client = HttpClient.newBuilder()
                        .localAddress(InetAddress.getByName("127.0.0.2"))
                        .build()) {
            Map<String, Integer> seen =
                    proxy.answersUntil(client, "http://127.0.0.1:" + front + "/who", m -> m.size() == 2);
            assertThat(seen).containsOnlyKeys("a from 127.0.0.2", "b from 127.0.0.2");
            assertThat(proxy.log())
                    .as("health checks pass through the PROXY listener")
                    .doesNotContain("is DOWN");
        } finally {
            a.close();
            b.close();
            log.close();
        }
        // Requests show the client; HAProxy's own health checks (PROXY v2 LOCAL) show HAProxy.
        List<String> lines = Files.readAllLines(accessLog);
        assertThat(lines)
                .filteredOn(l -> l.contains("GET /who "))
                .isNotEmpty()
                .allMatch(l -> l.startsWith("127.0.0.2 - - ["));
        assertThat(lines)
                .filteredOn(l -> l.contains("GET /_netloop/readyz "))
                .allMatch(l -> l.startsWith("127.0.0.1 - - ["));
    }

    @Test
    void requestsSpreadOverBothAndADrainingInstanceIsTakenOutWithoutFailures(@TempDir Path dir) throws Exception {
        HttpServer a = instance("a");
        HttpServer b = instance("b");
        int front = freePort();
        AtomicBoolean loading = new AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        try (Haproxy proxy = Haproxy.start(dir, HaproxyConfig.of(front, a.port(), b.port()));
                HttpClient client = HttpClient.newHttpClient()) {
            String url = "http://127.0.0.1:" + front + "/who";
            Map<String, Integer> seen = proxy.answersUntil(
                    client, url, m -> m.size() == 2 && m.values().stream().allMatch(n -> n >= 5));
            assertThat(seen).containsOnlyKeys("a", "b");

            // A steady load through HAProxy while instance a drains.
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
            ConcurrentLinkedQueue<String> lastAnswers = new ConcurrentLinkedQueue<>();
            AtomicBoolean drained = new AtomicBoolean();
            for (int i = 0; i < 3; i++) {
                clients.add(Thread.ofPlatform().name("haproxy-load-" + i).start(() -> {
                    try (HttpClient c = HttpClient.newHttpClient()) {
                        while (loading.get()) {
                            try {
                                HttpResponse<String> r = get(c, url);
                                if (r.statusCode() != 200) failures.add(r.statusCode() + " " + r.body());
                                answers.computeIfAbsent(r.body(), k -> new AtomicLong())
                                        .incrementAndGet();
                                if (drained.get()) lastAnswers.add(r.body());
                            } catch (IOException | InterruptedException e) {
                                failures.add(e.toString());
                            }
                        }
                    }
                }));
            }
            Thread.sleep(300);
            assertThat(a.drain(Duration.ofSeconds(2), Duration.ofSeconds(5))).isTrue();
            drained.set(true);
            Thread.sleep(500);
            loading.set(false);
            for (Thread t : clients) t.join(10_000);

            assertThat(failures).as("failed requests").isEmpty();
            assertThat(answers.get("a").get()).as("a served until taken out").isPositive();
            assertThat(lastAnswers)
                    .as("after the drain only b answers")
                    .isNotEmpty()
                    .containsOnly("b");
            assertThat(proxy.log()).as("HAProxy saw a's readiness fail").contains("netloop/n1 is DOWN");
        } finally {
            loading.set(false);
            for (Thread t : clients) t.join(10_000);
            a.close();
            b.close();
        }
    }

    /** HAProxy as a child process on a configuration, its output in a file. */
    private record Haproxy(Process process, Path logFile) implements AutoCloseable {
        static Haproxy start(Path dir, String config) throws IOException {
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, config);
            Path log = dir.resolve("haproxy.log");
            Process p = new ProcessBuilder(haproxy().toString(), "-db", "-f", cfg.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            return new Haproxy(p, log);
        }

        String log() throws IOException {
            return Files.readString(logFile);
        }

        /** Asks {@code url} until the answers counted so far are {@code enough} (HAProxy may still be starting). */
        Map<String, Integer> answersUntil(HttpClient client, String url, Predicate<Map<String, Integer>> enough)
                throws Exception {
            Map<String, Integer> seen = new HashMap<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (!enough.test(seen)) {
                if (System.nanoTime() > deadline || !process.isAlive())
                    fail("HAProxy did not reach the instances: " + seen + "\n" + log());
                try {
                    seen.merge(get(client, url).body(), 1, Integer::sum);
                } catch (IOException notListeningYet) {
                    Thread.sleep(50);
                }
            }
            return seen;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS))
                process.destroyForcibly().waitFor();
        }
    }

    /** An in-process netloop instance that says its name at /who, with its probes under /_netloop. */
    private static HttpServer instance(String name) throws IOException {
        HttpServer s = HttpServer.builder().port(0).io(IoMode.AUTO).build();
        s.get("/who", (req, res) -> res.send(name));
        Admin.onPath(s, "/_netloop");
        return s.start();
    }

    /** An instance behind PROXY protocol that says its name and its client's address at /who. */
    private static HttpServer proxiedInstance(String name, UnaryOperator<HttpServer.Builder> options)
            throws IOException {
        HttpServer s =
                options.apply(HttpServer.builder().port(0).io(IoMode.AUTO)).build();
        s.get(
                "/who",
                (req, res) -> res.send(
                        name + " from " + req.remoteAddress().getAddress().getHostAddress()));
        Admin.onPath(s, "/_netloop");
        return s.start();
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static Path haproxy() {
        for (String p : new String[] {"/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy"}) {
            if (Files.isExecutable(Path.of(p))) return Path.of(p);
        }
        return fail("this test runs HAProxy in front of two servers: run scripts/install-test-deps.sh (Debian package"
                + " haproxy)");
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
