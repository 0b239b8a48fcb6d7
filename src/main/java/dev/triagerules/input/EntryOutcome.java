package dev.triagerules.input;

/**
 * What run history needs of one valid entry, made without building strings for the
 * passing majority of a log: 64-bit hashes of its scenario key (packet, suite, scenario,
 * mode) and of its environment fingerprint, its seed, and whether it passed. A failed
 * entry comes with its full {@link LogEntry}.
 *
 * <p>The hashes are FNV-1a over the UTF-16 text of each field, the same whether computed
 * from the parser's buffer or from a {@code String} ({@link #keyHash}, {@link #textHash}),
 * so a failure's key can be matched to the passing entries of the same key.
 *
 * @param seed   unsigned 64-bit, as in {@link LogEntry}
 * @param failed the entry when it failed; null when it passed
 * @param seeded whether the entry names its seed: every log line does; a JUnit test case
 *               without the policy's seed property does not (its seed reads 0), and is then
 *               no evidence of "the same seed passed and failed"
 * @param rerun  whether this is a later attempt of an entry already handed over (a JUnit test
 *               case that passed on the runner's rerun): evidence for its key, not another
 *               entry of the run
 */
public record EntryOutcome(long keyHash, long seed, long envHash, LogEntry failed, boolean seeded, boolean rerun) {
    private static final long OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;
    /** Two steps of a char below 256 in one: its high byte is 0, and x ^ 0 is x. */
    private static final long PRIME_SQUARED = PRIME * PRIME;

    /** The fields an outcome record hashes: the scenario key (packet, suite, scenario, mode) and the environment. */
    static final int HASHED_FIELDS = LogField.PACKET_ID.bit() | LogField.SUITE_ID.bit() | LogField.SCENARIO_ID.bit()
            | LogField.MODE.bit() | LogField.ENV_FINGERPRINT.bit();

    /** An outcome of an entry that names its seed (every log line). */
    public EntryOutcome(long keyHash, long seed, long envHash, LogEntry failed) {
        this(keyHash, seed, envHash, failed, true);
    }

    /** The outcome of an entry, not of a rerun. */
    public EntryOutcome(long keyHash, long seed, long envHash, LogEntry failed, boolean seeded) {
        this(keyHash, seed, envHash, failed, seeded, false);
    }

    public boolean passed() {
        return failed == null;
    }

    /** Whether an outcome record hashes this field. */
    static boolean hashes(LogField field) {
        return (HASHED_FIELDS & field.bit()) != 0;
    }

    /** The record of a passing entry, from the {@link #textHash}es of its hashed fields, by field ordinal. */
    static EntryOutcome passed(long[] hashes, long seed) {
        return new EntryOutcome(combine(hashes[LogField.PACKET_ID.ordinal()], hashes[LogField.SUITE_ID.ordinal()],
                hashes[LogField.SCENARIO_ID.ordinal()], hashes[LogField.MODE.ordinal()]), seed,
                hashes[LogField.ENV_FINGERPRINT.ordinal()], null);
    }

    static EntryOutcome of(LogEntry entry) {
        return new EntryOutcome(keyHash(entry.packetId(), entry.suiteId(), entry.scenarioId(), entry.mode()),
                entry.seed(), textHash(entry.envFingerprint()), entry.failed() ? entry : null);
    }

    /** The hash of a scenario key. */
    public static long keyHash(String packetId, String suiteId, String scenarioId, String mode) {
        return combine(textHash(packetId), textHash(suiteId), textHash(scenarioId), textHash(mode));
    }

    /** The hash of one field's text. */
    public static long textHash(CharSequence text) {
        long hash = OFFSET_BASIS;
        for (int i = 0; i < text.length(); i++) {
            hash = step(hash, text.charAt(i));
        }
        return hash;
    }

    static long textHash(char[] text, int offset, int length) {
        long hash = OFFSET_BASIS;
        for (int i = offset; i < offset + length; i++) {
            hash = step(hash, text[i]);
        }
        return hash;
    }

    /**
     * {@link #textHash(CharSequence)} of ASCII text given as bytes: one char a byte, so one
     * multiply a byte instead of two (this runs for every entry of a log whose outcomes are
     * recorded, and a chain of multiplies is its cost).
     */
    static long asciiHash(byte[] ascii, int from, int to) {
        long hash = OFFSET_BASIS;
        for (int i = from; i < to; i++) {
            hash = (hash ^ ascii[i]) * PRIME_SQUARED;
        }
        return hash;
    }

    static long combine(long packet, long suite, long scenario, long mode) {
        // Part by part, not over an array: C1 does not take such an array off the heap, and
        // this runs for every entry of a log whose outcomes are recorded.
        return mix(mix(mix(mix(OFFSET_BASIS, packet), suite), scenario), mode);
    }

    private static long mix(long hash, long part) {
        hash = (hash ^ part) * PRIME;
        return (hash ^ (part >>> 32)) * PRIME;
    }

    private static long step(long hash, char c) {
        hash = (hash ^ (c & 0xff)) * PRIME;
        return (hash ^ (c >>> 8)) * PRIME;
    }
}
