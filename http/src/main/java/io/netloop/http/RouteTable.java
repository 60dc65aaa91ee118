package io.netloop.http;

import io.netloop.http.codec.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The routing table compiled for matching on a path's bytes: literal patterns in a hash table
 * keyed by their bytes, patterns with parameters or a tail in a trie of segments. A lookup
 * makes no String and allocates nothing; it finds the same route the list would (the first
 * added that matches), by taking the lowest-numbered match of both structures.
 *
 * <p>Threading: immutable once built; any thread.
 */
final class RouteTable {
    private final Route[] routes;
    private final int maxParams;

    // Literal patterns: open addressing on the pattern's bytes.
    private final byte[][] keys;
    private final int[][] literal;
    private final int mask;

    private final Node root = new Node();

    /** One segment level of the patterns with parameters; route numbers are indexes into {@link #routes}. */
    private static final class Node {
        byte[][] segments = new byte[0][];
        Node[] children = new Node[0];
        Node param;
        int[] ending = new int[0];
        int[] tail = new int[0];

        Node child(byte[] segment) {
            for (int i = 0; i < segments.length; i++) {
                if (Arrays.equals(segments[i], segment)) return children[i];
            }
            Node n = new Node();
            segments = Arrays.copyOf(segments, segments.length + 1);
            children = Arrays.copyOf(children, children.length + 1);
            segments[segments.length - 1] = segment;
            children[children.length - 1] = n;
            return n;
        }
    }

    /** The scratch of one lookup; one per thread that routes (a loop, or a test). */
    static final class Search {
        int best;
        int[] captures = new int[16];
        int[] bestCaptures = new int[16];
        int bestCount;
    }

    RouteTable(List<Route> list) {
        this.routes = list.toArray(Route[]::new);
        Map<String, List<Integer>> literals = new LinkedHashMap<>();
        int params = 0;
        for (int i = 0; i < routes.length; i++) {
            Route r = routes[i];
            params = Math.max(params, r.paramNames().length);
            if (r.isLiteral()) {
                literals.computeIfAbsent(r.pattern(), k -> new ArrayList<>()).add(i);
            } else {
                Node n = root;
                for (String s : r.segments()) n = s.startsWith("{") ? param(n) : n.child(utf8(s));
                if (r.hasTail()) n.tail = append(n.tail, i);
                else n.ending = append(n.ending, i);
            }
        }
        this.maxParams = params;
        int size = Integer.highestOneBit(Math.max(4, literals.size() * 2)) << 1;
        this.keys = new byte[size][];
        this.literal = new int[size][];
        this.mask = size - 1;
        for (Map.Entry<String, List<Integer>> e : literals.entrySet()) {
            byte[] k = utf8(e.getKey());
            int slot = hash(k, 0, k.length) & mask;
            while (keys[slot] != null) slot = (slot + 1) & mask;
            keys[slot] = k;
            literal[slot] = e.getValue().stream().mapToInt(Integer::intValue).toArray();
        }
    }

    int maxParams() {
        return maxParams;
    }

    Search newSearch() {
        return new Search();
    }

    /**
     * Finds the first route that matches the path {@code a[from, to)} and takes {@code method}
     * (or, with {@code getForHead}, the first GET route: HEAD's fallback); fills {@code m}.
     *
     * @return whether a route matched
     */
    boolean match(Method method, boolean getForHead, byte[] a, int from, int to, Search s, RouteMatch m) {
        if (s.captures.length < 2 * maxParams) {
            s.captures = new int[2 * maxParams];
            s.bestCaptures = new int[2 * maxParams];
        }
        s.best = Integer.MAX_VALUE;
        s.bestCount = 0;
        int slot = hash(a, from, to) & mask;
        for (byte[] k; (k = keys[slot]) != null; slot = (slot + 1) & mask) {
            if (Arrays.equals(k, 0, k.length, a, from, to)) {
                for (int i : literal[slot]) {
                    if (takes(routes[i], method, getForHead)) {
                        s.best = i;
                        break;
                    }
                }
                break;
            }
        }
        if (from < to && a[from] == '/') walk(root, a, from + 1, to, 0, method, getForHead, s);
        if (s.best == Integer.MAX_VALUE) return false;
        m.found(routes[s.best], a, s.bestCaptures, s.bestCount);
        return true;
    }

    /** Matches the rest of the path from {@code at} (just after a "/", or {@code to + 1} when it has ended). */
    private void walk(Node n, byte[] a, int at, int to, int depth, Method method, boolean getForHead, Search s) {
        for (int i : n.tail) {
            if (i >= s.best) break;
            if (takes(routes[i], method, getForHead)) {
                // "/static/*" matches "/static" and "/static/" with an empty tail.
                int start = Math.min(at, to);
                record(s, i, depth, start, to);
                break;
            }
        }
        if (at == to + 1) {
            for (int i : n.ending) {
                if (i >= s.best) break;
                if (takes(routes[i], method, getForHead)) {
                    record(s, i, depth, -1, -1);
                    break;
                }
            }
            return;
        }
        if (at > to) return;
        int end = at;
        while (end < to && a[end] != '/') end++;
        for (int c = 0; c < n.segments.length; c++) {
            byte[] seg = n.segments[c];
            if (Arrays.equals(seg, 0, seg.length, a, at, end)) {
                walk(n.children[c], a, end + 1, to, depth, method, getForHead, s);
                break;
            }
        }
        if (n.param != null && end > at) {
            s.captures[2 * depth] = at;
            s.captures[2 * depth + 1] = end;
            walk(n.param, a, end + 1, to, depth + 1, method, getForHead, s);
        }
    }

    private static void record(Search s, int route, int depth, int tailStart, int tailEnd) {
        s.best = route;
        System.arraycopy(s.captures, 0, s.bestCaptures, 0, 2 * depth);
        s.bestCount = depth;
        if (tailStart >= 0) {
            s.bestCaptures[2 * depth] = tailStart;
            s.bestCaptures[2 * depth + 1] = tailEnd;
            s.bestCount = depth + 1;
        }
    }

    private static boolean takes(Route r, Method method, boolean getForHead) {
        if (getForHead) return Method.GET.equals(r.method());
        return r.method() == null || r.method().equals(method);
    }

    private static Node param(Node n) {
        if (n.param == null) n.param = new Node();
        return n.param;
    }

    private static int[] append(int[] a, int v) {
        int[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = v;
        return b;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int hash(byte[] a, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) h = 31 * h + a[i];
        return h ^ (h >>> 16);
    }
}
