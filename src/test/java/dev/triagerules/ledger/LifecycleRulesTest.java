package dev.triagerules.ledger;

import dev.triagerules.base.Unsigned128;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triagerules.base.UserError;
import dev.triagerules.engine.RulePack;
import dev.triagerules.rules.Packs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rules/lifecycle.drl, one rule at a time, on hand-made facts (both shipped packs). */
class LifecycleRulesTest {
    private static final RunFacts.SeenIncident INCIDENT = new RunFacts.SeenIncident("triage64:0000000000000001",
            "tensor_meta_state", "high", "owners", "FT-P2C-002", "dispatch_key", "s1", "strict", "det64:1", "rank",
            1, Unsigned128.ZERO);

    @TempDir
    Path tmp;

    /** status before, seen, runs since seen, passing runs since seen, replay passes, failures, hung. */
    static IncidentLifecycle fact(String status, boolean seen, int runsSince, int passingSince, int replayPasses,
            int replayFailures, int replayHung) {
        return new IncidentLifecycle(INCIDENT, status, seen, seen ? 2 : 0, 3, runsSince, passingSince,
                replayPasses + replayFailures + replayHung, replayPasses, replayFailures, replayHung, 0, null);
    }

    /** Not seen in this run, its last verdict {@code verdict}, after {@code passingSince} passing runs. */
    static IncidentLifecycle judged(String verdict, int passingSince) {
        return new IncidentLifecycle(INCIDENT, "recurring", false, 0, 3, passingSince, passingSince, 0, 0, 0, 0, 1,
                verdict);
    }

    static IncidentLifecycle decide(IncidentLifecycle fact) {
        for (RulePack pack : List.of(Packs.v1(), Packs.head())) {
            IncidentLifecycle copy = new IncidentLifecycle(fact.incident(), fact.getStatus(), fact.isSeen(),
                    fact.getOccurrences(), fact.getRunsSeen(), fact.getRunsSinceSeen(), fact.getPassingRunsSinceSeen(),
                    fact.getReplayAttempts(), fact.getReplayPasses(), fact.getReplayFailures(), fact.getReplayHung(),
                    fact.getRegressions(), fact.getLastVerdict());
            LifecycleJudge.decide(pack, List.of(copy));
            if (pack == Packs.v1()) {
                fact = copy;
            } else {
                assertThat(copy.getNextStatus()).as("both packs ship the same lifecycle.drl")
                        .isEqualTo(fact.getNextStatus());
                assertThat(copy.getPassingRunsToResolve()).isEqualTo(fact.getPassingRunsToResolve());
            }
        }
        return fact;
    }

    @Test
    void seenIncidents() {
        assertThat(decide(fact(null, true, 0, 0, 0, 0, 0)).getNextStatus()).isEqualTo("new");
        assertThat(decide(fact("new", true, 0, 0, 0, 0, 0)).getNextStatus()).isEqualTo("recurring");
        assertThat(decide(fact("regressed", true, 0, 0, 0, 0, 0)).getNextStatus()).isEqualTo("recurring");
        IncidentLifecycle regressed = decide(fact("resolved", true, 0, 0, 0, 0, 0));
        assertThat(regressed.getNextStatus()).isEqualTo("regressed");
        assertThat(regressed.getRule()).isEqualTo("regressed: seen again after it was resolved");
        assertThat(regressed.getReason()).isEqualTo("seen again after it was resolved (failures: 2)");
        // Seen in this run beats passing replays: it still reproduces.
        assertThat(decide(fact("recurring", true, 0, 0, 3, 0, 0)).getNextStatus()).isEqualTo("recurring");
    }

