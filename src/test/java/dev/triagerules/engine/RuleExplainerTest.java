package dev.triagerules.engine;

import dev.triagerules.base.FileTrees;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triagerules.rules.Packs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every matching rule regardless of precedence, and the winner from the real classification. */
class RuleExplainerTest {

    @TempDir
    Path tmp;

    private static RuleExplainer.Explanation explain(RulePack pack, String reasonCode) {
        return RuleExplainer.explain(pack, new Failure(Packs.failedEntry(reasonCode)));
    }

    private static List<String> names(List<RuleInfo> rules) {
        return rules.stream().map(RuleInfo::name).toList();
    }

    @Test
    void listsEveryMatchingRuleInPrecedenceOrderAndTheWinner() {
        var explanation = explain(Packs.v1(), "Scheduler_Dispatch_Index_Decode_Oracle");
        assertEquals(List.of("oracle_infra", "autograd_state", "dispatch_routing", "serialization_parser",
                "tensor_meta_state", "unclassified"), names(explanation.matching()));
        assertEquals("oracle_infra", explanation.winner().name());
        assertEquals(List.of("autograd_state", "dispatch_routing", "serialization_parser", "tensor_meta_state",
                "unclassified"), names(explanation.outranked()));
        assertEquals("oracle_infra", explanation.incident().getCrashClass());
        assertEquals("medium", explanation.incident().getSeverity());
        assertEquals(List.of(), explanation.tiedWithWinner());
        assertNull(explanation.error());
    }

    @Test
    void theWinnerIsTheFirstMatchingRuleInBothPacks() {
        for (String code : List.of("oracle_dispatch_error", "oracle_reentrant_hang", "scheduler_op_schema",
                "nn_state_math", "optimizer_rank", "mystery", "")) {
            for (RulePack pack : List.of(Packs.v1(), Packs.head())) {
                var explanation = explain(pack, code);
                assertEquals(explanation.matching().get(0), explanation.winner(), code);
                assertEquals(explanation.winner().crashClass(), explanation.incident().getCrashClass(), code);
            }
        }
        assertEquals(List.of("dispatch_routing", "unclassified"), names(explain(Packs.head(),
                "oracle_dispatch_error").matching()), "head: oracle alone is no longer oracle_infra");
    }

    @Test
    void catchAllOnly() {
        var explanation = explain(Packs.v1(), "mystery");
        assertEquals(List.of("unclassified"), names(explanation.matching()));
        assertEquals("unclassified", explanation.winner().name());
        assertEquals(List.of(), explanation.outranked());
    }

    @Test
    void rulesOfEqualSalienceAreReportedAsTied() throws IOException {
        Path rules = FileTrees.copy(Path.of("rules"), tmp.resolve("rules"));
        Path drl = rules.resolve("tensor-meta-state.drl");
        Files.writeString(drl, Files.readString(drl).replace("salience 200", "salience 400"));
        RulePack pack = RulePack.load(rules, Path.of("policy"));
        var explanation = explain(pack, "dispatch_index_mismatch");
        assertEquals(2, explanation.matching().size() - 1, "two tied rules plus the catch-all");
        assertEquals(1, explanation.tiedWithWinner().size());
        assertTrue(List.of("dispatch_routing", "tensor_meta_state").contains(explanation.winner().name()));
    }

    @Test
    void withoutACatchAllAnUnmatchedFailureHasNoWinner() throws IOException {
        Path rules = FileTrees.copy(Path.of("rules"), tmp.resolve("rules"));
        Files.delete(rules.resolve("unclassified.drl"));
        RulePack pack = RulePack.load(rules, Path.of("policy"));
        var explanation = explain(pack, "mystery");
        assertEquals(List.of(), explanation.matching());
        assertNull(explanation.winner());
        assertNull(explanation.incident());
        assertTrue(explanation.error().startsWith("no rule classified reason_code \"mystery\""), explanation.error());
    }
}
