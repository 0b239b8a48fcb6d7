package dev.triagerules.input;

import static dev.triagerules.input.LogField.ENV_FINGERPRINT;
import static dev.triagerules.input.LogField.FIXTURE_ID;
import static dev.triagerules.input.LogField.MODE;
import static dev.triagerules.input.LogField.OUTCOME;
import static dev.triagerules.input.LogField.PACKET_ID;
import static dev.triagerules.input.LogField.REASON_CODE;
import static dev.triagerules.input.LogField.REPLAY_COMMAND;
import static dev.triagerules.input.LogField.SCENARIO_ID;
import static dev.triagerules.input.LogField.SCHEMA_VERSION;
import static dev.triagerules.input.LogField.SEED;
import static dev.triagerules.input.LogField.SUITE_ID;

import dev.triagerules.base.Unsigned128;
import java.util.List;

/**
 * One line of a forensic log (a {@code StructuredCaseLog}), reduced to the fields
 * triage reads: the {@link LogField}s, in their order. Extra fields of the line are
 * accepted and ignored.
 *
 * <p>{@code seed} holds an unsigned 64-bit value in a {@code long}: compare it with
 * {@link Long#compareUnsigned} and print it with {@link Long#toUnsignedString}.
 * {@code tsUnixMs} is unsigned 128-bit, as upstream reads it.
 */
public record LogEntry(
        String schemaVersion,
        Unsigned128 tsUnixMs,
        String suiteId,
        String scenarioId,
        String fixtureId,
        String packetId,
        String mode,
        long seed,
        String envFingerprint,
        List<String> artifactRefs,
        String replayCommand,
        String outcome,
        String reasonCode) {

    /** The one outcome that is not a failure. */
    public static final String PASSING_OUTCOME = "pass";

    /** The upstream rule, compared exactly: any outcome but {@code "pass"} is a failure. */
    public static boolean isFailure(String outcome) {
        return !PASSING_OUTCOME.equals(outcome);
    }

    public boolean failed() {
        return isFailure(outcome);
    }

    /**
     * The entry of values read field by field, each array indexed by {@link LogField#ordinal()}:
     * {@code texts} for string fields, {@code numbers} for unsigned 64-bit ones.
     */
    static LogEntry of(String[] texts, long[] numbers, Unsigned128 tsUnixMs, List<String> artifactRefs) {
        return new LogEntry(texts[SCHEMA_VERSION.ordinal()], tsUnixMs,
                texts[SUITE_ID.ordinal()], texts[SCENARIO_ID.ordinal()], texts[FIXTURE_ID.ordinal()],
                texts[PACKET_ID.ordinal()], texts[MODE.ordinal()], numbers[SEED.ordinal()],
                texts[ENV_FINGERPRINT.ordinal()], artifactRefs, texts[REPLAY_COMMAND.ordinal()],
                texts[OUTCOME.ordinal()], texts[REASON_CODE.ordinal()]);
    }
}
