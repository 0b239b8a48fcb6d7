package dev.triagerules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
 * The package layering of the main sources, checked on every build so that it stays true:
 * a package uses only packages of lower layers (or, within a layer of several packages,
 * none of its neighbours), there is no cycle between packages, and cli/ only maps options
 * to requests and renders results.
 *
 * <p>Sources rather than class files: the compiler inlines constants, so a class file
 * can hide a dependency its source has. Every mention of {@code dev.triagerules.x.Type}
 * counts, imports, qualified names and doc links alike.
 */
class LayeringTest {
    /** Bottom to top. A new top-level package must be placed here before it can be used. */
    private static final List<Set<String>> LAYERS = List.of(
            Set.of("base"),          // plumbing with no domain
            Set.of("input"),         // log schema and readers (input.junit and other formats below it)
            Set.of("policy"),
            Set.of("engine"),        // rule compilation, cache, classifier
            Set.of("history"),       // run history, flake verdicts
            Set.of("report"),        // report model, writers and reader, severity gate
            Set.of("ledger"),        // incident ledger, a step the triage service runs
            Set.of("triage"),        // the triage service: read -> facts -> session -> incidents -> fold
            Set.of("replay", "tickets", "authoring"), // features over report, policy, engine
            Set.of("html"),          // the HTML page: a report with its replays' transcripts
            Set.of("cli"));          // picocli commands only

    private static final Path MAIN = Path.of("src", "main", "java");
    private static final Pattern PACKAGE = Pattern.compile("^package dev\\.triagerules\\.([\\w.]+);",
            Pattern.MULTILINE);
    /** {@code dev.triagerules.<package>.<Type>}: a package name is lower case, a type starts upper case. */
    private static final Pattern REFERENCE = Pattern.compile(
            "\\bdev\\.triagerules\\.((?:[a-z_][a-z0-9_]*\\.)*[a-z_][a-z0-9_]*)\\.[A-Z*]");

    /** Package (full name after dev.triagerules.) -> the packages its sources mention. */
    private static final Map<String, Set<String>> USES = new TreeMap<>();
    /** Package -> its sources' text. */
    private static final Map<String, List<String>> SOURCES = new HashMap<>();

    @BeforeAll
    static void readSources() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(MAIN)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertThat(files).as("main sources under " + MAIN.toAbsolutePath()).isNotEmpty();
        for (Path file : files) {
            String text = Files.readString(file);
            Matcher declared = PACKAGE.matcher(text);
            assertThat(declared.find()).as(file + " declares a package under dev.triagerules").isTrue();
            String pkg = declared.group(1);
            SOURCES.computeIfAbsent(pkg, k -> new ArrayList<>()).add(text);
            Set<String> uses = USES.computeIfAbsent(pkg, k -> new TreeSet<>());
            Matcher reference = REFERENCE.matcher(text);
            while (reference.find()) {
                if (!reference.group(1).equals(pkg)) {
                    uses.add(reference.group(1));
                }
            }
        }
    }

    @Test
    void everyPackageHasALayer() {
        Set<String> unplaced = new TreeSet<>();
        USES.keySet().forEach(pkg -> {
            if (layer(pkg) < 0) {
                unplaced.add(pkg);
            }
        });
        assertThat(unplaced).as("packages missing from LayeringTest.LAYERS").isEmpty();
    }

    @Test
    void packagesUseOnlyLowerLayers() {
        List<String> violations = new ArrayList<>();
        USES.forEach((pkg, uses) -> {
            int from = layer(pkg);
            for (String used : uses) {
                int to = layer(used);
                boolean sameTopLevel = topLevel(pkg).equals(topLevel(used));
                if (!sameTopLevel && to >= from) {
                    violations.add(pkg + " -> " + used);
                }
            }
        });
        assertThat(violations).as("imports from a package to one in its own or a higher layer").isEmpty();
    }

    @Test
    void noPackageCycle() {
        List<String> cycles = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (String pkg : USES.keySet()) {
            findCycle(pkg, new ArrayList<>(), done, cycles);
        }
        assertThat(cycles).as("package cycles").isEmpty();
    }

    @Test
    void cliNeitherReadsInputNorDrivesTheRules() {
        List<String> violations = new ArrayList<>();
        SOURCES.forEach((pkg, texts) -> {
            if (!topLevel(pkg).equals("cli")) {
                return;
            }
            for (String text : texts) {
                Matcher name = Pattern.compile("\\b(?:class|interface|record|enum) (\\w+)").matcher(text);
                String where = pkg + "." + (name.find() ? name.group(1) : "?");
                if (text.contains("dev.triagerules.input.")) {
                    violations.add(where + " uses the input readers");
                }
                if (text.contains("org.kie.")) {
                    violations.add(where + " drives a KIE session");
                }
                if (text.contains("dev.triagerules.engine.Classifier")) {
                    violations.add(where + " classifies failures");
                }
            }
        });
        assertThat(violations).isEmpty();
    }

    @Test
    void theLayeringCheckSeesAViolation() {
        // A check that cannot fail proves nothing: a made-up upward import must be caught.
        assertThat(layer("report")).isLessThan(layer("cli"));
        assertThat(layer("input.junit")).isEqualTo(layer("input"));
        Matcher reference = REFERENCE.matcher("import dev.triagerules.cli.Main;");
        assertThat(reference.find()).isTrue();
        assertThat(reference.group(1)).isEqualTo("cli");
    }

    private static void findCycle(String pkg, List<String> path, Set<String> done, List<String> cycles) {
        int at = path.indexOf(pkg);
        if (at >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(at, path.size()));
            cycle.add(pkg);
            cycles.add(String.join(" -> ", cycle));
            return;
        }
        if (done.contains(pkg)) {
            return;
        }
        path.add(pkg);
        for (String used : USES.getOrDefault(pkg, Set.of())) {
            findCycle(used, path, done, cycles);
        }
        path.remove(path.size() - 1);
        done.add(pkg);
    }

    private static int layer(String pkg) {
        String top = topLevel(pkg);
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(top)) {
                return i;
            }
        }
        return -1;
    }

    private static String topLevel(String pkg) {
        int dot = pkg.indexOf('.');
        return dot < 0 ? pkg : pkg.substring(0, dot);
    }
}
