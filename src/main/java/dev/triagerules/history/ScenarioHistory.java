package dev.triagerules.history;

import dev.triagerules.engine.SessionFact;
import java.util.ArrayList;
import java.util.List;
import org.kie.api.definition.type.ClassReactive;
import org.kie.api.runtime.rule.RuleContext;

/**
 * The fact the verdict rules ({@code rules/flake.drl}) see: one per report incident, with
 * the history of its scenario key (packet, suite, scenario, mode) over the counted runs and
 * the replay attempts of the incident itself.
 *
 * <p>A verdict rule guards on {@code verdict == null} and claims the fact with
 * {@code modify( $h ) { judge( drools, "flaky", "why" ) }}; the first to fire (highest
 * salience) wins, as with classification. Consequence rules then add labels, notes or a
 * gating exclusion without {@code modify}.
 */
@SessionFact
@ClassReactive // judge() is no bean setter: property reactivity would not see it change verdict
public final class ScenarioHistory {
    public static final String FLAKY = "flaky";
    public static final String DETERMINISTIC = "deterministic";
    public static final String INSUFFICIENT_EVIDENCE = "insufficient_evidence";
    /** Every verdict, in report order. */
    public static final List<String> VERDICTS = List.of(FLAKY, DETERMINISTIC, INSUFFICIENT_EVIDENCE);

    private final String incidentId;
    private final String crashClass;
    private final String severity;
    private final ScenarioKey key;
    private final int runs;
    private final int passingRuns;
    private final int failingRuns;
    private final int mixedRuns;
    private final long passes;
    private final long failures;
    private final int excludedRuns;
    private final List<String> reasonCodes;
    private final boolean reasonCodesCapped;
    private final boolean sameSeedMixed;
    private final String sameSeed;
    private final String sameSeedEnv;
    private final ReplayEvidence.Counts replay;
    private final RerunEvidence.Counts reruns;
    private final RecordedRuns.Counts ledger;
    /** What the report shows: whether the log counts were kept, and the ledger's counts if there are any. */
    private final boolean countedInLogs;
    private final RecordedRuns.Counts ledgerCounts;

    private String verdict;
    private String rule;
    private final List<String> evidence = new ArrayList<>();
    private final List<String> labels = new ArrayList<>();
    private String gatingExclusion;

    ScenarioHistory(String incidentId, String crashClass, String severity, ScenarioKey key, KeyHistory history,
            ReplayEvidence.Counts replay) {
        this(incidentId, crashClass, severity, key, true, history, replay, null, null);
    }

    /**
     * @param countedInLogs whether the logs' per-key counts were kept ({@code history} is then
     *                      null only for a key no run had); false in a run with a ledger and no
     *                      history of its own, where the counts are zeros no one counted
     * @param ledger        the key's runs a ledger recorded on the incident's environment, or
     *                      null without a ledger
     */
    ScenarioHistory(String incidentId, String crashClass, String severity, ScenarioKey key, boolean countedInLogs,
            KeyHistory history, ReplayEvidence.Counts replay, RerunEvidence.Counts reruns,
            RecordedRuns.Counts ledger) {
        this.countedInLogs = countedInLogs;
        this.ledgerCounts = ledger;
        this.reruns = reruns == null ? RerunEvidence.Counts.NONE : reruns;
        this.incidentId = incidentId;
        this.crashClass = crashClass;
        this.severity = severity;
        this.key = key;
        boolean seen = history != null;
        this.runs = seen ? history.runs() : 0;
        this.passingRuns = seen ? history.passingRuns() : 0;
        this.failingRuns = seen ? history.failingRuns() : 0;
        this.mixedRuns = seen ? history.mixedRuns() : 0;
        this.passes = seen ? history.passes() : 0;
        this.failures = seen ? history.failures() : 0;
        this.excludedRuns = seen ? history.excludedRuns() : 0;
        this.reasonCodes = seen ? history.reasonCodes() : List.of();
        this.reasonCodesCapped = seen && history.reasonCodesCapped();
        this.sameSeedMixed = seen && history.sameSeedMixed();
        this.sameSeed = sameSeedMixed ? Long.toUnsignedString(history.sameSeed()) : null;
        this.sameSeedEnv = sameSeedMixed ? history.sameSeedEnv() : null;
        this.replay = replay == null ? new ReplayEvidence.Counts(0, 0, 0, 0, List.of()) : replay;
        this.ledger = ledger == null ? RecordedRuns.Counts.NONE : ledger;
    }

    // ---- what rules set ----

    /** Called from a verdict rule's consequence, inside {@code modify}: the verdict and why. */
    public void judge(RuleContext drools, String verdict, String why) {
        if (!VERDICTS.contains(verdict)) {
            throw new IllegalArgumentException("rule \"" + drools.getRule().getName() + "\" gives verdict \""
                    + verdict + "\"; a verdict is one of " + VERDICTS);
        }
        this.verdict = verdict;
        this.rule = drools.getRule().getName();
        evidence.add(0, why);
    }

    /** Adds a line of evidence after the verdict's own. */
    public void note(String text) {
        evidence.add(text);
    }

    /** Adds a label (once), e.g. {@code flaky}. */
    public void label(String label) {
        if (!labels.contains(label)) {
            labels.add(label);
        }
    }

    /** Takes the incident out of CI gating, saying why (the first reason given stays). */
    public void excludeFromGating(String reason) {
        if (gatingExclusion == null) {
            gatingExclusion = reason;
        }
    }

    // ---- what rules read ----

    public String getIncidentId() {
        return incidentId;
    }

