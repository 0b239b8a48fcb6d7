package dev.triagerules.history;

import java.util.List;

/**
 * The history of one scenario key over the counted runs, as {@link RunHistory} kept it.
 *
 * @param reasonCodes       distinct reason codes it failed with, first seen first (at most 8)
 * @param reasonCodesCapped more codes were seen than kept
 * @param sameSeedMixed     some (seed, environment) pair both passed and failed
 * @param sameSeed          that seed, unsigned 64-bit in a long (when sameSeedMixed)
 * @param sameSeedEnv       that environment fingerprint (when sameSeedMixed)
 */
record KeyHistory(int runs, int passingRuns, int failingRuns, int mixedRuns, long passes, long failures,
        int excludedRuns, List<String> reasonCodes, boolean reasonCodesCapped, boolean sameSeedMixed, long sameSeed,
        String sameSeedEnv) {
}
