package dev.triagerules.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triagerules.base.Unsigned128;
import dev.triagerules.input.EntryOutcome;
import dev.triagerules.input.LogEntry;
import dev.triagerules.policy.FlakePolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link RunHistory}'s flat tables against a plain model of what it promises, on random
 * runs of thousands of keys and pairs: every table grows during a run, keys fail and pass
 * on repeated and fresh seeds, some runs are infrastructure-suspect, reason codes overflow
 * their cap, some entries name no seed.
 */
class RunHistoryModelTest {
    private static final String[] ENVS = {"det64:0000000000000001", "det64:0000000000000002", "det64:00000000000000ff"};

    @Test
    void theTablesAgreeWithAPlainModel() {
        for (long seed = 1; seed <= 6; seed++) {
            compare(new Random(seed), seed % 2 == 0 ? 3_000 : 40, 8);
        }
    }

    private static void compare(Random random, int keyCount, int runs) {
        FlakePolicy policy = FlakePolicy.DEFAULT;
        RunHistory history = new RunHistory(policy);
        Model model = new Model(policy);
        List<ScenarioKey> keys = new ArrayList<>();
        for (int i = 0; i < keyCount; i++) {
            keys.add(new ScenarioKey("P" + (i % 7), "suite" + (i % 5), "suite/strict:case_" + i, i % 3 == 0 ? "hardened" : "strict"));
        }
        for (int run = 0; run < runs; run++) {
            boolean broken = run == 3; // fails nearly everything: infrastructure-suspect
            // Few keys get many entries each: their reason codes and seed pairs reach their caps.
            int entries = keyCount * (1 + random.nextInt(4)) * (keyCount < 100 ? 25 : 1);
            history.startRun("run-" + run);
            model.startRun("run-" + run);
            for (int i = 0; i < entries; i++) {
                ScenarioKey key = keys.get(random.nextInt(keys.size()));
                boolean failed = broken ? random.nextInt(20) > 0 : random.nextInt(keys.size() < 100 ? 3 : 6) == 0;
                long entrySeed = random.nextInt(4) == 0 ? random.nextLong() : random.nextInt(5);
                String env = ENVS[random.nextInt(ENVS.length)];
                boolean seeded = random.nextInt(10) > 0;
                String reason = "reason_" + random.nextInt(12);
                EntryOutcome outcome = outcome(key, entrySeed, env, failed ? reason : null, seeded);
                history.accept(outcome);
                model.accept(outcome, env);
            }
            assertThat(history.endRun()).isEqualTo(model.endRun());
        }
        assertThat(history.runs()).isEqualTo(model.runs);
        int sameSeed = 0;
        int capped = 0;
        int excluded = 0;
        for (ScenarioKey key : keys) {
            KeyHistory expected = model.history(key);
            assertThat(history.history(key)).as("%s", key).isEqualTo(expected);
            if (expected != null) {
                sameSeed += expected.sameSeedMixed() ? 1 : 0;
                capped += expected.reasonCodesCapped() ? 1 : 0;
                excluded += expected.excludedRuns() > 0 ? 1 : 0;
            }
        }
        // The cases the comparison is for did occur.
        assertThat(sameSeed).as("keys with same-seed evidence").isPositive();
        assertThat(excluded).as("keys with an excluded run").isPositive();
        if (keyCount < 100) {
            assertThat(capped).as("keys with capped reason codes").isPositive();
            assertThat(model.keys.values()).as("keys whose passing seeds reached their cap")
                    .anyMatch(key -> key.pairsKept >= RunHistory.MAX_SEEDS);
        }
        assertThat(history.history(new ScenarioKey("P0", "never", "never/strict:case_0", "strict"))).isNull();
    }

    private static EntryOutcome outcome(ScenarioKey key, long seed, String env, String reason, boolean seeded) {
        long keyHash = EntryOutcome.keyHash(key.packetId(), key.suiteId(), key.scenarioId(), key.mode());
        LogEntry failed = reason == null ? null : new LogEntry("v1", Unsigned128.of(1), key.suiteId(),
                key.scenarioId(), "f.json", key.packetId(), key.mode(), seed, env, List.of(), "cmd", "fail", reason);
        return new EntryOutcome(keyHash, seeded ? seed : 0, EntryOutcome.textHash(env), failed, seeded);
    }

    /** What RunHistory's javadoc promises, in maps and objects, without bounds on memory. */
    private static final class Model {
        private final FlakePolicy policy;
        final Map<Long, Key> keys = new HashMap<>();
        private final Map<List<Long>, Pair> pairs = new HashMap<>();
        private final List<Key> touchedKeys = new ArrayList<>();
        private final List<Pair> touchedPairs = new ArrayList<>();
        final List<RunSummary> runs = new ArrayList<>();
        private String input;
        private long entries;
        private long failures;

        Model(FlakePolicy policy) {
            this.policy = policy;
        }

