package dev.triagerules.rules.v1;

import static dev.triagerules.rules.Packs.assertClass;
import static dev.triagerules.rules.Packs.assertRouting;
import static dev.triagerules.rules.Packs.v1;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** rules/serialization-parser.drl: serialization, decode, checksum, unknown_field, invalid_json, version_mismatch. */
class SerializationParserRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"serialization_expectation_mismatch", "decode_failure", "checksum_mismatch",
        "unknown_field_rejected", "invalid_json_payload", "version_mismatch", "DECODE", "Version_Mismatch",
        "SERIALIZATION"})
    void everyPatternInAnyCase(String reasonCode) {
        assertClass(v1(), reasonCode, "serialization_parser");
    }

    @ParameterizedTest
    @CsvSource({
        "serialization_rank_check, serialization_parser",
        "checksum_stride_error, serialization_parser",
        "decode_index, serialization_parser",
        "dispatch_decode, dispatch_routing",
        "scheduler_checksum, autograd_state",
        "oracle_decode, oracle_infra",
        "version_mis_match, unclassified",
    })
    void precedenceAgainstOverlappingClasses(String reasonCode, String expected) {
        assertClass(v1(), reasonCode, expected);
    }

    @Test
    void routesToSerializeOwnersAtHigh() {
        assertRouting(v1(), "checksum_mismatch", "serialization_parser", "high",
                "ft-serialize-and-durability-owners");
    }
}
