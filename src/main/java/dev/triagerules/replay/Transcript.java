package dev.triagerules.replay;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The record of one replay attempt, written as JSON to
 * {@code <transcripts>/<incident>/attempt-<n>.json}: what ran, where, with which seed and
 * environment, how it ended, and its combined output (head and tail when long, with the
 * number of bytes cut).
 */
public record Transcript(String incidentId, int attempt, int attemptsPlanned, String command, Path workdir,
        String seed, String envFingerprint, Map<String, String> env, Duration timeout, RunResult result) {

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
        g.writeStringField("workdir", workdir.toString());
        JsonFields.writeSeed(g, seed);
        g.writeStringField("env_fingerprint", envFingerprint);
        g.writeObjectFieldStart("env");
        for (Map.Entry<String, String> e : env.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeNumberField("started_unix_ms", result.started().toEpochMilli());
        g.writeStringField("started_at", result.started().toString());
        g.writeNumberField("duration_ms", result.durationMs());
        g.writeNumberField("timeout_ms", timeout.toMillis());
        g.writeNumberField("exit_code", result.exitCode());
        g.writeBooleanField("timed_out", result.timedOut());
        g.writeNumberField("output_bytes", result.output().totalBytes());
        g.writeNumberField("output_truncated_bytes", result.output().truncatedBytes());
        g.writeStringField("output", result.output().text());
        g.writeEndObject();
    }
}
