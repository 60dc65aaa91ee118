package io.netloop.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.attribute.ModuleAttribute;
import java.lang.classfile.attribute.ModuleExportInfo;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.constantpool.Utf8Entry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The architecture as tests, over the compiled classes of every module (the JDK's class-file
 * API reads what each class refers to): the layers of core point one way, no package depends
 * on itself through others, only core calls the kernel, and the classes that grew too big
 * once stay split.
 */
class ArchitectureTest {
    private static final List<String> MODULES =
            List.of("testing", "core", "apps", "http", "chat", "cli", "bench", "examples");
    private static final Pattern DESCRIPTOR_CLASS = Pattern.compile("L(io/netloop/[\\w/$]+);");

    /**
     * Core's layers, bottom up: a package may use only packages of a lower rank. Two packages of
     * one rank are independent of each other (the two transports, tcp and udp, tls and proxy).
     */
    private static final Map<String, Integer> CORE_RANKS = new LinkedHashMap<>();

    static {
        CORE_RANKS.put("io.netloop.core.sys", 0);
        CORE_RANKS.put("io.netloop.core.sys.linux", 1);
        CORE_RANKS.put("io.netloop.core.buffer", 1);
        CORE_RANKS.put("io.netloop.core.file", 2);
        CORE_RANKS.put("io.netloop.core.transport", 3);
        CORE_RANKS.put("io.netloop.core.transport.linux", 4);
        CORE_RANKS.put("io.netloop.core.transport.nio", 4);
        // io_uring's sockets are descriptors too: it shares the linux transport's socket options.
        CORE_RANKS.put("io.netloop.core.transport.uring", 5);
        CORE_RANKS.put("io.netloop.core.loop", 6);
        CORE_RANKS.put("io.netloop.core.tcp.internal", 7);
        CORE_RANKS.put("io.netloop.core.tcp", 8);
        CORE_RANKS.put("io.netloop.core.udp", 8);
        CORE_RANKS.put("io.netloop.core.tls", 9);
        CORE_RANKS.put("io.netloop.core.proxy", 9);
    }

    /** Class name (dotted) to its module, and to the classes it refers to. */
    private static final Map<String, String> MODULE_OF = new TreeMap<>();

    private static final Map<String, Set<String>> REFERENCES = new TreeMap<>();

    @BeforeAll
    static void readEveryClass() throws IOException {
        for (String module : MODULES) {
            Path classes = root().resolve(module).resolve("target/classes");
            assertThat(classes)
                    .as("compiled classes of " + module + " (this module builds last)")
                    .isDirectory();
            try (Stream<Path> s = Files.walk(classes)) {
                for (Path file : s.filter(p -> p.toString().endsWith(".class")).toList()) {
                    if (file.getFileName().toString().equals("module-info.class")) continue;
                    ClassModel model = ClassFile.of().parse(Files.readAllBytes(file));
                    String name = dotted(model.thisClass().asInternalName());
                    MODULE_OF.put(name, module);
                    REFERENCES.put(name, referencesOf(model));
                }
            }
        }
        assertThat(MODULE_OF).as("classes read").hasSizeGreaterThan(300);
    }

