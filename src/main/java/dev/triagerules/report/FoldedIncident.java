package dev.triagerules.report;

import dev.triagerules.base.Unsigned128;
import dev.triagerules.engine.ClassifiedEntry;
import dev.triagerules.history.Determinism;

/**
 * One report incident: every failure with the same packet, suite, scenario, mode, reason
 * code and class. It keeps the first failure's fields (replay command, artifacts, seed,
 * environment), counts occurrences and tracks the latest timestamp.
 */
public final class FoldedIncident {
    private final String incidentId;
    private final ClassifiedEntry first;
    private long occurrences;
    private Unsigned128 lastSeenUnixMs;
    private final String firstInput;
    private Determinism determinism;

    FoldedIncident(String incidentId, ClassifiedEntry first) {
        this(incidentId, first, null);
    }

    FoldedIncident(String incidentId, ClassifiedEntry first, String firstInput) {
        this.incidentId = incidentId;
        this.first = first;
        this.firstInput = firstInput;
        this.occurrences = 1;
        this.lastSeenUnixMs = first.entry().tsUnixMs();
    }

    void add(ClassifiedEntry later) {
        occurrences++;
        lastSeenUnixMs = Unsigned128.max(lastSeenUnixMs, later.entry().tsUnixMs());
    }

    public String incidentId() {
        return incidentId;
    }

    /** The first failure's incident: class, policy, rule and the entry whose fields are kept. */
    public ClassifiedEntry first() {
        return first;
    }

    public long occurrences() {
        return occurrences;
    }

    /** The largest {@code ts_unix_ms} of the incident's failures (unsigned 128-bit, as upstream). */
    public Unsigned128 lastSeenUnixMs() {
        return lastSeenUnixMs;
    }

    /** The input (run) the kept first failure came from; null when the builder was told no runs. */
    public String firstInput() {
        return firstInput;
    }

    /**
     * The file the kept first failure's line is in, when the run reads several files (a JUnit
     * folder or glob: one of its reports, as read), so that its run's name does not say where
     * that line is; null for a run of one file (a JSONL log, a single report), whose name does.
     */
    public String firstFile() {
        String file = first.file();
        return firstInput == null || file == null || file.equals(firstInput) ? null : file;
    }

    /** Flaky or deterministic, and why; null when no verdict was made. */
    public Determinism determinism() {
        return determinism;
    }

    /**
     * Whether policy takes this incident out of CI gating (e.g. flaky incidents with
     * {@code flake.exclude_flaky_from_gating}); a gate such as {@code --fail-on} skips it.
     */
    public boolean gatingExcluded() {
        return determinism != null && determinism.gatingExcluded();
    }

    void determinism(Determinism determinism) {
        this.determinism = determinism;
    }
}
