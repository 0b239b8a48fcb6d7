package dev.triagerules.rules.head;

import static dev.triagerules.rules.Packs.assertClass;
import static dev.triagerules.rules.Packs.assertRouting;
import static dev.triagerules.rules.Packs.head;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** examples/frankentorch-head/rules/unclassified.drl: the catch-all. */
class UnclassifiedRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"totally_unknown_reason_code", "oracle_guard_skip", "schema_only_drift", ""})
    void everyPatternInAnyCase(String reasonCode) {
        assertClass(head(), reasonCode, "unclassified");
    }

    @ParameterizedTest
    @CsvSource({
        "mystery, unclassified",
        "oracle, unclassified",
        "timeout, unclassified",
    })
    void precedenceAgainstOverlappingClasses(String reasonCode, String expected) {
        assertClass(head(), reasonCode, expected);
    }

    @Test
    void routing() {
        assertRouting(head(), "totally_unknown_reason_code", "unclassified", "high", "crash-triage-owner");
    }
}
