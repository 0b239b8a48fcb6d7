package dev.triagerules.rules.v1;

import static dev.triagerules.rules.Packs.assertClass;
import static dev.triagerules.rules.Packs.assertRouting;
import static dev.triagerules.rules.Packs.classify;
import static dev.triagerules.rules.Packs.v1;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** rules/unclassified.drl: the catch-all for codes no other rule claims. */
class UnclassifiedRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "totally_unknown_reason_code", "scalar_math_drift", "nn_state_hook_trace_mismatch",
        "optimizer_step_mismatch", "op_schema_parse_expectation_mismatch", "schema_only_drift",
        "line\nbreak\ttab \"quoted\" \\ back", "日本"})
    void unmatchedCodes(String reasonCode) {
        assertClass(v1(), reasonCode, "unclassified");
    }

    @Test
    void routesToTriageOwnerAtHighWithoutEscalation() {
        assertRouting(v1(), "mystery", "unclassified", "high", "crash-triage-owner");
        assertNull(classify(v1(), "mystery").getEscalation());
    }
}