    private static Set<String> referencesOf(ClassModel model) {
        Set<String> refs = new TreeSet<>();
        for (PoolEntry e : model.constantPool()) {
            if (e instanceof ClassEntry c) {
                String n = c.asInternalName();
                if (!n.startsWith("[")) refs.add(dotted(n));
            } else if (e instanceof Utf8Entry u) {
                // Field and method types, generic signatures, annotations: every class they name.
                Matcher m = DESCRIPTOR_CLASS.matcher(u.stringValue());
                while (m.find()) refs.add(dotted(m.group(1)));
                if (u.stringValue().startsWith("java/lang/foreign/")) refs.add(dotted(u.stringValue()));
            }
        }
        return refs;
    }

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        Map<String, Set<String>> graph = packageGraph();
        List<List<String>> cycles =
                stronglyConnected(graph).stream().filter(c -> c.size() > 1).toList();
        assertThat(cycles)
                .as("package cycles (each list: packages that depend on each other)")
                .isEmpty();
    }

    @Test
    void coreLayersPointOneWay() {
        List<String> violations = new ArrayList<>();
        packageGraph().forEach((from, tos) -> {
            Integer rank = CORE_RANKS.get(from);
            if (!from.startsWith("io.netloop.core")) return;
            assertThat(rank)
                    .as("core package " + from + " has a place among the layers")
                    .isNotNull();
            for (String to : tos) {
                Integer toRank = CORE_RANKS.get(to);
                if (toRank != null && toRank >= rank) violations.add(from + " -> " + to);
            }
        });
        assertThat(violations)
                .as("uses of a package of the same or a higher layer")
                .isEmpty();
    }

    @Test
    void onlyCoreCallsTheKernel() {
        List<String> outside = new ArrayList<>();
        List<String> insideCoreButNotTheBindings = new ArrayList<>();
        REFERENCES.forEach((cls, refs) -> {
            boolean bindings = refs.stream().anyMatch(r -> r.startsWith("io.netloop.core.sys.linux."));
            boolean linker = refs.stream()
                    .anyMatch(r -> r.equals("java.lang.foreign.Linker") || r.equals("java.lang.foreign.SymbolLookup"));
            if (!MODULE_OF.get(cls).equals("core")) {
                if (bindings || linker) outside.add(cls);
            } else if (linker && !packageOf(cls).equals("io.netloop.core.sys.linux")) {
                insideCoreButNotTheBindings.add(cls);
            }
        });
        assertThat(outside)
                .as("classes outside core that call the kernel (the bindings or the FFM linker)")
                .isEmpty();
        assertThat(insideCoreButNotTheBindings)
                .as("core classes that link native functions outside sys.linux")
                .isEmpty();
    }

    @Test
    void httpKnowsNothingOfWebSocket() {
        List<String> uses = new ArrayList<>();
        REFERENCES.forEach((cls, refs) -> {
            if (packageOf(cls).equals("io.netloop.http")
                    && refs.stream().anyMatch(r -> r.startsWith("io.netloop.http.websocket."))) {
                uses.add(cls);
            }
        });
        assertThat(uses).isEmpty();
    }

    @Test
    void theHttpWireFormatKnowsNothingOfTheServer() {
        List<String> uses = new ArrayList<>();
        REFERENCES.forEach((cls, refs) -> {
            if (packageOf(cls).equals("io.netloop.http.codec")
                    && refs.stream()
                            .anyMatch(r -> packageOf(r).startsWith("io.netloop.http")
                                    && !packageOf(r).equals("io.netloop.http.codec"))) {
                uses.add(cls);
            }
        });
        assertThat(uses).isEmpty();
    }

    @Test
    void coreExportsItsApiAndHidesItsInternals() throws IOException {
        ClassModel info =
                ClassFile.of().parse(Files.readAllBytes(root().resolve("core/target/classes/module-info.class")));
        ModuleAttribute module =
                info.findAttribute(java.lang.classfile.Attributes.module()).orElseThrow();
        Set<String> exported = new TreeSet<>();
        for (ModuleExportInfo e : module.exports()) {
            assertThat(e.exportsTo())
                    .as("qualified exports of " + e.exportedPackage().name())
                    .isEmpty();
            exported.add(e.exportedPackage().name().stringValue().replace('/', '.'));
        }
        assertThat(exported)
                .containsExactlyInAnyOrder(
                        "io.netloop.core.buffer",
                        "io.netloop.core.file",
                        "io.netloop.core.loop",
                        "io.netloop.core.proxy",
                        "io.netloop.core.sys",
                        "io.netloop.core.tcp",
                        "io.netloop.core.tls",
                        "io.netloop.core.transport",
                        "io.netloop.core.udp");
    }

    /** Launcher, scripts, builds and jars: native access goes to named modules only (io.netloop.core, Netty's). */
    @Test
    void nothingGrantsNativeAccessToTheUnnamedModule() throws IOException {
        List<String> grants = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root())) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                String r = root().relativize(p).toString();
                if (r.startsWith(".git") || r.contains("/target/") || r.startsWith("bench/results")) continue;
                String name = p.getFileName().toString();
                if (!(name.equals("pom.xml")
                        || name.endsWith(".sh")
                        || name.equals("netloop")
                        || name.endsWith(".java")
                        || name.equals("MANIFEST.MF")
                        || name.equals("run"))) continue;
                List<String> lines = Files.readAllLines(p);
                for (int i = 0; i < lines.size(); i++) {
                    String l = lines.get(i);
                    if (l.contains("enable-native-access=ALL-UNNAMED")
                            || l.contains("Enable-Native-Access: ALL-UNNAMED")
                            || (l.contains("Enable-Native-Access>") && l.contains("ALL-UNNAMED"))) {
                        if (!r.endsWith("Native.java") && !r.endsWith("ArchitectureTest.java"))
                            grants.add(r + ":" + (i + 1) + ": " + l.strip());
                    }
                }
            }
        }
        assertThat(grants).isEmpty();
    }

    @Test
    void noCorePackageHoldsMoreThanTwentyFiles() throws IOException {
        Map<String, Long> counts = new TreeMap<>();
        Path src = root().resolve("core/src/main/java");
        try (Stream<Path> s = Files.walk(src)) {
            s.filter(p -> p.toString().endsWith(".java")
                            && !p.getFileName().toString().equals("module-info.java"))
                    .forEach(p -> counts.merge(
                            src.relativize(p.getParent()).toString().replace('/', '.'), 1L, Long::sum));
        }
        assertThat(counts).allSatisfy((pkg, n) -> assertThat(n).as(pkg).isLessThanOrEqualTo(20));
    }

    @Test
    void theConnectionClassesStaySplit() throws IOException {
        assertThat(lines("core/src/main/java/io/netloop/core/tcp/TcpConnection.java"))
                .isLessThan(600);
        assertThat(lines("http/src/main/java/io/netloop/http/HttpConnection.java"))
                .isLessThan(500);
    }

    private static long lines(String path) throws IOException {
        try (Stream<String> s = Files.lines(root().resolve(path))) {
            return s.count();
        }
    }

    /** netloop's packages and the netloop packages each uses. */
    private static Map<String, Set<String>> packageGraph() {
        Map<String, Set<String>> graph = new TreeMap<>();
        REFERENCES.forEach((cls, refs) -> {
            String from = packageOf(cls);
            Set<String> tos = graph.computeIfAbsent(from, k -> new TreeSet<>());
            for (String r : refs) {
                if (!r.startsWith("io.netloop.") || !MODULE_OF.containsKey(r)) continue;
                String to = packageOf(r);
                if (!to.equals(from)) tos.add(to);
            }
        });
        return graph;
    }

    /** Tarjan's strongly connected components. */
    private static List<List<String>> stronglyConnected(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<List<String>> out = new ArrayList<>();
        int[] counter = {0};
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) connect(v, graph, index, low, stack, onStack, out, counter);
        }
        return out;
    }

    private static void connect(
            String v,
            Map<String, Set<String>> graph,
            Map<String, Integer> index,
            Map<String, Integer> low,
            Deque<String> stack,
            Set<String> onStack,
            List<List<String>> out,
            int[] counter) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, onStack, out, counter);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            List<String> component = new ArrayList<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            out.add(component);
        }
    }

    private static String packageOf(String cls) {
        return cls.substring(0, cls.lastIndexOf('.'));
    }

    private static String dotted(String internal) {
        return internal.replace('/', '.');
    }

    private static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("checks/pom.xml")) ? here : here.getParent();
    }
}
