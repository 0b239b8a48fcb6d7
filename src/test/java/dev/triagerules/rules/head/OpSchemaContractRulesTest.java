package dev.triagerules.rules.head;

import static dev.triagerules.rules.Packs.assertClass;
import static dev.triagerules.rules.Packs.assertRouting;
import static dev.triagerules.rules.Packs.head;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** examples/frankentorch-head/rules/op-schema-contract.drl: op_schema, or schema with parse/variant/alias/metadata. */
class OpSchemaContractRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"op_schema_parse_expectation_mismatch", "op_schema_dispatch_route", "schema_parse_fallback", "schema_variant_mismatch", "schema_alias_conflict", "schema_metadata_drift", "SCHEMA_Alias"})
    void everyPatternInAnyCase(String reasonCode) {
        assertClass(head(), reasonCode, "op_schema_contract");
    }

    @ParameterizedTest
    @CsvSource({
        "schema_only_drift, unclassified",
        "parse_only, unclassified",
        "op_schema_dispatch_route, op_schema_contract",
        "schema_parse_fallback, op_schema_contract",
        "scheduler_op_schema, autograd_state",
        "op_schema_decode, op_schema_contract",
    })
    void precedenceAgainstOverlappingClasses(String reasonCode, String expected) {
        assertClass(head(), reasonCode, expected);
    }

    @Test
    void routing() {
        assertRouting(head(), "op_schema_parse_expectation_mismatch", "op_schema_contract", "high", "ft-dispatch-owners");
    }
}
