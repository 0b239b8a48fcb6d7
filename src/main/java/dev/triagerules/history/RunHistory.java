package dev.triagerules.history;

import dev.triagerules.input.EntryOutcome;
import dev.triagerules.input.LogEntry;
import dev.triagerules.policy.FlakePolicy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntToLongFunction;

/**
 * Builds the history of every scenario key across runs, one input file being one run, read
 * in order: {@link #startRun}, every entry's outcome, {@link #endRun}.
 *
 * <p>A key's per-run outcome: a failing run when any of its entries failed in that run
 * (a mixed run, when some also passed), a passing run when all passed; runs where the key
 * did not appear do not count for it. A run whose failure share is above the policy's
 * ({@link FlakePolicy#infraSuspect}) is an infrastructure-suspect run: it is left out of
 * every key's history (only counted as excluded), since a broken machine fails everything
 * and would make every key look flaky; its entries and failures still count in the report.
 *
 * <p>Same-seed evidence: each key remembers up to {@link #MAX_SEEDS} (seed, environment)
 * pairs with the outcomes seen for them, and up to as many again that failed (the pairs a
 * later pass must meet).
 *
 * <p>Memory grows with the number of distinct scenario keys (and their pairs, bounded per
 * key), not with entries: every entry of a large log passes through here, so the tables are
 * flat primitive arrays (one cache line of counters per key, one long per pair) rather than
 * objects per key. Keys are told apart by a 64-bit hash of their text
 * ({@link EntryOutcome#keyHash}); pairs by a 60-bit hash of key, seed and environment.
 */
public final class RunHistory implements Consumer<EntryOutcome> {
    static final int MAX_REASON_CODES = 8;
    static final int MAX_SEEDS = 64;

    // Key counters: one row of 8 longs per key, by dense key index.
    private static final int ROW = 8;
    private static final int HASH = 0;
    private static final int PASSES = 1;
    private static final int FAILURES = 2;
    private static final int RUN_PASSES = 3;
    private static final int RUN_FAILURES = 4;
    private static final int RUNS_PASSING = 5;     // runs << 32 | passing runs
    private static final int FAILING_MIXED = 6;    // failing runs << 32 | mixed runs
    private static final int EXCLUDED_SEEDS = 7;   // excluded runs << 32 | pairs kept

    // Pair bits, in the low 4 bits of the pair's hash.
    private static final long PASSED = 1;
    private static final long FAILED = 2;
    private static final long RUN_SHIFT = 2;
    private static final long BITS = 0xf;

    private final FlakePolicy policy;
    /** False: only each run's entries and failures are counted, for the guard; no key has a history. */
    private final boolean keepsKeys;
    private long[] keyRows = new long[ROW * 1024];
    private int keyCount;
    private int[] keyTable = emptyTable(2048);
    private Failing[] failing = new Failing[1024];
    private long[] pairs = new long[4096];
    private int pairCount;
    private int[] pairTable = emptyTable(8192);

    private int[] touchedKeys = new int[256];
    private int touchedKeyCount;
    private int[] touchedPairs = new int[512]; // pair index, key index
    private int touchedPairCount;

    private final List<RunSummary> runs = new ArrayList<>();
    private String input;
    private long entries;
    private long failures;

    /** What only keys that failed need: reason codes, and seed and environment of failing pairs. */
    private static final class Failing {
        final Set<String> reasonCodes = new LinkedHashSet<>(2);
        boolean reasonCodesCapped;
        List<String> runReasonCodes;
        boolean runReasonCodesCapped;
        final Map<Long, SeedEnv> failedPairs = new HashMap<>(4);
        SeedEnv sameSeed;
    }

    /** A failing pair's seed and environment text, for same-seed evidence. */
    private record SeedEnv(long seed, String env) {
    }

    /** Environment fingerprints are few: one string each, however many failures carry it. */
    private final Map<String, String> envs = new HashMap<>();

    public RunHistory(FlakePolicy policy) {
        this(policy, true);
    }

    private RunHistory(FlakePolicy policy, boolean keepsKeys) {
        this.policy = policy;
        this.keepsKeys = keepsKeys;
    }

    /**
     * A history that only judges each run by the infrastructure guard (its entries and
     * failures, a few longs), keeping no key: what a run with a ledger but no history of its
     * own needs, so that an outage stays out of the ledger without the cost of every key's counters.
     */
    public static RunHistory guardOnly(FlakePolicy policy) {
        return new RunHistory(policy, false);
    }

    /** Whether each key's counts are kept: false for {@link #guardOnly}, whose keys were never counted. */
    boolean keepsKeys() {
        return keepsKeys;
    }

