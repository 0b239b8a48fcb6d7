package dev.triagerules.rules.head;

import static dev.triagerules.rules.Packs.assertClass;
import static dev.triagerules.rules.Packs.assertRouting;
import static dev.triagerules.rules.Packs.head;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** examples/frankentorch-head/rules/nn-module-state.drl: nn_state. */
class NnModuleStateRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"nn_state_hook_trace_mismatch", "nn_state_mode_expectation_mismatch", "NN_STATE"})
    void everyPatternInAnyCase(String reasonCode) {
        assertClass(head(), reasonCode, "nn_module_state");
    }

    @ParameterizedTest
    @CsvSource({
        "nn_state_optimizer, nn_module_state",
        "nn_state_math, kernel_math",
        "nn_state_index, tensor_meta_state",
        "nn-state, unclassified",
    })
    void precedenceAgainstOverlappingClasses(String reasonCode, String expected) {
        assertClass(head(), reasonCode, expected);
    }

    @Test
    void routing() {
        assertRouting(head(), "nn_state_hook_trace_mismatch", "nn_module_state", "high", "ft-nn-owners");
    }
}