        private static final class Key {
            int runs;
            int passingRuns;
            int failingRuns;
            int mixedRuns;
            int excludedRuns;
            long passes;
            long failures;
            long runPasses;
            long runFailures;
            final LinkedHashSet<String> reasonCodes = new LinkedHashSet<>();
            boolean capped;
            final List<String> runReasonCodes = new ArrayList<>();
            boolean runCapped;
            int pairsKept;
            final Map<List<Long>, long[]> failedPairs = new LinkedHashMap<>(); // pair -> seed
            final Map<List<Long>, String> failedPairEnvs = new HashMap<>();
            List<Long> sameSeedPair;
        }

        private static final class Pair {
            final List<Long> id;
            final Key key;
            boolean passed;
            boolean failed;
            boolean runPassed;
            boolean runFailed;

            Pair(List<Long> id, Key key) {
                this.id = id;
                this.key = key;
            }
        }

        void startRun(String name) {
            input = name;
            entries = 0;
            failures = 0;
        }

        void accept(EntryOutcome outcome, String env) {
            entries++;
            Key key = keys.computeIfAbsent(outcome.keyHash(), hash -> new Key());
            if (key.runPasses == 0 && key.runFailures == 0) {
                touchedKeys.add(key);
            }
            LogEntry failed = outcome.failed();
            if (failed == null) {
                key.runPasses++;
            } else {
                failures++;
                key.runFailures++;
                if (!key.runReasonCodes.contains(failed.reasonCode())) {
                    if (key.runReasonCodes.size() < RunHistory.MAX_REASON_CODES) {
                        key.runReasonCodes.add(failed.reasonCode());
                    } else {
                        key.runCapped = true;
                    }
                }
            }
            if (!outcome.seeded()) {
                return;
            }
            List<Long> id = List.of(outcome.keyHash(), outcome.seed(), outcome.envHash());
            Pair pair = pairs.get(id);
            if (pair == null) {
                if (key.pairsKept >= 2 * RunHistory.MAX_SEEDS || key.pairsKept >= RunHistory.MAX_SEEDS && failed == null) {
                    return;
                }
                key.pairsKept++;
                pair = new Pair(id, key);
                pairs.put(id, pair);
            }
            if (!pair.runPassed && !pair.runFailed) {
                touchedPairs.add(pair);
            }
            if (failed == null) {
                pair.runPassed = true;
            } else {
                pair.runFailed = true;
                if (key.failedPairs.size() < 2 * RunHistory.MAX_SEEDS && !key.failedPairs.containsKey(id)) {
                    key.failedPairs.put(id, new long[] {failed.seed()});
                    key.failedPairEnvs.put(id, env);
                }
            }
        }

        RunSummary endRun() {
            boolean counted = !policy.infraSuspect(entries, failures);
            for (Key key : touchedKeys) {
                if (counted) {
                    key.passes += key.runPasses;
                    key.failures += key.runFailures;
                    key.runs++;
                    if (key.runFailures > 0) {
                        key.failingRuns++;
                        key.mixedRuns += key.runPasses > 0 ? 1 : 0;
                    } else {
                        key.passingRuns++;
                    }
                    key.capped |= key.runCapped;
                    for (String code : key.runReasonCodes) {
                        if (key.reasonCodes.size() < RunHistory.MAX_REASON_CODES) {
                            key.reasonCodes.add(code);
                        } else if (!key.reasonCodes.contains(code)) {
                            key.capped = true;
                        }
                    }
                } else {
                    key.excludedRuns++;
                }
                key.runReasonCodes.clear();
                key.runCapped = false;
                key.runPasses = 0;
                key.runFailures = 0;
            }
            touchedKeys.clear();
            for (Pair pair : touchedPairs) {
                if (counted) {
                    pair.passed |= pair.runPassed;
                    pair.failed |= pair.runFailed;
                }
                pair.runPassed = false;
                pair.runFailed = false;
                if (pair.passed && pair.failed && pair.key.sameSeedPair == null
                        && pair.key.failedPairs.containsKey(pair.id)) {
                    pair.key.sameSeedPair = pair.id;
                }
            }
            touchedPairs.clear();
            RunSummary run = new RunSummary(input, entries, failures, !counted);
            runs.add(run);
            return run;
        }

        KeyHistory history(ScenarioKey scenario) {
            Key key = keys.get(EntryOutcome.keyHash(scenario.packetId(), scenario.suiteId(), scenario.scenarioId(),
                    scenario.mode()));
            if (key == null) {
                return null;
            }
            List<Long> same = key.sameSeedPair;
            return new KeyHistory(key.runs, key.passingRuns, key.failingRuns, key.mixedRuns, key.passes, key.failures,
                    key.excludedRuns, List.copyOf(key.reasonCodes), key.capped, same != null,
                    same == null ? 0 : key.failedPairs.get(same)[0], same == null ? null : key.failedPairEnvs.get(same));
        }
    }
}
