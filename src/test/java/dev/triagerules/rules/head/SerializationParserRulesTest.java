package dev.triagerules.rules.head;

import static dev.triagerules.rules.Packs.assertClass;
import static dev.triagerules.rules.Packs.assertRouting;
import static dev.triagerules.rules.Packs.head;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** examples/frankentorch-head/rules/serialization-parser.drl: serialization, decode, checksum, unknown_field, invalid_json, version_mismatch. */
class SerializationParserRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"serialization_expectation_mismatch", "decode_failure", "checksum_mismatch", "unknown_field_rejected", "invalid_json_payload", "version_mismatch", "DECODE"})
    void everyPatternInAnyCase(String reasonCode) {
        assertClass(head(), reasonCode, "serialization_parser");
    }

    @ParameterizedTest
    @CsvSource({
        "serialization_rank_check, serialization_parser",
        "checksum_stride_error, serialization_parser",
        "dispatch_decode, dispatch_routing",
        "decode_math, serialization_parser",
        "schema_parse_decode, op_schema_contract",
    })
    void precedenceAgainstOverlappingClasses(String reasonCode, String expected) {
        assertClass(head(), reasonCode, expected);
    }

    @Test
    void routing() {
        assertRouting(head(), "serialization_expectation_mismatch", "serialization_parser", "high", "ft-serialize-and-durability-owners");
    }
}
