package dev.triagerules.rules.head;

import static dev.triagerules.rules.Packs.assertClass;
import static dev.triagerules.rules.Packs.assertRouting;
import static dev.triagerules.rules.Packs.head;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** examples/frankentorch-head/rules/optimizer-state.drl: optimizer. */
class OptimizerStateRulesTest {

    @ParameterizedTest
    @ValueSource(strings = {"optimizer_step_mismatch", "Optimizer_State_Drift", "OPTIMIZER"})
    void everyPatternInAnyCase(String reasonCode) {
        assertClass(head(), reasonCode, "optimizer_state");
    }

    @ParameterizedTest
    @CsvSource({
        "optimizer_math, kernel_math",
        "nn_state_optimizer, nn_module_state",
        "optimizer_rank, tensor_meta_state",
        "optim_step, unclassified",
    })
    void precedenceAgainstOverlappingClasses(String reasonCode, String expected) {
        assertClass(head(), reasonCode, expected);
    }

    @Test
    void routing() {
        assertRouting(head(), "optimizer_step_mismatch", "optimizer_state", "high", "ft-optim-owners");
    }
}
