package dev.triagerules.history;

/**
 * One run (input file) as the history saw it.
 *
 * @param entries      valid entries considered (those of the packet, with {@code --packet})
 * @param failures     those that failed
 * @param infraSuspect its failure share is above the policy's: left out of every key's history
 */
public record RunSummary(String input, long entries, long failures, boolean infraSuspect) {

    public double failureShare() {
        return entries == 0 ? 0 : (double) failures / entries;
    }
}
