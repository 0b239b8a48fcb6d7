package dev.triagerules.ledger;

import dev.triagerules.base.UserError;
import dev.triagerules.engine.RulePack;
import java.util.List;
import org.kie.api.runtime.KieSession;

/**
 * Decides the lifecycle status of every incident a run touches: the {@link IncidentLifecycle}
 * facts and the policy's {@code LifecyclePolicy}, in one lifecycle session after the run is
 * folded, the way {@code history.FlakeJudge} gives verdicts. The lifecycle rules match only
 * these facts, so they can fire in lifecycle sessions only ({@code engine.SessionFact}).
 */
public final class LifecycleJudge {
    private LifecycleJudge() {
    }

    /**
     * Refuses a pack without lifecycle rules before anything is written: a ledger would
     * otherwise record incidents whose status nothing decides.
     */
    public static void requireRules(RulePack pack) {
        if (!hasLifecycleRules(pack)) {
            throw new UserError(pack.rulesDir() + ": the rules have no lifecycle rules (rules matching "
                    + IncidentLifecycle.class.getSimpleName() + "), which a ledger needs: copy rules/lifecycle.drl"
                    + " into the rules folder");
        }
    }

    /** From the compiled packages: a triage need not wait for the KIE base to know. */
    static boolean hasLifecycleRules(RulePack pack) {
        return pack.rules().matchesFactType(IncidentLifecycle.class);
    }

    /** Runs the lifecycle rules over the facts; every fact must end with a status. */
    static void decide(RulePack pack, List<IncidentLifecycle> facts) {
        if (facts.isEmpty()) {
            return;
        }
        KieSession session = pack.rules().newSession(IncidentLifecycle.class);
        try {
            session.insert(pack.policy().lifecycle());
            for (IncidentLifecycle fact : facts) {
                session.insert(fact);
            }
            session.fireAllRules();
        } catch (RuntimeException e) {
            throw new UserError("rules failed while deciding incident lifecycles: " + rootMessage(e), e);
        } finally {
            session.dispose();
        }
        for (IncidentLifecycle fact : facts) {
            if (fact.getNextStatus() == null) {
                throw new UserError("no lifecycle rule decided the status of incident " + fact.getIncidentId()
                        + " (status before this run: " + fact.getStatus() + ", seen: " + fact.isSeen()
                        + "): every fact needs a rule, e.g. a last rule that keeps the status");
            }
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
