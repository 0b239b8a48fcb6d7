package dev.triagerules.engine;

import dev.triagerules.base.UserError;
import dev.triagerules.policy.ClassPolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.drools.base.definitions.rule.impl.RuleImpl;
import org.kie.api.definition.rule.Rule;
import org.kie.api.runtime.KieSession;

/**
 * Why a failure gets its class: every classification rule whose conditions hold for it,
 * regardless of precedence, and which of them wins.
 *
 * <p>Matching: the failure (and the policy facts) go into a fresh session that fires with
 * an agenda filter that records each activation and rejects it. Nothing fires, so the
 * failure stays unclassified and every rule guarded on {@code crashClass == null} whose
 * other conditions hold shows up, not just the first. The winner comes from the real
 * path, {@link Classifier#classify}, in a second fresh session.
 */
public final class RuleExplainer {
    private RuleExplainer() {
    }

    /**
     * @param matching every classification rule whose conditions hold for the unclassified
     *                 failure, in precedence order (highest salience first)
     * @param winner   the rule that classified it, or null when none did
     * @param incident what the routing rule asserted, or null when classification failed
     * @param error    why there is no incident (no rule matched, routing did not fire), or null
     */
    public record Explanation(Failure failure, List<RuleInfo> matching, RuleInfo winner, Incident incident,
            String error) {

        /** Matching rules other than the winner, all of which it outranked. */
        public List<RuleInfo> outranked() {
            return matching.stream().filter(rule -> !rule.equals(winner)).toList();
        }

        /**
         * Matching rules with the winner's salience, other than the winner: precedence among
         * them is not defined by salience.
         */
        public List<RuleInfo> tiedWithWinner() {
            return winner == null ? List.of() : matching.stream()
                    .filter(rule -> !rule.equals(winner) && rule.salience() == winner.salience()).toList();
        }
    }

    /** Explains one unclassified failure; the failure is classified afterwards. */
    public static Explanation explain(RulePack pack, Failure failure) {
        if (failure.getCrashClass() != null) {
            throw new IllegalArgumentException("explain needs an unclassified failure: " + failure);
        }
        List<RuleInfo> matching = matchingRules(pack, failure);
        Incident incident = null;
        String error = null;
        try {
            incident = Classifier.classify(pack, List.of(failure)).get(0);
        } catch (UserError e) {
            error = e.getMessage().replaceFirst("^line \\d+: ", "");
        }
        RuleInfo winner = failure.getRule() == null ? null : find(pack, matching, failure.getRule());
        return new Explanation(failure, matching, winner, incident, error);
    }

    /** Every classification rule whose conditions hold for the (unclassified) failure, in precedence order. */
    public static List<RuleInfo> matchingRules(RulePack pack, Failure failure) {
        Set<String> matched = new HashSet<>();
        KieSession session = pack.rules().newSession(Failure.class);
        try {
            for (ClassPolicy policy : pack.policy().classes().values()) {
                session.insert(policy);
            }
            session.insert(failure);
            session.fireAllRules(match -> {
                matched.add(key(match.getRule()));
                return false; // record, never fire: the failure stays unclassified for every rule
            });
        } catch (RuntimeException e) {
            throw new UserError("rules failed while matching reason_code \"" + failure.getReasonCode() + "\": "
                    + e.getMessage(), e);
        } finally {
            session.dispose();
        }
        List<RuleInfo> rules = new ArrayList<>();
        for (RuleInfo rule : pack.rules().rules()) { // already in precedence order
            if (rule.classifies() && matched.contains(rule.name() + "\0"
                    + (rule.file() == null ? null : RuleCompiler.canonicalPath(rule.file())))) {
                rules.add(rule);
            }
        }
        return List.copyOf(rules);
    }

    /** Name and source path: rule names are unique only within a package. */
    private static String key(Rule rule) {
        RuleImpl impl = (RuleImpl) rule;
        return rule.getName() + "\0" + (impl.getResource() == null ? null : impl.getResource().getSourcePath());
    }

    /** The winner by name: among the matching rules first, then any rule (a rule may match only after others fired). */
    private static RuleInfo find(RulePack pack, List<RuleInfo> matching, String name) {
        for (RuleInfo rule : matching) {
            if (rule.name().equals(name)) {
                return rule;
            }
        }
        for (RuleInfo rule : pack.rules().rules()) {
            if (rule.name().equals(name)) {
                return rule;
            }
        }
        return null;
    }
}