    @Test
    void resolvedAfterThreePassingRunsOnly() {
        assertThat(decide(fact("recurring", false, 5, 2, 0, 0, 0)).getNextStatus()).isEqualTo("recurring");
        IncidentLifecycle resolved = decide(fact("recurring", false, 3, 3, 0, 0, 0));
        assertThat(resolved.getNextStatus()).isEqualTo("resolved");
        assertThat(resolved.getReason()).isEqualTo("not seen in 3 recorded runs in which its scenario ran and passed"
                + " (resolve_after_passing_runs 3)");
        IncidentLifecycle kept = decide(fact("new", false, 0, 0, 0, 0, 0));
        assertThat(kept.getNextStatus()).isEqualTo("new");
        assertThat(kept.getRule()).isEqualTo("unchanged");
    }

    @Test
    void anIncidentLastJudgedFlakyResolvesOnlyAfterTheFlakyThreshold() {
        IncidentLifecycle kept = decide(judged("flaky", 9));
        assertThat(kept.getNextStatus()).isEqualTo("recurring");
        assertThat(kept.getPassingRunsToResolve()).isEqualTo(10);
        assertThat(kept.getReason()).isEqualTo("not seen; its scenario passed in 9 of the 10 runs that resolve it"
                + " (resolve_flaky_after_passing_runs)");
        IncidentLifecycle resolved = decide(judged("flaky", 10));
        assertThat(resolved.getNextStatus()).isEqualTo("resolved");
        assertThat(resolved.getReason()).isEqualTo("not seen in 10 recorded runs in which its scenario ran and"
                + " passed (resolve_flaky_after_passing_runs 10)");
        for (String verdict : new String[] {"deterministic", "insufficient_evidence", null}) {
            IncidentLifecycle other = decide(judged(verdict, 3));
            assertThat(other.getNextStatus()).as(String.valueOf(verdict)).isEqualTo("resolved");
            assertThat(other.getPassingRunsToResolve()).isEqualTo(3);
            assertThat(other.getReason()).isEqualTo("not seen in 3 recorded runs in which its scenario ran and passed"
                    + " (resolve_after_passing_runs 3)");
        }
        // Every fact gets its threshold, seen or not: the flake history's restart reads it.
        assertThat(decide(fact(null, true, 0, 0, 0, 0, 0)).getPassingRunsToResolve()).isEqualTo(3);
    }

    @Test
    void theFlakyThresholdIsReadAndValidated() throws Exception {
        Path policy = policyWithLifecycle("lifecycle:\n  resolve_flaky_after_passing_runs: 4\n");
        RulePack pack = RulePack.load(Path.of("rules"), policy);
        assertThat(pack.policy().lifecycle().resolveAfterPassingRuns()).isEqualTo(3);
        IncidentLifecycle fact = judged("flaky", 4);
        LifecycleJudge.decide(pack, List.of(fact));
        assertThat(fact.getNextStatus()).isEqualTo("resolved");
        Files.writeString(policy.resolve("lifecycle.yaml"), "lifecycle:\n  resolve_flaky_after_passing_runs: 0\n");
        assertThatThrownBy(() -> RulePack.load(Path.of("rules"), policy)).isInstanceOf(UserError.class)
                .hasMessageContaining("lifecycle.yaml:2:37: error: lifecycle.resolve_flaky_after_passing_runs must be"
                        + " at least 1, got 0");
        assertThat(dev.triagerules.policy.LifecyclePolicy.DEFAULT.resolveFlakyAfterPassingRuns()).isEqualTo(10);
    }

    @Test
    void resolvedByReplaysThatPassOnly() {
        assertThat(decide(fact("new", false, 0, 0, 1, 0, 0)).getNextStatus()).isEqualTo("resolved");
        assertThat(decide(fact("new", false, 0, 0, 2, 1, 0)).getNextStatus()).isEqualTo("new");
        assertThat(decide(fact("new", false, 0, 0, 0, 0, 3)).getNextStatus()).isEqualTo("new");
    }

