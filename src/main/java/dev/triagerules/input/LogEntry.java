package dev.triagerules.input;

import java.util.List;

/**
 * One line of a forensic log (a {@code StructuredCaseLog}), reduced to the fields
 * triage reads. Extra fields of the line are accepted and ignored.
 *
 * <p>{@code tsUnixMs} and {@code seed} hold unsigned 64-bit values in a {@code long}:
 * compare them with {@link Long#compareUnsigned} and print them with
 * {@link Long#toUnsignedString}.
 */
public record LogEntry(
        String schemaVersion,
        long tsUnixMs,
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

    /** The upstream rule, compared exactly: anything but {@code "pass"} is a failure. */
    public boolean failed() {
        return !"pass".equals(outcome);
    }
}
