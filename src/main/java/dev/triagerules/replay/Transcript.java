package dev.triagerules.replay;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.triagerules.report.ReportedIncident;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The record of one replay attempt, written as JSON to
 * {@code <transcripts>/<incident>/attempt-<n>.json}: what ran (the command and the argv
 * really executed), where, with which seed and environment (TRIAGE_* values, the names of
 * inherited variables), how it ended, and its combined output (head and tail when long, with the
 * number of bytes cut).
 */
public record Transcript(String incidentId, int attempt, int attemptsPlanned, String command, List<String> argv,
        Path workdir, String seed, String envFingerprint, Map<String, String> env, Set<String> inheritedEnv,
        Duration timeout, RunResult result) {

    public static final String SCHEMA_VERSION = "triage-rules-replay-transcript-v1";

    /** Bytes one character of a JSON string may take as written: a control character is {@code \\u0000}. */
    private static final int MAX_BYTES_PER_CHAR = 6;
    /**
     * Room for everything of a transcript that is neither the output nor the report's text:
     * keys, numbers, pretty-printing, the workdir, the names of inherited variables and the
     * marker where output was cut (together a few KiB in practice).
     */
    private static final long ROOM = 256 * 1024;

    /**
     * The most bytes replay writes for a transcript of {@code incident}: the output it keeps
     * ({@link BoundedOutput#DEFAULT_HEAD} + {@link BoundedOutput#DEFAULT_TAIL} bytes, each at
     * most one character) and the report's values it records (the command as {@code command}
     * and in {@code argv}; the id, seed and env fingerprint as keys of their own and as
     * TRIAGE_* values; packet, suite, scenario and mode as TRIAGE_* values), every character at its
     * longest as JSON, plus {@link #ROOM}. About 1 MiB for a report of ordinary values; a
     * file larger than this is not one replay wrote, and the gate does not read it.
     */
    public static long maxBytes(ReportedIncident incident) {
        long reportChars = 2L * (length(incident.replayCommand()) + length(incident.incidentId())
                + length(incident.seed()) + length(incident.envFingerprint())) + length(incident.packetId())
                + length(incident.suiteId()) + length(incident.scenarioId()) + length(incident.mode());
        long outputChars = (long) BoundedOutput.DEFAULT_HEAD + BoundedOutput.DEFAULT_TAIL;
        return MAX_BYTES_PER_CHAR * (outputChars + reportChars) + ROOM;
    }

    private static long length(String text) {
        return text == null ? 0 : text.length();
    }

    public void write(Path file) {
        JsonFields.writePretty(file, this::writeTo);
    }

    private void writeTo(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("schema_version", SCHEMA_VERSION);
        g.writeStringField("incident_id", incidentId);
        g.writeNumberField("attempt", attempt);
        g.writeNumberField("attempts_planned", attemptsPlanned);
        g.writeStringField("command", command);
        // What was really run: the command's words (no shell), or sh -c COMMAND with --allow-any-command.
        g.writeArrayFieldStart("argv");
        for (String arg : argv) {
            g.writeString(arg);
        }
        g.writeEndArray();
        g.writeStringField("workdir", workdir.toString());
        JsonFields.writeSeed(g, seed);
        g.writeStringField("env_fingerprint", envFingerprint);
        g.writeObjectFieldStart("env");
        for (Map.Entry<String, String> e : env.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        // Names only: values of the invoking shell's variables stay out of files that get shared.
        g.writeArrayFieldStart("inherited_env");
        for (String name : inheritedEnv) {
            g.writeString(name);
        }
        g.writeEndArray();
        g.writeNumberField("started_unix_ms", result.started().toEpochMilli());
        g.writeStringField("started_at", result.started().toString());
        g.writeNumberField("duration_ms", result.durationMs());
        g.writeNumberField("timeout_ms", timeout.toMillis());
        g.writeNumberField("exit_code", result.exitCode());
        g.writeBooleanField("timed_out", result.timedOut());
        g.writeBooleanField("not_runnable", result.notRunnable());
        g.writeNumberField("output_bytes", result.output().totalBytes());
        g.writeNumberField("output_truncated_bytes", result.output().truncatedBytes());
        g.writeStringField("output", result.output().text());
        g.writeEndObject();
    }
}
