package dev.triagerules.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReasonMasksTest {
    /** The masks of the bundled JUnit pack (examples/junit/policy/masks.yaml), as the loader reads them. */
    private static final ReasonMasks LUCI_LIKE = dev.triagerules.rules.Packs.junit().policy().masks();

    @Test
    void masksApplyInOrderToWhatTheEarlierOnesLeft() {
        assertThat(LUCI_LIKE.apply("org.opentest4j.AssertionFailedError: cache entry 0x7f3a9c21 evicted after 1534 ms"))
                .isEqualTo("org.opentest4j.AssertionFailedError: cache entry <hex> evicted after <n> ms");
        assertThat(LUCI_LIKE.apply("Timeout of 100ms exceeded; log4j v2")).isEqualTo("Timeout of <n>ms exceeded; log4j v2");
        assertThat(LUCI_LIKE.apply("decaffeinated deadbeefcafe")).as("hex runs need a digit")
                .isEqualTo("decaffeinated deadbeefcafe");
        assertThat(LUCI_LIKE.apply("stock reservation 5f1e2d3c timed out"))
                .isEqualTo("stock reservation <hex> timed out");
        assertThat(LUCI_LIKE.apply("cannot open /tmp/junit8812/db.sqlite: locked"))
                .isEqualTo("cannot open <tmp>: locked");
        // Two messages that differ only in numbers mask to one text.
        assertThat(LUCI_LIKE.apply("expected: <4> but was: <3>"))
                .isEqualTo(LUCI_LIKE.apply("expected: <40> but was: <31>"));
    }

    @Test
    void replacementIsLiteralNotAGroupReference() {
        ReasonMasks masks = ReasonMasks.of(List.of(new Mask("(\\d+)", "$1\\")));
        assertThat(masks.apply("port 8080")).isEqualTo("port $1\\");
    }

    @Test
    void noMasksLeaveTheTextAndAreOff() {
        assertThat(ReasonMasks.NONE.enabled()).isFalse();
        assertThat(ReasonMasks.of(List.of())).isSameAs(ReasonMasks.NONE);
        assertThat(ReasonMasks.NONE.apply("0x1 42")).isEqualTo("0x1 42");
        assertThat(LUCI_LIKE.enabled()).isTrue();
    }

    @Test
    void badMasksAreRefusedNamingWhich() {
        assertThatThrownBy(() -> ReasonMasks.of(List.of(new Mask("a", "b"), new Mask("(", "x"))))
                .hasMessageStartingWith("masks[1].pattern is no regular expression");
        assertThatThrownBy(() -> ReasonMasks.of(List.of(new Mask("x*", "y"))))
                .hasMessageContaining("matches the empty text");
        assertThatThrownBy(() -> ReasonMasks.of(List.of(new Mask("x", null))))
                .hasMessage("masks[0] needs a replacement");
    }
}
