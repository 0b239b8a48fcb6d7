package dev.triagerules.rules.v1;

import static dev.triagerules.rules.Packs.assertClass;
import static dev.triagerules.rules.Packs.assertRouting;
import static dev.triagerules.rules.Packs.v1;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** rules/oracle-infra.drl: "oracle" anywhere, highest precedence. */
class OracleInfraRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"oracle", "legacy_oracle_unavailable", "legacy_oracle_timeout_bounded",
        "oracle_guard_skip", "ORACLE_timeout_DISPATCH", "Oracle", "xoraclex"})
    void oracleInAnyCase(String reasonCode) {
        assertClass(v1(), reasonCode, "oracle_infra");
    }

    @ParameterizedTest
    @CsvSource({
        "oracle_dispatch_error, oracle_infra",
        "oracle_reentrant_hang, oracle_infra",
        "oracle_decode_failure, oracle_infra",
        "oracle_index_lost, oracle_infra",
        "orac_le_dispatch, dispatch_routing",
    })
    void winsOverEveryOtherClass(String reasonCode, String expected) {
        assertClass(v1(), reasonCode, expected);
    }

    @Test
    void routesToInfraOwnersAtMedium() {
        assertRouting(v1(), "legacy_oracle_unavailable", "oracle_infra", "medium", "ft-conformance-infra-owners");
    }
}