    public String getCrashClass() {
        return crashClass;
    }

    public String getSeverity() {
        return severity;
    }

    public String getPacketId() {
        return key.packetId();
    }

    public String getSuiteId() {
        return key.suiteId();
    }

    public String getScenarioId() {
        return key.scenarioId();
    }

    public String getMode() {
        return key.mode();
    }

    /** Counted runs the key appeared in (infrastructure-suspect runs left out). */
    public int getRuns() {
        return runs;
    }

    /** Runs where every entry of the key passed. */
    public int getPassingRuns() {
        return passingRuns;
    }

    /** Runs where some entry of the key failed. */
    public int getFailingRuns() {
        return failingRuns;
    }

    /** Failing runs where other entries of the key passed. */
    public int getMixedRuns() {
        return mixedRuns;
    }

    /** Passing entries of the key over the counted runs. */
    public long getPasses() {
        return passes;
    }

    /** Failing entries of the key (any reason code) over the counted runs. */
    public long getFailures() {
        return failures;
    }

    /** Infrastructure-suspect runs the key appeared in, left out of every count here. */
    public int getExcludedRuns() {
        return excludedRuns;
    }

    /** Distinct reason codes the key failed with (at most 8 kept). */
    public int getReasonCodeCount() {
        return reasonCodes.size();
    }

    public List<String> getReasonCodes() {
        return reasonCodes;
    }

    /** Whether one seed and environment fingerprint was seen both passing and failing. */
    public boolean isSameSeedMixed() {
        return sameSeedMixed;
    }

    /** That seed (unsigned decimal), or null. */
    public String getSameSeed() {
        return sameSeed;
    }

    /** That environment fingerprint, or null. */
    public String getSameSeedEnv() {
        return sameSeedEnv;
    }

    /** Replay attempts of this incident, hung ones included. */
    public int getReplayAttempts() {
        return replay.attempts();
    }

    /** Replay attempts that exited 0. */
    public int getReplayPasses() {
        return replay.passes();
    }

    /** Replay attempts that exited non-zero (without timing out). */
    public int getReplayFailures() {
        return replay.failures();
    }

    /** Replay attempts that reached their timeout. */
    public int getReplayHung() {
        return replay.hung();
    }

    /** Attempts of the test runner's own reruns (first run included), over all runs; 0 when none. */
    public int getRerunAttempts() {
        return reruns.attempts();
    }

    /** Rerun attempts that passed (a flaky test case's last attempt). */
    public int getRerunPasses() {
        return reruns.passes();
    }

    /** Rerun attempts that failed, the first run included. */
    public int getRerunFailures() {
        return reruns.failures();
    }

    /**
     * Runs a ledger recorded (this one included) in which the key ran on this incident's env
     * fingerprint, since the run {@link #getLedgerHistorySinceRun} (the key's first failure or
     * its history's last restart); 0 without a ledger.
     */
    public int getLedgerRuns() {
        return ledger.runs();
    }

    /** Of those, runs in which every entry of the key passed. */
    public int getLedgerPassingRuns() {
        return ledger.passingRuns();
    }

    /** Of those, runs in which some entry of the key failed. */
    public int getLedgerFailingRuns() {
        return ledger.failingRuns();
    }

    /** Of the failing ones, runs in which other entries of the key passed. */
    public int getLedgerMixedRuns() {
        return ledger.mixedRuns();
    }

    /**
     * Whether the ledger's counts start from a restart of the key's history on this env (a
     * failure after a passing streak long enough to resolve its incidents) rather than from
     * the key's first failure; false without a ledger.
     */
    public boolean isLedgerHistoryRestarted() {
        return ledger.restarted();
    }

    /**
     * The recorded run the ledger's counts start from: the one the key first failed in or,
     * when {@link #isLedgerHistoryRestarted restarted}, the one it failed again in; 0 when that
     * is this run (not recorded yet, so without a number) and without a ledger.
     */
    public long getLedgerHistorySinceRun() {
        return ledger.sinceRun();
    }

    /** Null until a verdict rule fires. */
    public String getVerdict() {
        return verdict;
    }

    public String getRule() {
        return rule;
    }

    public List<String> getEvidence() {
        return List.copyOf(evidence);
    }

    public List<String> getLabels() {
        return List.copyOf(labels);
    }

    public boolean isGatingExcluded() {
        return gatingExclusion != null;
    }

    public String getGatingExclusion() {
        return gatingExclusion;
    }

    /** The result, once the rules have fired. */
    Determinism result() {
        long observed = passes + failures + replay.passes() + replay.failures();
        Double flakeRate = observed == 0 ? null : (double) (failures + replay.failures()) / observed;
        String finalVerdict = verdict;
        List<String> why = getEvidence();
        if (finalVerdict == null) {
            finalVerdict = INSUFFICIENT_EVIDENCE;
            why = new ArrayList<>(why);
            why.add(0, "no verdict rule matched (is flake.drl in the rules folder?)");
        }
        return new Determinism(finalVerdict, rule, runs, passingRuns, failingRuns, mixedRuns, passes, failures,
                excludedRuns, flakeRate, sameSeedMixed, sameSeed, sameSeedEnv, reasonCodes,
                reasonCodesCapped, replay.attempts() == 0 ? null : replay, List.copyOf(why), getLabels(),
                gatingExclusion, countedInLogs, ledgerCounts);
    }

    @Override
    public String toString() {
        return "ScenarioHistory[" + incidentId + ", runs=" + runs + ", verdict=" + verdict + "]";
    }
}
