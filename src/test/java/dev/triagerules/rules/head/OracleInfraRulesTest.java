package dev.triagerules.rules.head;

import static dev.triagerules.rules.Packs.assertClass;
import static dev.triagerules.rules.Packs.assertRouting;
import static dev.triagerules.rules.Packs.head;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** examples/frankentorch-head/rules/oracle-infra.drl: oracle with unavailable or timeout; highest precedence. */
class OracleInfraRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"legacy_oracle_unavailable", "legacy_oracle_timeout_bounded", "ORACLE_timeout_DISPATCH", "Oracle_Unavailable", "timeout_oracle"})
    void everyPatternInAnyCase(String reasonCode) {
        assertClass(head(), reasonCode, "oracle_infra");
    }

    @ParameterizedTest
    @CsvSource({
        "oracle_guard_skip, unclassified",
        "oracle_dispatch_error, dispatch_routing",
        "oracle_reentrant_hang, autograd_state",
        "oracle_timeout_reentrant, oracle_infra",
        "oracle_unavailable_decode, oracle_infra",
        "timeout_only, unclassified",
    })
    void precedenceAgainstOverlappingClasses(String reasonCode, String expected) {
        assertClass(head(), reasonCode, expected);
    }

    @Test
    void routing() {
        assertRouting(head(), "legacy_oracle_unavailable", "oracle_infra", "medium", "ft-conformance-infra-owners");
    }
}
