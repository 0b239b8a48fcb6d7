package dev.triagerules.history;

import dev.triagerules.base.UserError;
import dev.triagerules.engine.ClassifiedEntry;
import dev.triagerules.engine.RulePack;
import dev.triagerules.input.LogEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kie.api.runtime.KieSession;

/**
 * Gives every incident its flaky-or-deterministic verdict: one {@link ScenarioHistory}
 * fact per incident and the policy's {@code FlakePolicy}, in one verdict session after all
 * inputs are read and folded.
 *
 * <p>A separate session rather than the classification sessions: the verdict needs the
 * whole history, which exists only after the last run; and the verdict rules match only
 * {@code ScenarioHistory} and {@code FlakePolicy} facts, which classification sessions
 * never hold, so they can fire in verdict sessions only ({@code engine.SessionFact}; and,
 * having no {@code @class}, are not classification rules for the pack's cross-check).
 */
public final class FlakeJudge {
    private FlakeJudge() {
    }

    /** Judges each incident, given the first incident (first failure) of every folded incident. */
    public static DeterminismReport judge(RulePack pack, RunHistory history, ReplayEvidence replays,
            Collection<ClassifiedEntry> firstIncidents) {
        return judge(pack, history, replays, new RerunEvidence(), firstIncidents, RecordedRuns.NONE);
    }

    /**
     * Judges each incident with every kind of evidence: the runs read (history), replays,
     * the test runners' own reruns (JUnit XML input), and the runs a ledger recorded of the
     * incident's scenario on its environment fingerprint.
     */
    public static DeterminismReport judge(RulePack pack, RunHistory history, ReplayEvidence replays,
            RerunEvidence reruns, Collection<ClassifiedEntry> firstIncidents, RecordedRuns recordedRuns) {
        List<ScenarioHistory> facts = new ArrayList<>(firstIncidents.size());
        for (ClassifiedEntry incident : firstIncidents) {
            LogEntry entry = incident.entry();
            ScenarioKey key = new ScenarioKey(entry.packetId(), entry.suiteId(), entry.scenarioId(), entry.mode());
            String id = incident.incidentId();
            facts.add(new ScenarioHistory(id, incident.getCrashClass(), incident.getSeverity(), key,
                    history.keepsKeys(), history.history(key), replays.of(id), reruns.of(key),
                    recordedRuns.of(key, entry.envFingerprint())));
        }
        fire(pack, facts);
        Map<String, Determinism> byIncident = new HashMap<>();
        for (ScenarioHistory fact : facts) {
            byIncident.put(fact.getIncidentId(), fact.result());
        }
        return new DeterminismReport(history.runs(), byIncident);
    }

    /** Runs the verdict rules over the facts (package-visible for tests of single facts). */
    static void fire(RulePack pack, List<ScenarioHistory> facts) {
        if (facts.isEmpty()) {
            return;
        }
        KieSession session = pack.rules().newSession(ScenarioHistory.class);
        try {
            session.insert(pack.policy().flake());
            for (ScenarioHistory fact : facts) {
                session.insert(fact);
            }
            session.fireAllRules();
        } catch (RuntimeException e) {
            throw new UserError("rules failed while judging flaky or deterministic: " + rootMessage(e), e);
        } finally {
            session.dispose();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
