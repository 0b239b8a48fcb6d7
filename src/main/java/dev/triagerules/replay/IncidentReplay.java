package dev.triagerules.replay;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.triagerules.base.ExactJson;
import dev.triagerules.base.Unsigned64;
import dev.triagerules.base.VisibleText;
import dev.triagerules.policy.ReplayPolicy;
import dev.triagerules.report.ReportedIncident;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The finished replay of one incident: its attempts and the verdict they give. Written
 * beside the attempt transcripts as {@code replay.json}, which the closure gate reads.
 *
 * @param refusal why the command was not run (verdict {@link Verdict#REFUSED}); null otherwise
 */
public record IncidentReplay(ReportedIncident incident, List<Attempt> attempts, Verdict verdict, String refusal) {

    public static final String SCHEMA_VERSION = "triage-rules-replay-verdict-v1";

    /** Bytes one character of a JSON string may take as written: a control character is {@code \\u0000}. */
    private static final int MAX_BYTES_PER_CHAR = 6;
    /**
     * The most one element of {@code attempts} takes as replay writes it: six keys, numbers at
     * their longest ({@code -2147483648}, a duration of 19 digits), the transcript's name
     * and the indentation come to under 250 bytes.
     */
    private static final int ATTEMPT_BYTES = 512;
    /**
     * Room for everything else: keys, the verdict, {@code failed_attempts}, indentation, and
     * a refusal's reason (fixed text, a character's code and column, or the policy file that
     * holds {@code replay.allow}).
     */
    private static final long ROOM = 256 * 1024;

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

    /**
     * The most bytes replay writes for the replay.json of {@code incident}: the report's values
     * it records (id, class, severity, command, seed and env fingerprint), every character at
     * its longest as JSON, {@link ReplayPolicy#MAX_ATTEMPTS} attempts, and {@link #ROOM}. About
     * 0.8 MiB for a report of ordinary values; a larger file is not one replay wrote, and the
     * gate does not read it (as {@link Transcript#maxBytes} bounds each attempt's transcript).
     */
    public static long maxBytes(ReportedIncident incident) {
        long reportChars = length(incident.incidentId()) + length(incident.crashClass()) + length(incident.severity())
                + length(incident.replayCommand()) + length(incident.seed()) + length(incident.envFingerprint());
        return MAX_BYTES_PER_CHAR * reportChars + (long) ReplayPolicy.MAX_ATTEMPTS * ATTEMPT_BYTES + ROOM;
    }

    private static long length(String text) {
        return text == null ? 0 : text.length();
    }

    public long failedAttempts() {
        return failedAttempts(attempts.stream().map(Attempt::result).toList());
    }

    /**
     * How many of {@code results} failed ({@link RunResult#failed}: a non-zero exit of a
     * program that ran), as replay writes {@code failed_attempts} and the gate checks it.
     */
    public static long failedAttempts(List<RunResult> results) {
        return results.stream().filter(RunResult::failed).count();
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
     * @param attempts what its {@code attempts} array lists, in order; null when {@code attempts}
     *                 is missing or no array (then a problem)
     * @param problems every problem of the file, in file order, each a whole message naming the
     *                 file, where the value is ({@code FILE:LINE:COLUMN}) and the key: a
     *                 {@code schema_version} that is not {@link #SCHEMA_VERSION} (then the only
     *                 problem: the other keys mean nothing), keys missing or of a type replay never
     *                 writes ({@code verdict must be a string (found a number)}), and an attempt's
     *                 transcript that is not the name replay gives it; read as text, a value of the
     *                 wrong type would stand for something else ({@code ["x"]} as "", null as
     *                 "null", the string "5" as the seed 5)
     * @param readable no problem outside the attempts' own: the values the gate compares with the
     *                 report and the transcripts are all there
     * @param failedAttempts its {@code failed_attempts}, which the gate counts again from the
     *                 transcripts ({@link #failedAttempts(List)})
     * @param places   where each value of the file is, for messages about it
     */
    public record Recorded(String incidentId, String replayCommand, String seed, String verdict,
            List<Listed> attempts, String refusedReason, Integer failedAttempts, List<String> problems,
            boolean readable, Places places) {

        public Recorded {
            attempts = attempts == null ? null : List.copyOf(attempts);
            problems = List.copyOf(problems);
        }

        /**
         * One element of {@code attempts}: how the attempt ended and its transcript's file name,
         * each null when missing or of the wrong type.
         *
         * @param sound no problem of its own in replay.json: its transcript may be read and compared
         */
        public record Listed(String transcript, Integer exitCode, Boolean timedOut, Boolean notRunnable,
                boolean sound) {
        }

        static Recorded from(JsonNode root, Places places) {
            JsonNode schema = root.get("schema_version");
            if (schema == null || !SCHEMA_VERSION.equals(schema.textValue())) {
                // Another version's keys may mean other things; none is read.
                return new Recorded(null, null, null, null, null, null, null, List.of(places.of("/schema_version")
                        + ": schema_version is " + (schema == null ? "missing" : VisibleText.inMessage(
                                schema.toString())) + ", expected \"" + SCHEMA_VERSION
                        + "\" (the replay.json that triage-rules replay writes)"), false, places);
            }
            // Every key is checked, whatever an earlier one held: each is read on its own, so
            // one run lists every problem of the file, not one group per run.
            ProblemsInFileOrder found = new ProblemsInFileOrder(places);
            JsonNode attemptsNode = root.get("attempts");
            if (attemptsNode != null && !attemptsNode.isArray()) {
                // Read as none, an object of attempts said "lists no attempt transcripts".
                found.add("/attempts", places.of("/attempts") + ": attempts must be an array (found "
                        + ClosureGate.typeFound(attemptsNode) + ")");
            }
            String incidentId = found.at("/incident_id", p -> text(root, "incident_id", false, places, p));
            String replayCommand = found.at("/replay_command", p -> text(root, "replay_command", true, places, p));
            String seed = found.at("/seed", p -> seed(root.get("seed"), places, p));
            String verdict = found.at("/verdict", p -> text(root, "verdict", false, places, p));
            JsonNode reason = root.get("refused_reason");
            String refusedReason = null;
            if (reason != null && reason.isTextual()) {
                refusedReason = reason.asText();
            } else if (reason != null) {
                found.add("/refused_reason", places.of("/refused_reason") + ": refused_reason must be a string"
                        + " (found " + ClosureGate.typeFound(reason) + ")");
            }
            Integer failedAttempts = found.at("/failed_attempts", p -> AttemptTranscript.integer(root,
                    "failed_attempts", "failed_attempts", "/failed_attempts", places, p));
            boolean readable = found.isEmpty();
            List<Listed> attempts = null;
            if (attemptsNode != null && attemptsNode.isArray()) {
                attempts = new ArrayList<>();
                for (int i = 0; i < attemptsNode.size(); i++) {
                    attempts.add(listed(attemptsNode.get(i), i, places, found));
                }
            }
            return new Recorded(incidentId, replayCommand, seed, verdict, attempts, refusedReason, failedAttempts,
                    found.inFileOrder(), readable, places);
        }

        /**
         * The attempt at {@code index} as listed, each of its problems noted: an object whose
         * {@code transcript} is the name replay gives that attempt's transcript
         * ({@code attempt-N.json}), with {@code exit_code}, {@code timed_out} and {@code not_runnable}
         * of the types replay writes.
         */
        private static Listed listed(JsonNode attempt, int index, Places places, ProblemsInFileOrder found) {
            String key = "attempts[" + index + "]";
            String pointer = "/attempts/" + index;
            if (!attempt.isObject()) {
                found.add(pointer, places.of(pointer) + ": " + key + " must be an object (found "
                        + ClosureGate.typeFound(attempt) + ")");
                return new Listed(null, null, null, null, false);
            }
            int before = found.size();
            String transcript = transcriptName(attempt.get("transcript"), index, places, found);
            Integer exitCode = found.at(pointer + "/exit_code", p -> AttemptTranscript.integer(attempt, "exit_code",
                    key + ".exit_code", pointer + "/exit_code", places, p));
            Boolean timedOut = found.at(pointer + "/timed_out", p -> AttemptTranscript.bool(attempt, "timed_out",
                    key + ".timed_out", pointer + "/timed_out", places, p));
            Boolean notRunnable = found.at(pointer + "/not_runnable", p -> AttemptTranscript.notRunnable(attempt,
                    key + ".not_runnable", pointer + "/not_runnable", places, p));
            return new Listed(transcript, exitCode, timedOut, notRunnable, found.size() == before);
        }

        /**
         * The {@code transcript} of the attempt at {@code index}, when it is the name replay gives
         * it; else null, with the problem noted. Every attempt listed needs its own: replay writes
         * attempt N's transcript as {@code attempt-N.json}, so any other name (replay.json itself,
         * another attempt's file) is no transcript of this attempt. The folder may come from
         * elsewhere, so the name must be a plain file name in the incident's folder.
         */
        private static String transcriptName(JsonNode value, int index, Places places, ProblemsInFileOrder found) {
            String key = "attempts[" + index + "]";
            String pointer = "/attempts/" + index + "/transcript";
            String expected = TranscriptStore.attemptFileName(index + 1);
            if (value == null || value.isNull()) {
                found.add(pointer, places.file() + ": " + key + " has no transcript (replay names it " + expected
                        + ")");
                return null;
            }
            if (!value.isTextual()) {
                found.add(pointer, places.of(pointer) + ": " + key + ".transcript must be a string (found "
                        + ClosureGate.typeFound(value) + ")");
                return null;
            }
            String transcript = value.asText();
            String named = places.file() + ": attempt transcript \"" + transcript + "\"";
            if (!isPlainFileName(transcript)) {
                found.add(pointer, named + " is not a file name in the incident's folder");
                return null;
            }
            if (!transcript.equals(expected)) {
                found.add(pointer, named + " is not the transcript of attempt " + (index + 1) + " (" + expected + ")");
                return null;
            }
            return transcript;
        }

        /** One path element naming a file: no separator (of any platform), no NUL, not empty, not . or .. */
        private static boolean isPlainFileName(String name) {
            return !name.isEmpty() && !name.equals(".") && !name.equals("..")
                    && name.indexOf('/') < 0 && name.indexOf('\\') < 0 && name.indexOf('\0') < 0;
        }

        /**
         * The seed as {@link JsonFields#writeSeed} wrote it, the seed replay ran: null (the
         * report had none), an unsigned 64-bit integer as a JSON number, or any other seed (a
         * report's "abc", or "007", which replay ran as TRIAGE_SEED=007) as a string, which the
         * gate compares with the report's as it is. Anything else replay never writes: a string
         * of canonical digits ("5") compared equal to the report's seed 5.
         */
        static String seed(JsonNode seed, Places places, List<String> problems) {
            if (seed == null || seed.isNull()) {
                return null;
            }
            if (seed.isIntegralNumber() && Unsigned64.inRange(seed.bigIntegerValue())) {
                return seed.bigIntegerValue().toString();
            }
            if (seed.isTextual() && !Unsigned64.isCanonicalDecimal(seed.asText())) {
                return seed.asText();
            }
            String at = places.of("/seed") + ": ";
            if (seed.isTextual()) {
                problems.add(at + "seed must be a number, not the string " + VisibleText.inMessage(seed.toString())
                        + " (replay writes a seed of digits as a JSON number)");
            } else if (seed.isNumber()) {
                problems.add(at + "seed must be an unsigned 64-bit integer when it is a number, not "
                        + seed.toString() + " (replay writes any other seed as a string)");
            } else {
                problems.add(at + "seed must be a number, a string or null (found " + ClosureGate.typeFound(seed)
                        + ")");
            }
            return null;
        }

        /** {@code root.key} as a string; null, with the problem noted, when it is missing or of another type. */
        static String text(JsonNode root, String key, boolean nullable, Places places, List<String> problems) {
            JsonNode value = root.get(key);
            if (value != null && value.isTextual()) {
                return value.asText();
            }
            if (value == null) {
                if (!nullable) {
                    problems.add(places.file() + ": " + key + " is missing");
                }
            } else if (!nullable || !value.isNull()) {
                problems.add(places.of("/" + key) + ": " + key + " must be a string" + (nullable ? " or null" : "")
                        + " (found " + ClosureGate.typeFound(value) + ")");
            }
            return null;
        }
    }

    /**
     * Where the values of a {@code replay.json} are, by JSON pointer ({@code /seed},
     * {@code /attempts/2/transcript}): for a replay.json the top three levels, which are all
     * the gate reads.
     */
    public record Places(Path file, Map<String, JsonLocation> values) {
        private static final int DEPTH = 3;

        /** {@code FILE:LINE:COLUMN} of the value at {@code pointer}; the file alone when there is none. */
        public String of(String pointer) {
            JsonLocation at = values.get(pointer);
            return at == null ? file.toString() : file + ":" + at.getLineNr() + ":" + at.getColumnNr();
        }

        /** Reads where each value is; the text is well-formed JSON (the tree was read from it). */
        static Places of(Path file, byte[] json) throws IOException {
            return of(file, json, DEPTH);
        }

        /** Where each value down to {@code depth} levels is; the text is well-formed JSON. */
        public static Places of(Path file, byte[] json, int depth) throws IOException {
            Map<String, JsonLocation> values = new HashMap<>();
            try (JsonParser p = ExactJson.FACTORY.createParser(json)) {
                for (JsonToken token = p.nextToken(); token != null; token = p.nextToken()) {
                    if (token == JsonToken.FIELD_NAME || token.isStructEnd()) {
                        continue;
                    }
                    // At a value; at an object's or array's start, the context is already the new
                    // one, whose pointer is still its value's.
                    String pointer = p.getParsingContext().pathAsPointer().toString();
                    if (pointer.chars().filter(c -> c == '/').count() <= depth) {
                        values.putIfAbsent(pointer, p.currentTokenLocation());
                    }
                }
            }
            return new Places(file, Map.copyOf(values));
        }
    }

    /**
     * Reads a {@code replay.json} of at most {@code maxBytes} bytes ({@link #maxBytes}); an
     * IOException when it is missing, no regular file (a link could lead anywhere, a FIFO or
     * device would block or never end: neither is opened), larger than the bound (not read
     * at all, or refused at the bound when it grows while read), or not JSON, whose message
     * says where and what is wrong ({@code not JSON at line 3, column 5: ...}), without
     * Jackson's description of its input.
     */
    public static Recorded read(Path file, long maxBytes) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isRegularFile()) {
            throw new IOException((attributes.isSymbolicLink() ? "a symbolic link" : "not a regular file")
                    + ", which replay never writes: not read");
        }
        if (attributes.size() > maxBytes) {
            throw new IOException(tooLarge(attributes.size(), maxBytes));
        }
        if (attributes.size() > MAX_ARRAY) {
            throw new IOException(attributes.size() + " bytes, more than one array can hold: not read");
        }
        long limit = Math.min(maxBytes, MAX_ARRAY);
        byte[] json;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            json = in.readNBytes((int) limit + 1);
        }
        if (json.length > limit) {
            throw new IOException(tooLarge(json.length, limit) + " (it grew while it was read)");
        }
        JsonNode root;
        try {
            root = ExactJson.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new IOException("not JSON" + (at == null ? "" : " at line " + at.getLineNr() + ", column "
                    + at.getColumnNr()) + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException("not a JSON object");
        }
        return Recorded.from(root, Places.of(file, json));
    }

    /** The largest byte array the JVM makes, less one for the byte that shows a file grew. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 9L;

    /** Why a replay.json of {@code size} bytes is not read for an incident bounded by {@code maxBytes}. */
    public static String tooLarge(long size, long maxBytes) {
        return size + " bytes, more than replay writes for the replay.json of this incident (at most " + maxBytes
                + "): not read";
    }
}
