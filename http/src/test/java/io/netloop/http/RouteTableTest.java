package io.netloop.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netloop.http.codec.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The compiled table (a hash of literal patterns, a trie of the others) finds exactly the route
 * a walk down the list finds: the first added that matches, with the same parameter values.
 * Checked against {@link Route#match}, the list's matcher, over random tables and paths drawn
 * from a small alphabet so that they collide often.
 */
class RouteTableTest {
    private static final String[] SEGMENTS = {"a", "b", "ab", "", "{x}", "{y}"};
    private static final String[] PATH_SEGMENTS = {"a", "b", "ab", "", "c", "é"};
    private static final Method[] METHODS = {Method.GET, Method.POST, null};
    private final Handler ok = (req, res) -> res.send("ok");

    @Test
    void theTableAgreesWithTheListOnRandomTablesAndPaths() {
        Random random = new Random(42);
        for (int table = 0; table < 300; table++) {
            List<Route> routes = new ArrayList<>();
            int n = 1 + random.nextInt(12);
            for (int i = 0; i < n; i++) routes.add(new Route(METHODS[random.nextInt(3)], pattern(random), ok));
            RouteTable compiled = new RouteTable(routes);
            RouteTable.Search search = compiled.newSearch();
            RouteMatch m = new RouteMatch();
            for (int p = 0; p < 60; p++) {
                String path = path(random);
                byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
                for (Method method : new Method[] {Method.GET, Method.POST, Method.PUT}) {
                    for (boolean headFallback : new boolean[] {false, true}) {
                        Route expected = null;
                        String[] expectedValues = null;
                        for (Route r : routes) {
                            boolean takes = headFallback
                                    ? Method.GET.equals(r.method())
                                    : r.method() == null || r.method().equals(method);
                            String[] values = takes ? r.match(path) : null;
                            if (values != null) {
                                expected = r;
                                expectedValues = values;
                                break;
                            }
                        }
                        m.reset();
                        boolean found = compiled.match(method, headFallback, bytes, 0, bytes.length, search, m);
                        String what = routes + " " + method + (headFallback ? " (HEAD's GET)" : "") + " " + path;
                        assertThat(found).as(what).isEqualTo(expected != null);
                        if (found) {
                            assertThat(m.route()).as(what).isSameAs(expected);
                            assertThat(m.values()).as(what).containsExactly(expectedValues);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aLookupAllocatesNothing() {
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < 50; i++) routes.add(new Route(Method.GET, "/static/page" + i, ok));
        routes.add(new Route(Method.GET, "/users/{id}/posts/{post}", ok));
        routes.add(new Route(Method.GET, "/files/*", ok));
        RouteTable t = new RouteTable(routes);
        RouteTable.Search search = t.newSearch();
        RouteMatch m = new RouteMatch();
        byte[][] paths = {
            "/static/page37".getBytes(StandardCharsets.US_ASCII),
            "/users/7/posts/9".getBytes(StandardCharsets.US_ASCII),
            "/files/a/b.css".getBytes(StandardCharsets.US_ASCII)
        };
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        for (int i = 0; i < 200_000; i++) t.match(Method.GET, false, paths[i % 3], 0, paths[i % 3].length, search, m);
        long least = Long.MAX_VALUE;
        for (int window = 0; window < 3; window++) {
            long before = mx.getThreadAllocatedBytes(id);
            int found = 0;
            for (int i = 0; i < 30_000; i++) {
                m.reset();
                if (t.match(Method.GET, false, paths[i % 3], 0, paths[i % 3].length, search, m)) found++;
            }
            least = Math.min(least, mx.getThreadAllocatedBytes(id) - before);
            assertThat(found).isEqualTo(30_000);
        }
        assertThat(least / 30_000.0).as("bytes per lookup").isLessThan(1);
    }

    private static String pattern(Random random) {
        int depth = random.nextInt(4);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < depth; i++) b.append('/').append(SEGMENTS[random.nextInt(SEGMENTS.length)]);
        if (random.nextInt(4) == 0) b.append("/*");
        if (b.isEmpty()) b.append('/');
        // A parameter segment may not be empty, and {x} twice is allowed (the list allows it too).
        return b.toString();
    }

    private static String path(Random random) {
        int depth = random.nextInt(5);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < depth; i++) b.append('/').append(PATH_SEGMENTS[random.nextInt(PATH_SEGMENTS.length)]);
        if (b.isEmpty() || random.nextInt(5) == 0) b.append('/');
        return b.toString();
    }

    @Test
    void patternsOfTheRandomTestAreValid() {
        Random random = new Random(7);
        for (int i = 0; i < 1000; i++) {
            String p = pattern(random);
            assertThat(Arrays.asList(new Route(Method.GET, p, ok).paramNames())).doesNotContainNull();
        }
    }
}