    public void startRun(String input) {
        if (this.input != null) {
            throw new IllegalStateException("run " + this.input + " was not ended");
        }
        this.input = input;
        entries = 0;
        failures = 0;
    }

    @Override
    public void accept(EntryOutcome outcome) {
        if (!outcome.rerun()) {
            entries++; // a rerun's pass is its key's evidence; the run's share counts entries, as its summary does
        }
        LogEntry failed = outcome.failed();
        if (!keepsKeys) {
            if (failed != null) {
                failures++;
            }
            return;
        }
        int key = keyIndex(outcome.keyHash(), true);
        int row = key * ROW;
        if (keyRows[row + RUN_PASSES] == 0 && keyRows[row + RUN_FAILURES] == 0) {
            touchedKeys = push(touchedKeys, touchedKeyCount++, key);
        }
        Failing info = null;
        if (failed == null) {
            keyRows[row + RUN_PASSES]++;
        } else {
            failures++;
            keyRows[row + RUN_FAILURES]++;
            info = failing[key];
            if (info == null) {
                info = failing[key] = new Failing();
            }
            if (info.runReasonCodes == null) {
                info.runReasonCodes = new ArrayList<>(2);
            }
            if (!info.runReasonCodes.contains(failed.reasonCode())) {
                if (info.runReasonCodes.size() < MAX_REASON_CODES) {
                    info.runReasonCodes.add(failed.reasonCode());
                } else {
                    info.runReasonCodesCapped = true;
                }
            }
        }
        if (!outcome.seeded()) {
            return; // counted above; without a seed it says nothing of "the same seed"
        }
        long pairHash = pairHash(outcome.keyHash(), outcome.seed(), outcome.envHash());
        int pair = pairIndex(pairHash);
        if (pair < 0) {
            int kept = (int) keyRows[row + EXCLUDED_SEEDS];
            if (kept >= 2 * MAX_SEEDS || kept >= MAX_SEEDS && failed == null) {
                return;
            }
            keyRows[row + EXCLUDED_SEEDS]++;
            pair = addPair(pairHash);
        }
        long bit = (failed == null ? PASSED : FAILED) << RUN_SHIFT;
        if ((pairs[pair] & (PASSED | FAILED) << RUN_SHIFT) == 0) {
            touchedPairs = push(touchedPairs, touchedPairCount++, pair);
            touchedPairs = push(touchedPairs, touchedPairCount++, key);
        }
        pairs[pair] |= bit;
        if (info != null && info.failedPairs.size() < 2 * MAX_SEEDS && !info.failedPairs.containsKey(pairHash)) {
            String env = envs.computeIfAbsent(failed.envFingerprint(), text -> text);
            info.failedPairs.put(pairHash, new SeedEnv(failed.seed(), env));
        }
    }

    /** Ends the run: folds it into every key's history unless it is infrastructure-suspect. */
    public RunSummary endRun() {
        boolean counted = !policy.infraSuspect(entries, failures);
        for (int i = 0; i < touchedKeyCount; i++) {
            int key = touchedKeys[i];
            int row = key * ROW;
            long runPasses = keyRows[row + RUN_PASSES];
            long runFailures = keyRows[row + RUN_FAILURES];
            Failing info = failing[key];
            if (counted) {
                keyRows[row + PASSES] += runPasses;
                keyRows[row + FAILURES] += runFailures;
                keyRows[row + RUNS_PASSING] += 1L << 32;
                if (runFailures > 0) {
                    keyRows[row + FAILING_MIXED] += (1L << 32) + (runPasses > 0 ? 1 : 0);
                } else {
                    keyRows[row + RUNS_PASSING] += 1;
                }
                if (info != null && info.runReasonCodes != null) {
                    info.reasonCodesCapped |= info.runReasonCodesCapped;
                    for (String code : info.runReasonCodes) {
                        if (info.reasonCodes.size() < MAX_REASON_CODES) {
                            info.reasonCodes.add(code);
                        } else if (!info.reasonCodes.contains(code)) {
                            info.reasonCodesCapped = true;
                        }
                    }
                }
            } else {
                keyRows[row + EXCLUDED_SEEDS] += 1L << 32;
            }
            if (info != null) {
                info.runReasonCodes = null;
                info.runReasonCodesCapped = false;
            }
            keyRows[row + RUN_PASSES] = 0;
            keyRows[row + RUN_FAILURES] = 0;
        }
        touchedKeyCount = 0;
        for (int i = 0; i < touchedPairCount; i += 2) {
            int pair = touchedPairs[i];
            int key = touchedPairs[i + 1];
            long value = pairs[pair];
            long committed = value & (PASSED | FAILED);
            if (counted) {
                committed |= (value >>> RUN_SHIFT) & (PASSED | FAILED);
            }
            pairs[pair] = value & ~BITS | committed;
            Failing info = failing[key];
            if (committed == (PASSED | FAILED) && info != null && info.sameSeed == null) {
                info.sameSeed = info.failedPairs.get(value & ~BITS);
            }
        }
        touchedPairCount = 0;
        RunSummary run = new RunSummary(input, entries, failures, !counted);
        runs.add(run);
        input = null;
        return run;
    }

