package dev.triagerules.replay;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.triagerules.base.ExactJson;
import dev.triagerules.report.ReportedIncident;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The finished replay of one incident: its attempts and the verdict they give. Written
 * beside the attempt transcripts as {@code replay.json}, which the closure gate reads.
 *
 * @param refusal why the command was not run (verdict {@link Verdict#REFUSED}); null otherwise
 */
public record IncidentReplay(ReportedIncident incident, List<Attempt> attempts, Verdict verdict, String refusal) {

    public static final String SCHEMA_VERSION = "triage-rules-replay-verdict-v1";

    /** One attempt and where its transcript is. */
    public record Attempt(int number, RunResult result, Path transcript) {
    }

    public IncidentReplay {
        attempts = List.copyOf(attempts);
    }

    public IncidentReplay(ReportedIncident incident, List<Attempt> attempts, Verdict verdict) {
        this(incident, attempts, verdict, null);
    }

    /** An incident whose command was not run, and why. */
    public static IncidentReplay refused(ReportedIncident incident, String reason) {
        return new IncidentReplay(incident, List.of(), Verdict.REFUSED, reason);
    }

    public long failedAttempts() {
        return attempts.stream().filter(a -> a.result().failed()).count();
    }

    public void write(Path file) {
        JsonFields.writePretty(file, g -> {
            g.writeStartObject();
            g.writeStringField("schema_version", SCHEMA_VERSION);
            g.writeStringField("incident_id", incident.incidentId());
            g.writeStringField("class", incident.crashClass());
            g.writeStringField("severity", incident.severity());
            g.writeStringField("replay_command", incident.replayCommand());
            JsonFields.writeSeed(g, incident.seed());
            g.writeStringField("env_fingerprint", incident.envFingerprint());
            g.writeStringField("verdict", verdict.label());
            if (refusal != null) {
                g.writeStringField("refused_reason", refusal);
            }
            g.writeNumberField("failed_attempts", failedAttempts());
            // Transcripts are named relative to this file, so the folder can be moved whole.
            writeAttempts(g, false);
            g.writeEndObject();
        });
    }

    /** The {@code attempts} array; {@code fullPaths} names transcripts by their path, else by file name. */
    void writeAttempts(JsonGenerator g, boolean fullPaths) throws IOException {
        g.writeArrayFieldStart("attempts");
        for (Attempt attempt : attempts) {
            g.writeStartObject();
            g.writeNumberField("attempt", attempt.number());
            g.writeNumberField("exit_code", attempt.result().exitCode());
            g.writeBooleanField("timed_out", attempt.result().timedOut());
            g.writeBooleanField("not_runnable", attempt.result().notRunnable());
            g.writeNumberField("duration_ms", attempt.result().durationMs());
            g.writeStringField("transcript", fullPaths ? attempt.transcript().toString()
                    : attempt.transcript().getFileName().toString());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /**
     * What the gate needs from a {@code replay.json}; fields are null when missing, null or
     * of the wrong type.
     *
     * @param attempts the elements of its {@code attempts} array, as found (each should be an
     *                 object with a {@code transcript}); null when {@code attempts} is missing or
     *                 no array
     * @param problems keys missing or of a type replay never writes, in words
     *                 ({@code verdict must be a string (found a number)}); read as text, such a
     *                 value would stand for something else ({@code ["x"]} as "", null as "null")
     */
    public record Recorded(String incidentId, String replayCommand, String seed, String verdict,
            List<JsonNode> attempts, String refusedReason, List<String> problems) {

        public Recorded {
            attempts = attempts == null ? null : List.copyOf(attempts);
            problems = List.copyOf(problems);
        }

        static Recorded from(JsonNode root) {
            List<String> problems = new ArrayList<>();
            JsonNode attemptsNode = root.get("attempts");
            List<JsonNode> attempts = null;
            if (attemptsNode != null && attemptsNode.isArray()) {
                attempts = new ArrayList<>();
                attemptsNode.forEach(attempts::add);
            }
            String incidentId = text(root, "incident_id", false, problems);
            // replay writes null for a report's missing command or seed, and a seed that is no
            // number as a string: those the gate compares with the report's as they are.
            String replayCommand = text(root, "replay_command", true, problems);
            JsonNode seed = root.get("seed");
            String seedText = null;
            if (seed != null && !seed.isNull()) {
                if (seed.isNumber() || seed.isTextual()) {
                    seedText = seed.isIntegralNumber() ? seed.bigIntegerValue().toString() : seed.asText();
                } else {
                    problems.add("seed must be a number, a string or null (found " + ClosureGate.typeFound(seed)
                            + ")");
                }
            }
            String verdict = text(root, "verdict", false, problems);
            JsonNode reason = root.get("refused_reason");
            String refusedReason = null;
            if (reason != null && reason.isTextual()) {
                refusedReason = reason.asText();
            } else if (reason != null) {
                problems.add("refused_reason must be a string (found " + ClosureGate.typeFound(reason) + ")");
            }
            return new Recorded(incidentId, replayCommand, seedText, verdict, attempts, refusedReason, problems);
        }

        /** {@code root.key} as a string; null, with the problem noted, when it is missing or of another type. */
        private static String text(JsonNode root, String key, boolean nullable, List<String> problems) {
            JsonNode value = root.get(key);
            if (value != null && value.isTextual()) {
                return value.asText();
            }
            if (value == null) {
                if (!nullable) {
                    problems.add(key + " is missing");
                }
            } else if (!nullable || !value.isNull()) {
                problems.add(key + " must be a string" + (nullable ? " or null" : "") + " (found "
                        + ClosureGate.typeFound(value) + ")");
            }
            return null;
        }
    }

    /**
     * Reads a {@code replay.json}; an IOException when it is missing or not JSON, whose
     * message says where and what is wrong ({@code not JSON at line 3, column 5: ...}),
     * without Jackson's description of its input.
     */
    public static Recorded read(Path file) throws IOException {
        JsonNode root;
        try (InputStream in = Files.newInputStream(file)) {
            root = ExactJson.MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new IOException("not JSON" + (at == null ? "" : " at line " + at.getLineNr() + ", column "
                    + at.getColumnNr()) + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException("not a JSON object");
        }
        return Recorded.from(root);
    }
}
