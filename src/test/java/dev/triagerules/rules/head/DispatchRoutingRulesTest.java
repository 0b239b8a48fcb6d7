package dev.triagerules.rules.head;

import static dev.triagerules.rules.Packs.assertClass;
import static dev.triagerules.rules.Packs.assertRouting;
import static dev.triagerules.rules.Packs.head;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** examples/frankentorch-head/rules/dispatch-routing.drl: dispatch, keyset, fallback. */
class DispatchRoutingRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"dispatch_expectation_mismatch", "Dispatch_Keyset_Mismatch", "keyset_conflict", "fallback_path_unexpected", "strict_fail_closed_dispatch", "oracle_dispatch_error"})
    void everyPatternInAnyCase(String reasonCode) {
        assertClass(head(), reasonCode, "dispatch_routing");
    }

    @ParameterizedTest
    @CsvSource({
        "dispatch_index_mismatch, dispatch_routing",
        "scheduler_dispatch_conflict, autograd_state",
        "op_schema_dispatch_route, op_schema_contract",
        "fallback_decode, dispatch_routing",
        "keyset_math, dispatch_routing",
    })
    void precedenceAgainstOverlappingClasses(String reasonCode, String expected) {
        assertClass(head(), reasonCode, expected);
    }

    @Test
    void routing() {
        assertRouting(head(), "dispatch_expectation_mismatch", "dispatch_routing", "high", "ft-dispatch-owners");
    }
}
