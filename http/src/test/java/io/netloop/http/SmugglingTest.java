package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.core.loop.IoMode;
import io.netloop.testing.LeakCheck;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Request smuggling and framing, over a real socket, one case per line of
 * {@code smuggling-cases.txt} (RFC 9112 §6 and §7, and the public catalogues of parser
 * differentials named there). Each case sends its bytes in one write, with a complete
 * {@code GET /smuggled} request hidden where a server that framed the message differently
 * would read it as a request of its own. The proof that nothing was smuggled: the handler of
 * /smuggled never runs, the server answers with exactly the expected statuses in order, and
 * then either closes with nothing more to say, or keeps the connection and answers a probe
 * request next, so no response of a hidden request was queued in between.
 */
@ExtendWith(LeakCheck.class)
class SmugglingTest {
    static final String SMUGGLE = "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n";
    private static final String PROBE = "GET /probe HTTP/1.1\r\nHost: a\r\n\r\n";
    private static final AtomicInteger SMUGGLED_RUNS = new AtomicInteger();
    private static HttpServer server;

    /** One line of the table. */
    record Case(String id, String source, List<Integer> statuses, boolean close, byte[] request) {
        static Case parse(String line) {
            String[] f = line.split(" \\| ", 5);
            if (f.length != 5) throw new IllegalArgumentException("a case has 5 fields separated by ' | ': " + line);
            List<Integer> statuses =
                    Arrays.stream(f[2].trim().split(" ")).map(Integer::valueOf).toList();
            boolean close = switch (f[3].trim()) {
                case "close" -> true;
                case "open" -> false;
                default -> throw new IllegalArgumentException("'close' or 'open', not '" + f[3] + "': " + line);
            };
            return new Case(f[0].trim(), f[1].trim(), statuses, close, request(f[4]));
        }

        private static byte[] request(String escaped) {
            String s = unescape(escaped)
                    .replace("{smugglehex}", Integer.toHexString(SMUGGLE.length()))
                    .replace("{smuggle}", SMUGGLE);
            int headEnd = s.indexOf("\r\n\r\n");
            if (s.contains("{len}")) s = s.replace("{len}", Integer.toString(s.length() - headEnd - 4));
            return s.getBytes(StandardCharsets.ISO_8859_1);
        }

        private static String unescape(String s) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = s.charAt(++i);
                switch (e) {
                    case 'r' -> b.append('\r');
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'v' -> b.append('\u000b');
                    case '0' -> b.append('\0');
                    case '\\' -> b.append('\\');
                    case 'x' -> {
                        b.append((char) Integer.parseInt(s, i + 1, i + 3, 16));
                        i += 2;
                    }
                    default -> throw new IllegalArgumentException("unknown escape \\" + e + " in " + s);
                }
            }
            return b.toString();
        }
    }

    static List<Case> cases() {
        try (InputStream in = SmugglingTest.class.getResourceAsStream("smuggling-cases.txt")) {
            if (in == null) throw new IllegalStateException("smuggling-cases.txt is missing from the test resources");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(Case::parse)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<Arguments> table() {
        return cases().stream().map(c -> Arguments.of(Named.of(c.id() + " (" + c.source() + ")", c)));
    }

    @BeforeAll
    static void start() throws Exception {
        server = TestServers.start(IoMode.AUTO, s -> {
            s.get("/", (req, res) -> res.send("read " + req.body().length));
            s.post("/", (req, res) -> res.send("read " + req.body().length));
            s.get("/second", (req, res) -> res.send("second"));
            s.get("/probe", (req, res) -> res.send("probe"));
            s.any("/smuggled", (req, res) -> {
                SMUGGLED_RUNS.incrementAndGet();
                res.send("smuggled");
            });
        });
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void nothingIsSmuggled(Case c) throws Exception {
        SMUGGLED_RUNS.set(0);
        try (RawClient client = RawClient.connect(server)) {
            client.send(c.request());
            boolean head = new String(c.request(), 0, 5, StandardCharsets.ISO_8859_1).equals("HEAD ");
            for (int expected : c.statuses()) {
                RawClient.Resp r = client.read(head && expected >= 200);
                assertThat(r.status())
                        .as("%s: responses so far end with %s", c.id(), r.statusLine())
                        .isEqualTo(expected);
            }
            if (c.close()) {
                assertThat(client.closedByServer())
                        .as("%s: the server closes after the expected responses, saying nothing more", c.id())
                        .isTrue();
            } else {
                RawClient.Resp probe = client.send(PROBE).read();
                assertThat(probe.text())
                        .as("%s: the next response answers the probe", c.id())
                        .isEqualTo("probe");
            }
        }
        assertThat(SMUGGLED_RUNS.get())
                .as("%s: runs of the /smuggled handler", c.id())
                .isZero();
    }
}
