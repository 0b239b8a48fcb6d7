package dev.triagerules.input;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SwarTest {
    @Test
    void theLowestMarkedByteOfEveryMask() {
        // Every mask of high bits there is (255 of them), against the JDK's count.
        for (int bits = 1; bits < 256; bits++) {
            long mask = 0;
            for (int b = 0; b < 8; b++) {
                if ((bits & (1 << b)) != 0) {
                    mask |= 0x80L << (8 * b);
                }
            }
            assertThat(Swar.lowestMarkedByte(mask)).as(Long.toHexString(mask))
                    .isEqualTo(Long.numberOfTrailingZeros(mask) >>> 3);
        }
    }
}