    @Test
    void aRuleSettingAnUnknownStatusIsRefused() throws Exception {
        Path rules = copyRules("lifecycle.drl");
        Files.writeString(rules.resolve("lifecycle.drl"), Files.readString(rules.resolve("lifecycle.drl"))
                .replace("decide( drools, \"new\", ", "decide( drools, \"fresh\", "));
        RulePack pack = RulePack.load(rules, Path.of("policy"));
        assertThatThrownBy(() -> LifecycleJudge.decide(pack, List.of(fact(null, true, 0, 0, 0, 0, 0))))
                .isInstanceOf(UserError.class).hasMessageContaining("rule \"new: first sighting\" sets status"
                        + " \"fresh\"; a status is one of [new, recurring, regressed, resolved]");
    }

    @Test
    void aFactNoRuleDecidesIsAnError() throws Exception {
        Path rules = copyRules("lifecycle.drl");
        String drl = Files.readString(rules.resolve("lifecycle.drl"));
        Files.writeString(rules.resolve("lifecycle.drl"), drl.substring(0, drl.indexOf("rule \"unchanged\"")));
        RulePack pack = RulePack.load(rules, Path.of("policy"));
        assertThat(LifecycleJudge.hasLifecycleRules(pack)).isTrue();
        assertThatThrownBy(() -> LifecycleJudge.decide(pack, List.of(fact("new", false, 0, 0, 0, 0, 0))))
                .isInstanceOf(UserError.class).hasMessageStartingWith("no lifecycle rule decided the status of"
                        + " incident triage64:0000000000000001 (status before this run: new, seen: false)");
    }

    @Test
    void aPackWithoutLifecycleRulesIsRefused() throws Exception {
        Path rules = copyRules();
        RulePack pack = RulePack.load(rules, Path.of("policy"));
        assertThat(LifecycleJudge.hasLifecycleRules(pack)).isFalse();
        assertThatThrownBy(() -> LifecycleJudge.requireRules(pack)).isInstanceOf(UserError.class)
                .hasMessage(rules + ": the rules have no lifecycle rules (rules matching IncidentLifecycle), which a"
                        + " ledger needs: copy rules/lifecycle.drl into the rules folder");
        assertThat(LifecycleJudge.hasLifecycleRules(Packs.v1())).isTrue();
    }

    @Test
    void thePolicyThresholdIsRead() throws Exception {
        Path policy = policyWithLifecycle("lifecycle:\n  resolve_after_passing_runs: 1\n");
        RulePack pack = RulePack.load(Path.of("rules"), policy);
        IncidentLifecycle fact = fact("new", false, 1, 1, 0, 0, 0);
        LifecycleJudge.decide(pack, List.of(fact));
        assertThat(fact.getNextStatus()).isEqualTo("resolved");
        Files.writeString(policy.resolve("lifecycle.yaml"), "lifecycle:\n  resolve_after_passing_runs: 0\n");
        assertThatThrownBy(() -> RulePack.load(Path.of("rules"), policy)).isInstanceOf(UserError.class)
                .hasMessageContaining("lifecycle.yaml:2:31: error: lifecycle.resolve_after_passing_runs must be at"
                        + " least 1, got 0");
    }

    /** The default rules, but for the files not named here and the lifecycle rules unless named. */
    private Path copyRules(String... extra) throws Exception {
        Path rules = Files.createDirectories(tmp.resolve("rules"));
        for (String file : List.of("flake.drl", "tensor-meta-state.drl", "routing.drl", "unclassified.drl")) {
            Files.copy(Path.of("rules", file), rules.resolve(file));
        }
        for (String file : extra) {
            Files.copy(Path.of("rules", file), rules.resolve(file));
        }
        return rules;
    }

    /** The bundled policy with a lifecycle.yaml of the test's own. */
    private Path policyWithLifecycle(String lifecycleYaml) throws Exception {
        Path policy = Files.createDirectories(tmp.resolve("policy"));
        for (String file : List.of("classes.yaml", "severities.yaml", "flake.yaml", "replay.yaml", "tickets.yaml")) {
            Files.copy(Path.of("policy", file), policy.resolve(file));
        }
        Files.writeString(policy.resolve("lifecycle.yaml"), lifecycleYaml);
        return policy;
    }
}
