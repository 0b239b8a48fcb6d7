package dev.triagerules.policy;

/**
 * Policy for one crash class, as the rules see it: the routing rule joins a classified
 * failure with the {@code ClassPolicy} of the same {@code name} to assert an incident.
 *
 * @param escalation the escalation of this class's severity, or null when that severity has none
 */
public record ClassPolicy(String name, String severity, String ownerHint, Escalation escalation) {

    /** Drools reads fact fields through bean getters. */
    public String getName() {
        return name;
    }

    public String getSeverity() {
        return severity;
    }

    public String getOwnerHint() {
        return ownerHint;
    }

    public Escalation getEscalation() {
        return escalation;
    }
}
