package dev.triagerules.rules.head;

import static dev.triagerules.rules.Packs.assertClass;
import static dev.triagerules.rules.Packs.assertRouting;
import static dev.triagerules.rules.Packs.head;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** examples/frankentorch-head/rules/autograd-state.drl: reentrant, dependency, unknown_node, scheduler. */
class AutogradStateRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"reentrant_depth_overflow", "REENTRANT_guard_tripped", "dependency_cycle_detected", "unknown_node_reference", "Scheduler_Queue_Stall"})
    void everyPatternInAnyCase(String reasonCode) {
        assertClass(head(), reasonCode, "autograd_state");
    }

    @ParameterizedTest
    @CsvSource({
        "scheduler_dispatch_conflict, autograd_state",
        "oracle_reentrant_hang, autograd_state",
        "scheduler_op_schema, autograd_state",
        "oracle_timeout_scheduler, oracle_infra",
        "scheduler_math, autograd_state",
    })
    void precedenceAgainstOverlappingClasses(String reasonCode, String expected) {
        assertClass(head(), reasonCode, expected);
    }

    @Test
    void routing() {
        assertRouting(head(), "reentrant_depth_overflow", "autograd_state", "critical", "ft-autograd-owners");
    }
}
