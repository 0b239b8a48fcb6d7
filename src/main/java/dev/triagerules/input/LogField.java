package dev.triagerules.input;

import java.util.HashMap;
import java.util.Map;

/**
 * The fields of a log entry (a {@code StructuredCaseLog}) that triage reads, in the
 * upstream's order, with their JSON names and kinds: the one definition that the
 * {@link PlainEntryScanner}, the {@link EntryParser} and {@link LogEntry} follow. Every
 * one is required; other fields of a line are accepted and ignored.
 */
public enum LogField {
    SCHEMA_VERSION("schema_version", Kind.STRING),
    // Upstream reads the timestamp as u128 and the seed as u64; neither takes a sign, not
    // even -0 (checked against the reference binary).
    TS_UNIX_MS("ts_unix_ms", Kind.UNSIGNED_128),
    SUITE_ID("suite_id", Kind.STRING),
    SCENARIO_ID("scenario_id", Kind.STRING),
    FIXTURE_ID("fixture_id", Kind.STRING),
    PACKET_ID("packet_id", Kind.STRING),
    MODE("mode", Kind.STRING),
    SEED("seed", Kind.UNSIGNED_64),
    ENV_FINGERPRINT("env_fingerprint", Kind.STRING),
    ARTIFACT_REFS("artifact_refs", Kind.STRING_LIST),
    REPLAY_COMMAND("replay_command", Kind.STRING),
    OUTCOME("outcome", Kind.STRING),
    REASON_CODE("reason_code", Kind.STRING);

    /** What a field's JSON value must be. */
    public enum Kind {
        STRING,
        /** A JSON integer from 0 to 2^64 - 1, held in a {@code long} (compare with {@link Long#compareUnsigned}). */
        UNSIGNED_64,
        /** A JSON integer from 0 to 2^128 - 1, held in a {@link dev.triagerules.base.Unsigned128}. */
        UNSIGNED_128,
        /** An array of strings. */
        STRING_LIST
    }

    /** Every field, in order: {@code FIELDS[f.ordinal()] == f}. */
    static final LogField[] FIELDS = values();
    /** One bit a field ({@link #bit()}): the set of every field. */
    static final int ALL_BITS = (1 << FIELDS.length) - 1;
    private static final Map<String, LogField> BY_NAME = new HashMap<>();

    static {
        for (LogField field : FIELDS) {
            BY_NAME.put(field.jsonName, field);
        }
    }

    private final String jsonName;
    private final Kind kind;

    LogField(String jsonName, Kind kind) {
        this.jsonName = jsonName;
        this.kind = kind;
    }

    /** The key in a log line, e.g. {@code reason_code}. */
    public String jsonName() {
        return jsonName;
    }

    public Kind kind() {
        return kind;
    }

    /** This field's bit in a set of fields held as an int. */
    int bit() {
        return 1 << ordinal();
    }

    /** The field of a JSON key, or null for a key triage ignores. */
    static LogField byName(String jsonName) {
        return BY_NAME.get(jsonName);
    }
}