    /** Every ended run, in order. */
    public List<RunSummary> runs() {
        return List.copyOf(runs);
    }

    /** The key's history, or null if no run had it. */
    KeyHistory history(ScenarioKey key) {
        int index = keyIndex(EntryOutcome.keyHash(key.packetId(), key.suiteId(), key.scenarioId(), key.mode()), false);
        if (index < 0) {
            return null;
        }
        int row = index * ROW;
        Failing info = failing[index];
        SeedEnv same = info == null ? null : info.sameSeed;
        return new KeyHistory(high(keyRows[row + RUNS_PASSING]), low(keyRows[row + RUNS_PASSING]),
                high(keyRows[row + FAILING_MIXED]), low(keyRows[row + FAILING_MIXED]), keyRows[row + PASSES],
                keyRows[row + FAILURES], high(keyRows[row + EXCLUDED_SEEDS]),
                info == null ? List.of() : List.copyOf(info.reasonCodes), info != null && info.reasonCodesCapped,
                same != null, same == null ? 0 : same.seed(), same == null ? null : same.env());
    }

    // ---- the tables ----

    private int keyIndex(long hash, boolean create) {
        int mask = keyTable.length - 1;
        for (int slot = spread(hash) & mask; ; slot = (slot + 1) & mask) {
            int index = keyTable[slot];
            if (index < 0) {
                return create ? addKey(hash, slot) : -1;
            }
            if (keyRows[index * ROW + HASH] == hash) {
                return index;
            }
        }
    }

    private int addKey(long hash, int slot) {
        int index = keyCount++;
        if ((index + 1) * ROW > keyRows.length) {
            keyRows = Arrays.copyOf(keyRows, keyRows.length * 2);
            failing = Arrays.copyOf(failing, failing.length * 2);
        }
        keyRows[index * ROW + HASH] = hash;
        keyTable[slot] = index;
        if (keyCount * 2 > keyTable.length) {
            keyTable = rehash(keyTable, keyCount, i -> keyRows[i * ROW + HASH]);
        }
        return index;
    }

    private int pairIndex(long pairHash) {
        int mask = pairTable.length - 1;
        for (int slot = spread(pairHash) & mask; ; slot = (slot + 1) & mask) {
            int index = pairTable[slot];
            if (index < 0) {
                return -1;
            }
            if ((pairs[index] & ~BITS) == pairHash) {
                return index;
            }
        }
    }

    private int addPair(long pairHash) {
        int index = pairCount++;
        if (index == pairs.length) {
            pairs = Arrays.copyOf(pairs, pairs.length * 2);
        }
        pairs[index] = pairHash;
        int mask = pairTable.length - 1;
        int slot = spread(pairHash) & mask;
        while (pairTable[slot] >= 0) {
            slot = (slot + 1) & mask;
        }
        pairTable[slot] = index;
        if (pairCount * 2 > pairTable.length) {
            pairTable = rehash(pairTable, pairCount, i -> pairs[i] & ~BITS);
        }
        return index;
    }

    private static int[] rehash(int[] table, int count, IntToLongFunction hashOf) {
        int[] bigger = emptyTable(table.length * 2);
        int mask = bigger.length - 1;
        for (int index = 0; index < count; index++) {
            int slot = spread(hashOf.applyAsLong(index)) & mask;
            while (bigger[slot] >= 0) {
                slot = (slot + 1) & mask;
            }
            bigger[slot] = index;
        }
        return bigger;
    }

    private static int[] emptyTable(int size) {
        int[] table = new int[size];
        Arrays.fill(table, -1);
        return table;
    }

    private static int spread(long hash) {
        long h = hash * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32);
    }

    private static long pairHash(long keyHash, long seed, long envHash) {
        long h = keyHash;
        h = mix(h ^ seed);
        h = mix(h ^ envHash);
        return h & ~BITS;
    }

    /** The finalizer of MurmurHash3's 64-bit variant. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private static int[] push(int[] array, int at, int value) {
        if (at == array.length) {
            array = Arrays.copyOf(array, array.length * 2);
        }
        array[at] = value;
        return array;
    }

    private static int high(long packed) {
        return (int) (packed >>> 32);
    }

    private static int low(long packed) {
        return (int) packed;
    }
}
