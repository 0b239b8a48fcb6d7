package dev.triagerules.rules.head;

import static dev.triagerules.rules.Packs.assertClass;
import static dev.triagerules.rules.Packs.assertRouting;
import static dev.triagerules.rules.Packs.head;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** examples/frankentorch-head/rules/tensor-meta-state.drl: tensor_meta, rank, index, stride. */
class TensorMetaStateRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"tensor_meta_expectation_mismatch", "TENSOR_META_drift", "rank_mismatch", "index_out_of_bounds", "stride_overflow", "réindex_über"})
    void everyPatternInAnyCase(String reasonCode) {
        assertClass(head(), reasonCode, "tensor_meta_state");
    }

    @ParameterizedTest
    @CsvSource({
        "dispatch_index_mismatch, dispatch_routing",
        "checksum_stride_error, serialization_parser",
        "scalar_index, tensor_meta_state",
        "rank_math, tensor_meta_state",
        "tensor_meta_optimizer, tensor_meta_state",
    })
    void precedenceAgainstOverlappingClasses(String reasonCode, String expected) {
        assertClass(head(), reasonCode, expected);
    }

    @Test
    void routing() {
        assertRouting(head(), "tensor_meta_expectation_mismatch", "tensor_meta_state", "high", "ft-core-owners");
    }
}
