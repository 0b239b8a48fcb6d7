package dev.triagerules.rules.head;

import static dev.triagerules.rules.Packs.assertClass;
import static dev.triagerules.rules.Packs.assertRouting;
import static dev.triagerules.rules.Packs.head;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** examples/frankentorch-head/rules/kernel-math.drl: scalar, tensor_binary/unary/reduction/join, math. */
class KernelMathRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"scalar_math_drift", "tensor_binary_mismatch", "tensor_unary_nan", "tensor_reduction_drift", "tensor_join_shape", "MATH_error", "Scalar"})
    void everyPatternInAnyCase(String reasonCode) {
        assertClass(head(), reasonCode, "kernel_math");
    }

    @ParameterizedTest
    @CsvSource({
        "scalar_index, tensor_meta_state",
        "math_decode, serialization_parser",
        "tensor_binary_dispatch, dispatch_routing",
        "math_optimizer, kernel_math",
        "nn_state_math, kernel_math",
    })
    void precedenceAgainstOverlappingClasses(String reasonCode, String expected) {
        assertClass(head(), reasonCode, expected);
    }

    @Test
    void routing() {
        assertRouting(head(), "scalar_math_drift", "kernel_math", "critical", "ft-kernel-cpu-owners");
    }
}
