package dev.triagerules.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictTest {

    private static List<RunResult> exits(int... codes) {
        return Arrays.stream(codes).mapToObj(code -> new RunResult(code, false, Instant.EPOCH, 1,
                new BoundedOutput(8, 8))).toList();
    }

    @Test
    void allPassedIsNotReproduced() {
        assertEquals(Verdict.NOT_REPRODUCED, Verdict.of(exits(0, 0, 0)));
    }

    @Test
    void failingInAtLeastHalfTheAttemptsIsReproduced() {
        assertEquals(Verdict.REPRODUCED, Verdict.of(exits(1, 1, 1)));
        assertEquals(Verdict.REPRODUCED, Verdict.of(exits(1, 0, 2)));
        assertEquals(Verdict.REPRODUCED, Verdict.of(exits(0, 1)));
        assertEquals(Verdict.REPRODUCED, Verdict.of(exits(1)));
    }

    @Test
    void failingInFewerThanHalfIsFlaky() {
        assertEquals(Verdict.FLAKY, Verdict.of(exits(0, 1, 0)));
        assertEquals(Verdict.FLAKY, Verdict.of(exits(0, 0, 0, 139)));
    }

    @Test
    void aTimedOutAttemptMakesItHung() {
        List<RunResult> attempts = List.of(exits(1).get(0),
                new RunResult(137, true, Instant.EPOCH, 1, new BoundedOutput(8, 8)));
        assertEquals(Verdict.HUNG, Verdict.of(attempts));
    }

    @Test
    void aProgramThatCouldNotStartIsNotRunnableNeitherPassNorFailure() {
        assertEquals(Verdict.NOT_RUNNABLE, Verdict.of(exits(127)));
        assertEquals(Verdict.NOT_RUNNABLE, Verdict.of(exits(126)));
        assertEquals(Verdict.NOT_RUNNABLE, Verdict.of(exits(1, 127)), "the attempt that could not start decides");
        assertEquals(false, exits(127).get(0).failed());
        assertEquals(true, exits(127).get(0).notRunnable());
        assertEquals(false, new RunResult(127, true, Instant.EPOCH, 1, new BoundedOutput(8, 8)).notRunnable(),
                "a timed-out attempt is hung, whatever its status");
        assertEquals("not_runnable", Verdict.NOT_RUNNABLE.label());
    }

    @Test
    void labelsAreSnakeCase() {
        assertEquals("not_reproduced", Verdict.NOT_REPRODUCED.label());
        assertEquals(Verdict.HUNG, Verdict.fromLabel("hung"));
    }
}
