package dev.triagerules.rules.v1;

import static dev.triagerules.rules.Packs.assertClass;
import static dev.triagerules.rules.Packs.assertRouting;
import static dev.triagerules.rules.Packs.v1;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** rules/tensor-meta-state.drl: tensor_meta, rank, index, stride. */
class TensorMetaStateRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"tensor_meta_expectation_mismatch", "TENSOR_META_drift", "rank_mismatch",
        "index_out_of_bounds", "stride_overflow", "réindex_über", "RANK", "Stride"})
    void everyPatternInAnyCase(String reasonCode) {
        assertClass(v1(), reasonCode, "tensor_meta_state");
    }

    @ParameterizedTest
    @CsvSource({
        "dispatch_index_mismatch, dispatch_routing",
        "serialization_rank_check, serialization_parser",
        "checksum_stride_error, serialization_parser",
        "reentrant_rank, autograd_state",
        "oracle_stride, oracle_infra",
        "tensor-meta, unclassified",
    })
    void lowestPrecedenceOfTheNamedClasses(String reasonCode, String expected) {
        assertClass(v1(), reasonCode, expected);
    }

    @Test
    void routesToCoreOwnersAtHigh() {
        assertRouting(v1(), "stride_overflow", "tensor_meta_state", "high", "ft-core-owners");
    }
}
