package dev.triagerules.ledger;

import dev.triagerules.engine.SessionFact;
import org.kie.api.definition.type.ClassReactive;
import org.kie.api.runtime.rule.RuleContext;

/**
 * The fact the lifecycle rules ({@code rules/lifecycle.drl}) see: one per incident the
 * ledger knows that is open, or that this run saw, with what the ledger recorded about it
 * before this run and what this run adds.
 *
 * <p>A rule guards on {@code nextStatus == null} and claims the fact with
 * {@code modify( $i ) { decide( drools, "recurring", "why" ) }}; the first to fire (highest
 * salience) wins. Every fact must be claimed: a rule that keeps the status says so with
 * {@code decide( drools, $i.status, "why" )}.
 *
 * <p>Before any status rule, a rule says how many passing runs resolve the incident, with
 * {@code modify( $i ) { resolveAfter( drools, 10, "why" ) }}: the status rules compare
 * {@code passingRunsSinceSeen} with it, and the ledger keeps it, because a scenario's flake
 * history restarts only after a passing streak that long ({@link RunRecorder}).
 */
@SessionFact
@ClassReactive // decide() is no bean setter: property reactivity would not see it change nextStatus
public final class IncidentLifecycle {
    private final RunFacts.SeenIncident incident;
    private final String status;
    private final boolean seen;
    private final long occurrences;
    private final int runsSeen;
    private final int runsSinceSeen;
    private final int passingRunsSinceSeen;
    private final int replayAttempts;
    private final int replayPasses;
    private final int replayFailures;
    private final int replayHung;
    private final int regressions;
    private final String lastVerdict;

    private int passingRunsToResolve;
    private String passingRunsToResolveReason;
    private String nextStatus;
    private String rule;
    private String reason;

    IncidentLifecycle(RunFacts.SeenIncident incident, String status, boolean seen, long occurrences, int runsSeen,
            int runsSinceSeen, int passingRunsSinceSeen, int replayAttempts, int replayPasses, int replayFailures,
            int replayHung, int regressions, String lastVerdict) {
        this.incident = incident;
        this.status = status;
        this.seen = seen;
        this.occurrences = occurrences;
        this.runsSeen = runsSeen;
        this.runsSinceSeen = runsSinceSeen;
        this.passingRunsSinceSeen = passingRunsSinceSeen;
        this.replayAttempts = replayAttempts;
        this.replayPasses = replayPasses;
        this.replayFailures = replayFailures;
        this.replayHung = replayHung;
        this.regressions = regressions;
        this.lastVerdict = lastVerdict;
    }

    // ---- what rules set ----

    /** Called from a rule's consequence, inside {@code modify}: the status after this run, and why. */
    public void decide(RuleContext drools, String status, String why) {
        if (!LifecycleStatus.known(status)) {
            throw new IllegalArgumentException("rule \"" + drools.getRule().getName() + "\" sets status \""
                    + status + "\"; a status is one of " + LifecycleStatus.ALL);
        }
        this.nextStatus = status;
        this.rule = drools.getRule().getName();
        this.reason = why;
    }

    /**
     * Called from a rule's consequence, inside {@code modify}: the passing runs (since it was
     * last seen) that resolve it, at least 1, and why that many (a status rule's reason may say).
     */
    public void resolveAfter(RuleContext drools, int runs, String why) {
        if (runs < 1) {
            throw new IllegalArgumentException("rule \"" + drools.getRule().getName()
                    + "\" sets the passing runs that resolve an incident to " + runs + "; it must be at least 1");
        }
        this.passingRunsToResolve = runs;
        this.passingRunsToResolveReason = why;
    }

    // ---- what rules read ----

    public String getIncidentId() {
        return incident.incidentId();
    }

    public String getCrashClass() {
        return incident.crashClass();
    }

    public String getSeverity() {
        return incident.severity();
    }

    public String getPacketId() {
        return incident.packetId();
    }

    public String getSuiteId() {
        return incident.suiteId();
    }

    public String getScenarioId() {
        return incident.scenarioId();
    }

    public String getMode() {
        return incident.mode();
    }

    public String getReasonCode() {
        return incident.reasonCode();
    }

    /** The status before this run; null when the ledger has never seen the incident. */
    public String getStatus() {
        return status;
    }

    /** Whether this run saw the incident. */
    public boolean isSeen() {
        return seen;
    }

    /** Its failures in this run (0 when not seen). */
    public long getOccurrences() {
        return occurrences;
    }

    /** Recorded runs that saw it, this one included. */
    public int getRunsSeen() {
        return runsSeen;
    }

    /** Recorded runs since it was last seen in which its scenario ran (0 when seen in this one). */
    public int getRunsSinceSeen() {
        return runsSinceSeen;
    }

    /** Of those, the runs in which every entry of its scenario passed. */
    public int getPassingRunsSinceSeen() {
        return passingRunsSinceSeen;
    }

    /** Replay attempts of it in the summaries given to this run, hung ones included. */
    public int getReplayAttempts() {
        return replayAttempts;
    }

    public int getReplayPasses() {
        return replayPasses;
    }

    public int getReplayFailures() {
        return replayFailures;
    }

    public int getReplayHung() {
        return replayHung;
    }

    /** Times it was reopened (its status went from the closed status to an open one) before this run. */
    public int getRegressions() {
        return regressions;
    }

    /**
     * The verdict the verdict rules ({@code rules/flake.drl}) gave it in the last run that
     * judged it, before this one; null when never judged.
     */
    public String getLastVerdict() {
        return lastVerdict;
    }

    /** The passing runs that resolve it, as a rule set it ({@link #resolveAfter}); 0 until one does. */
    public int getPassingRunsToResolve() {
        return passingRunsToResolve;
    }

    /** Why that many, as the rule said; null until one does. */
    public String getPassingRunsToResolveReason() {
        return passingRunsToResolveReason;
    }

    /** Null until a rule decides. */
    public String getNextStatus() {
        return nextStatus;
    }

    public String getRule() {
        return rule;
    }

    public String getReason() {
        return reason;
    }

    RunFacts.SeenIncident incident() {
        return incident;
    }

    @Override
    public String toString() {
        return "IncidentLifecycle[" + incident.incidentId() + ", " + status + " -> " + nextStatus + "]";
    }
}
