package dev.triagerules.report;

import dev.triagerules.engine.Incident;

/**
 * One report incident: every failure with the same packet, suite, scenario, mode, reason
 * code and class. It keeps the first failure's fields (replay command, artifacts, seed,
 * environment), counts occurrences and tracks the latest timestamp.
 */
public final class FoldedIncident {
    private final String incidentId;
    private final Incident first;
    private long occurrences;
    private long lastSeenUnixMs;

    FoldedIncident(String incidentId, Incident first) {
        this.incidentId = incidentId;
        this.first = first;
        this.occurrences = 1;
        this.lastSeenUnixMs = first.getFailure().getEntry().tsUnixMs();
    }

    void add(Incident later) {
        occurrences++;
        long ts = later.getFailure().getEntry().tsUnixMs();
        if (Long.compareUnsigned(ts, lastSeenUnixMs) > 0) {
            lastSeenUnixMs = ts;
        }
    }

    public String incidentId() {
        return incidentId;
    }

    /** The first failure's incident: class, policy, rule and the entry whose fields are kept. */
    public Incident first() {
        return first;
    }

    public long occurrences() {
        return occurrences;
    }

    /** Unsigned 64-bit milliseconds. */
    public long lastSeenUnixMs() {
        return lastSeenUnixMs;
    }
}
