package dev.triagerules.ledger;

import dev.triagerules.input.EntryOutcome;
import dev.triagerules.input.LogEntry;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * Counts the passing and failing entries of each scenario key on each environment in one
 * run, from the reader's {@link EntryOutcome}s: what the ledger records per run.
 *
 * <p>Every entry of a large log passes through here, so this is a flat open-addressing
 * table of longs (key hash, environment hash, passes, failures), no object per entry or
 * per scenario; the text of a scenario is kept only when one of its entries failed (the
 * failed entry is built anyway). Memory grows with distinct scenarios, not entries.
 */
public final class ScenarioTallies implements Consumer<EntryOutcome>, Iterable<RunFacts.ScenarioTally> {
    private static final int ROW = 4;
    private static final int KEY = 0;
    private static final int ENV = 1;
    private static final int PASSES = 2;
    private static final int FAILURES = 3;

    private long[] rows = new long[ROW * 1024];
    private RunFacts.ScenarioText[] texts = new RunFacts.ScenarioText[1024];
    private int count;
    private int[] table = emptyTable(2048);

    @Override
    public void accept(EntryOutcome outcome) {
        int index = indexOf(outcome.keyHash(), outcome.envHash());
        LogEntry failed = outcome.failed();
        if (failed == null) {
            rows[index * ROW + PASSES]++;
        } else {
            rows[index * ROW + FAILURES]++;
            if (texts[index] == null) {
                texts[index] = new RunFacts.ScenarioText(failed.packetId(), failed.suiteId(), failed.scenarioId(),
                        failed.mode(), failed.envFingerprint());
            }
        }
    }

    /** The tally of one scenario key on one environment; null when the run had no entry of it. */
    public RunFacts.ScenarioTally get(long keyHash, long envHash) {
        int mask = table.length - 1;
        for (int slot = spread(keyHash, envHash) & mask; ; slot = (slot + 1) & mask) {
            int index = table[slot];
            if (index < 0) {
                return null;
            }
            int row = index * ROW;
            if (rows[row + KEY] == keyHash && rows[row + ENV] == envHash) {
                return new RunFacts.ScenarioTally(keyHash, envHash, rows[row + PASSES], rows[row + FAILURES],
                        texts[index]);
            }
        }
    }

    /** Distinct (scenario key, environment) pairs seen. */
    public int size() {
        return count;
    }

    @Override
    public Iterator<RunFacts.ScenarioTally> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public RunFacts.ScenarioTally next() {
                if (next >= count) {
                    throw new NoSuchElementException();
                }
                int row = next * ROW;
                RunFacts.ScenarioTally tally = new RunFacts.ScenarioTally(rows[row + KEY], rows[row + ENV],
                        rows[row + PASSES], rows[row + FAILURES], texts[next]);
                next++;
                return tally;
            }
        };
    }

    private int indexOf(long keyHash, long envHash) {
        int mask = table.length - 1;
        for (int slot = spread(keyHash, envHash) & mask; ; slot = (slot + 1) & mask) {
            int index = table[slot];
            if (index < 0) {
                return add(keyHash, envHash, slot);
            }
            int row = index * ROW;
            if (rows[row + KEY] == keyHash && rows[row + ENV] == envHash) {
                return index;
            }
        }
    }

    private int add(long keyHash, long envHash, int slot) {
        int index = count++;
        if (count * ROW > rows.length) {
            rows = Arrays.copyOf(rows, rows.length * 2);
            texts = Arrays.copyOf(texts, texts.length * 2);
        }
        rows[index * ROW + KEY] = keyHash;
        rows[index * ROW + ENV] = envHash;
        table[slot] = index;
        if (count * 2 > table.length) {
            rehash();
        }
        return index;
    }

    private void rehash() {
        int[] bigger = emptyTable(table.length * 2);
        int mask = bigger.length - 1;
        for (int index = 0; index < count; index++) {
            int slot = spread(rows[index * ROW + KEY], rows[index * ROW + ENV]) & mask;
            while (bigger[slot] >= 0) {
                slot = (slot + 1) & mask;
            }
            bigger[slot] = index;
        }
        table = bigger;
    }

    private static int[] emptyTable(int size) {
        int[] table = new int[size];
        Arrays.fill(table, -1);
        return table;
    }

    private static int spread(long keyHash, long envHash) {
        long h = (keyHash ^ Long.rotateLeft(envHash, 29)) * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32);
    }
}
