package dev.triagerules.input.junit;

import dev.triagerules.input.LogEntry;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the JUnit runs of one triage share: the mapping, bound once the policy is known
 * (runs are made from {@code --input} before it is loaded), and what reading them showed
 * beyond entries: the runners' reruns and where failing tests live. Memory grows with the
 * failing test cases, not with the passing ones.
 */
public final class JunitSession {
    /** A scenario key: what reruns and locations are kept by. */
    public record Key(String packetId, String suiteId, String scenarioId, String mode) {
        static Key of(LogEntry entry) {
            return new Key(entry.packetId(), entry.suiteId(), entry.scenarioId(), entry.mode());
        }
    }

    private JunitMapper mapper;
    private final Map<Key, int[]> reruns = new LinkedHashMap<>();
    private final Map<Key, TestLocation> locations = new HashMap<>();

    /** Binds the mapping of the triage's policy; called once the rule pack is loaded. */
    public void bind(JunitPolicy policy) {
        this.mapper = new JunitMapper(policy);
    }

    JunitMapper mapper() {
        if (mapper == null) {
            throw new IllegalStateException("the JUnit mapping is bound when the request gets its rule pack");
        }
        return mapper;
    }

    void reruns(LogEntry entry, int failedAttempts, int passedAttempts) {
        int[] counts = reruns.computeIfAbsent(Key.of(entry), k -> new int[2]);
        counts[0] += failedAttempts;
        counts[1] += passedAttempts;
    }

    void failure(LogEntry entry, TestCaseResult testCase) {
        TestLocation at = TestLocation.of(testCase);
        if (at != null) {
            locations.putIfAbsent(Key.of(entry), at);
        }
    }

    /** Whether any run carried rerun evidence: then verdicts are judged. */
    public boolean hasReruns() {
        return !reruns.isEmpty();
    }

    /** Every key's failed and passed attempts over all runs, in the order first seen. */
    public void forEachRerun(RerunConsumer consumer) {
        reruns.forEach((key, counts) -> consumer.accept(key, counts[0], counts[1]));
    }

    /** Receives one key's rerun counts. */
    @FunctionalInterface
    public interface RerunConsumer {
        void accept(Key key, int failedAttempts, int passedAttempts);
    }

    /** Where the failing test of this key lives; null when no report said. */
    public TestLocation location(String packetId, String suiteId, String scenarioId, String mode) {
        return locations.get(new Key(packetId, suiteId, scenarioId, mode));
    }
}
