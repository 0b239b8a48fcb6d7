package dev.triagerules.rules;

import dev.triagerules.base.Unsigned128;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.triagerules.engine.Classifier;
import dev.triagerules.engine.Failure;
import dev.triagerules.engine.Incident;
import dev.triagerules.engine.RulePack;
import dev.triagerules.input.LogEntry;
import java.nio.file.Path;
import java.util.List;

/**
 * The shipped rule packs, each compiled once per test JVM; every classification
 * runs in a fresh session.
 */
public final class Packs {
    private static RulePack v1;
    private static RulePack head;
    private static RulePack junit;

    private Packs() {
    }

    /** The bundled default pack: {@code rules/} + {@code policy/} (upstream v1). */
    public static synchronized RulePack v1() {
        if (v1 == null) {
            v1 = RulePack.load(Path.of("rules"), Path.of("policy"));
        }
        return v1;
    }

    /** {@code examples/frankentorch-head}: the upstream's later ten-class map. */
    public static synchronized RulePack head() {
        if (head == null) {
            Path dir = Path.of("examples", "frankentorch-head");
            head = RulePack.load(dir.resolve("rules"), dir.resolve("policy"));
        }
        return head;
    }

    /** {@code examples/junit}: general test failures from JUnit XML, masks on. */
    public static synchronized RulePack junit() {
        if (junit == null) {
            Path dir = Path.of("examples", "junit");
            junit = RulePack.load(dir.resolve("rules"), dir.resolve("policy"));
        }
        return junit;
    }

    public static LogEntry failedEntry(String reasonCode) {
        return new LogEntry("ft-conformance-log-v1", Unsigned128.of(1771275651615L), "dispatch_key", "s1", "fixture.json",
                "FT-P2C-002", "strict", 7, "det64:1a5adcb7cc17c7fa", List.of("a.json"), "cargo test x", "fail",
                reasonCode);
    }

    public static Incident classify(RulePack pack, String reasonCode) {
        List<Incident> incidents = Classifier.classify(pack, List.of(new Failure(failedEntry(reasonCode))));
        assertEquals(1, incidents.size(), "one incident per failure");
        return incidents.get(0);
    }

    /** The class a pack assigns to a failed entry with this reason code. */
    public static String classifyWith(RulePack pack, String reasonCode) {
        return classify(pack, reasonCode).getCrashClass();
    }
}
