package dev.triagerules.engine;

import dev.triagerules.policy.ClassPolicy;
import dev.triagerules.policy.Escalation;

/**
 * What the routing rule asserts for each classified failure: the failure plus the
 * severity, owner and escalation its class has in policy. Java folds these into report
 * incidents.
 */
public final class Incident {
    private final Failure failure;
    private final ClassPolicy policy;
    private final String incidentId;

    public Incident(Failure failure, ClassPolicy policy) {
        this.failure = failure;
        this.policy = policy;
        // Made here, on the thread running the rules, rather than by the reader folding incidents.
        this.incidentId = failure.getMaskedReasonCode() == null
                ? IncidentId.of(failure.getPacketId(), failure.getSuiteId(), failure.getScenarioId(), failure.getMode(),
                        failure.getReasonCode(), policy.name())
                : IncidentId.masked(failure.getPacketId(), failure.getSuiteId(), failure.getScenarioId(),
                        failure.getMode(), failure.getMaskedReasonCode(), policy.name());
    }

    public Failure getFailure() {
        return failure;
    }

    public String getCrashClass() {
        return policy.name();
    }

    public String getSeverity() {
        return policy.severity();
    }

    public String getOwnerHint() {
        return policy.ownerHint();
    }

    /** Null when the class's severity has no escalation. */
    public Escalation getEscalation() {
        return policy.escalation();
    }

    public String getRule() {
        return failure.getRule();
    }

    /** The deterministic id of the incident this failure folds into. */
    public String incidentId() {
        return incidentId;
    }
}
