package dev.triagerules.replay;

import com.fasterxml.jackson.core.JsonGenerator;
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
