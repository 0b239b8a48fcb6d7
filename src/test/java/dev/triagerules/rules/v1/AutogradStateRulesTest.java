package dev.triagerules.rules.v1;

import static dev.triagerules.rules.Packs.assertClass;
import static dev.triagerules.rules.Packs.assertRouting;
import static dev.triagerules.rules.Packs.classify;
import static dev.triagerules.rules.Packs.v1;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** rules/autograd-state.drl: reentrant, dependency, unknown_node, scheduler. */
class AutogradStateRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"reentrant_depth_overflow", "REENTRANT_guard_tripped", "dependency_cycle_detected",
        "unknown_node_reference", "UNKNOWN_NODE", "scheduler_expectation_mismatch", "Scheduler_Queue_Stall"})
    void everyPatternInAnyCase(String reasonCode) {
        assertClass(v1(), reasonCode, "autograd_state");
    }

    @ParameterizedTest
    @CsvSource({
        "scheduler_dispatch_conflict, autograd_state",
        "reentrant_decode, autograd_state",
        "dependency_index_gap, autograd_state",
        "oracle_reentrant_hang, oracle_infra",
        "unknown-node, unclassified",
    })
    void precedenceAgainstOverlappingClasses(String reasonCode, String expected) {
        assertClass(v1(), reasonCode, expected);
    }

    @Test
    void isCriticalAndEscalated() {
        assertRouting(v1(), "dependency_cycle_detected", "autograd_state", "critical", "ft-autograd-owners");
        var escalation = classify(v1(), "dependency_cycle_detected").getEscalation();
        assertEquals("bd-3v0.7", escalation.linkedBeadId());
        assertEquals(true, escalation.replayTranscriptRequired());
    }
}
