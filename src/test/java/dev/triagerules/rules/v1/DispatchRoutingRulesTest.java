package dev.triagerules.rules.v1;

import static dev.triagerules.rules.Packs.assertClass;
import static dev.triagerules.rules.Packs.assertRouting;
import static dev.triagerules.rules.Packs.v1;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** rules/dispatch-routing.drl: dispatch, keyset, fallback. */
class DispatchRoutingRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"dispatch_expectation_mismatch", "Dispatch_Keyset_Mismatch", "keyset_conflict",
        "fallback_path_unexpected", "strict_fail_closed_dispatch", "op_schema_dispatch_route",
        "schema_parse_fallback", "DISPATCH", "KeySet", "FALLBACK"})
    void everyPatternInAnyCase(String reasonCode) {
        assertClass(v1(), reasonCode, "dispatch_routing");
    }

    @ParameterizedTest
    @CsvSource({
        "oracle_dispatch_error, oracle_infra",
        "scheduler_dispatch_conflict, autograd_state",
        "dispatch_index_mismatch, dispatch_routing",
        "dispatch_decode_failure, dispatch_routing",
        "keyset_checksum, dispatch_routing",
        "fallback_stride, dispatch_routing",
    })
    void precedenceAgainstOverlappingClasses(String reasonCode, String expected) {
        assertClass(v1(), reasonCode, expected);
    }

    @Test
    void onlyAsciiLettersAreFolded() {
        // KELVIN SIGN lowercases to 'k' under String.toLowerCase; upstream folds ASCII only.
        assertClass(v1(), "\u212Aeyset_conflict", "unclassified");
        assertClass(v1(), "DİSPATCH", "unclassified");
    }

    @Test
    void routesToDispatchOwnersAtHigh() {
        assertRouting(v1(), "keyset_conflict", "dispatch_routing", "high", "ft-dispatch-owners");
    }
}
