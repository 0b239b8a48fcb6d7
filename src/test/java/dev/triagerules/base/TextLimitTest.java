package dev.triagerules.base;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextLimitTest {
    @Test
    void cutsToTheLimitButNeverBetweenTheHalvesOfAPair() {
        String rockets = "ab\uD83D\uDE80\uD83D\uDE80";
        assertThat(TextLimit.cut(rockets, 10)).isSameAs(rockets);
        assertThat(TextLimit.cut(rockets, 4)).isEqualTo("ab\uD83D\uDE80");
        assertThat(TextLimit.cut(rockets, 3)).isEqualTo("ab");
        assertThat(TextLimit.cut(rockets, 5)).isEqualTo("ab\uD83D\uDE80");
        assertThat(TextLimit.cut(rockets, 0)).isEmpty();
        // A lone surrogate of the input is cut like any char: it was no pair to keep whole.
        assertThat(TextLimit.cut("a\uD83Db", 2)).isEqualTo("a\uD83D");
    }
}
