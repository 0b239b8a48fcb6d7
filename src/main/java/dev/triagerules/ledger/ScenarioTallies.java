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
 * table of longs, each slot its four (key hash, environment hash, passes, failures) side by
 * side: one cache miss per entry where a table of indexes into rows took two or three (the
 * 300,000-entry bench log has 51,000 pairs, a table bigger than the caches; measured 0.15 →
 * 0.05 s of the main thread). No object per entry or per scenario; the text of a scenario
 * is kept only when one of its entries failed (the failed entry is built anyway). Memory
 * grows with distinct scenarios, not entries.
 */
public final class ScenarioTallies implements Consumer<EntryOutcome>, Iterable<RunFacts.ScenarioTally> {
    private static final int SLOT = 4;
    private static final int KEY = 0;
    private static final int ENV = 1;
    private static final int PASSES = 2;
    private static final int FAILURES = 3;

    /** SLOT longs a slot; a slot is free while its passes and failures are both 0 (a used one counts one entry at least). */
    private long[] slots = new long[SLOT * 4096];
    private RunFacts.ScenarioText[] texts = new RunFacts.ScenarioText[4096];
    /** Used slots in the order their pair was first seen: iteration order. */
    private int[] order = new int[1024];
    private int count;

    @Override
    public void accept(EntryOutcome outcome) {
        int slot = slotOf(outcome.keyHash(), outcome.envHash());
        LogEntry failed = outcome.failed();
        if (failed == null) {
            slots[slot * SLOT + PASSES]++;
        } else {
            slots[slot * SLOT + FAILURES]++;
            if (texts[slot] == null) {
                texts[slot] = new RunFacts.ScenarioText(failed.packetId(), failed.suiteId(), failed.scenarioId(),
                        failed.mode(), failed.envFingerprint());
            }
        }
    }

    /** The tally of one scenario key on one environment; null when the run had no entry of it. */
    public RunFacts.ScenarioTally get(long keyHash, long envHash) {
        int mask = texts.length - 1;
        for (int slot = spread(keyHash, envHash) & mask; ; slot = (slot + 1) & mask) {
            int at = slot * SLOT;
            if (slots[at + PASSES] == 0 && slots[at + FAILURES] == 0) {
                return null;
            }
            if (slots[at + KEY] == keyHash && slots[at + ENV] == envHash) {
                return tally(slot);
            }
        }
    }

    /** Adds another table's counts to this one's: a run's, kept apart until the guard has judged it. */
    public void addAll(ScenarioTallies other) {
        for (int i = 0; i < other.count; i++) {
            int from = other.order[i];
            int at = from * SLOT;
            int slot = slotOf(other.slots[at + KEY], other.slots[at + ENV]); // may grow this table
            slots[slot * SLOT + PASSES] += other.slots[at + PASSES];
            slots[slot * SLOT + FAILURES] += other.slots[at + FAILURES];
            if (texts[slot] == null) {
                texts[slot] = other.texts[from];
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
                return tally(order[next++]);
            }
        };
    }

    private RunFacts.ScenarioTally tally(int slot) {
        int at = slot * SLOT;
        return new RunFacts.ScenarioTally(slots[at + KEY], slots[at + ENV], slots[at + PASSES], slots[at + FAILURES],
                texts[slot]);
    }

    /** The slot of the pair, taken (with no count yet) when it is new. */
    private int slotOf(long keyHash, long envHash) {
        if ((count + 1) * 2 > texts.length) {
            grow();
        }
        int mask = texts.length - 1;
        for (int slot = spread(keyHash, envHash) & mask; ; slot = (slot + 1) & mask) {
            int at = slot * SLOT;
            if (slots[at + PASSES] == 0 && slots[at + FAILURES] == 0) {
                slots[at + KEY] = keyHash;
                slots[at + ENV] = envHash;
                if (count == order.length) {
                    order = Arrays.copyOf(order, count * 2);
                }
                order[count++] = slot;
                return slot;
            }
            if (slots[at + KEY] == keyHash && slots[at + ENV] == envHash) {
                return slot;
            }
        }
    }

    private void grow() {
        long[] oldSlots = slots;
        RunFacts.ScenarioText[] oldTexts = texts;
        int[] oldOrder = order;
        slots = new long[oldSlots.length * 2];
        texts = new RunFacts.ScenarioText[oldTexts.length * 2];
        int mask = texts.length - 1;
        for (int i = 0; i < count; i++) {
            int from = oldOrder[i];
            int slot = spread(oldSlots[from * SLOT + KEY], oldSlots[from * SLOT + ENV]) & mask;
            while (slots[slot * SLOT + PASSES] != 0 || slots[slot * SLOT + FAILURES] != 0) {
                slot = (slot + 1) & mask;
            }
            System.arraycopy(oldSlots, from * SLOT, slots, slot * SLOT, SLOT);
            texts[slot] = oldTexts[from];
            order[i] = slot;
        }
    }

    private static int spread(long keyHash, long envHash) {
        long h = (keyHash ^ Long.rotateLeft(envHash, 29)) * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 32);
    }
}
