package dev.triagerules.html;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.triagerules.base.UserError;
import dev.triagerules.history.ReplayEvidence;
import dev.triagerules.replay.AttemptTranscript;
import dev.triagerules.replay.ClosureGate;
import dev.triagerules.replay.IncidentReplay;
import dev.triagerules.replay.Transcript;
import dev.triagerules.report.ReportFile;
import dev.triagerules.report.ReportedIncident;
import dev.triagerules.replay.ReplaySummary;
import dev.triagerules.replay.TranscriptStore;
import dev.triagerules.base.ExactJson;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code triage-rules replay} summary read back for the HTML report, with the output of
 * each attempt's transcript. Transcripts are looked up by incident id and attempt number in
 * the transcripts folder ({@link TranscriptStore}'s layout), never at the path the summary
 * names, and only as regular files reached through no link, so a summary cannot make the
 * page show a file outside that folder. Only the transcripts of the report's own incidents
 * are read, and only up to the size replay writes for the incident ({@link Transcript#maxBytes},
 * the gate's bound): a larger one is named instead of its output, never read into memory.
 *
 * @param byIncident each replayed incident's verdict and attempts, by incident id
 * @param skipped    incidents that were selected but not replayed, and why, by incident id
 * @param complete   false when the replay run was interrupted
 */
public record ReplayRecords(Path summary, boolean complete, Map<String, Replay> byIncident,
        Map<String, String> skipped) {

    /** Output kept per attempt: the tail, where a crash shows; the transcript file has the rest. */
    static final int OUTPUT_CHARS = 16 * 1024;

    public ReplayRecords {
        byIncident = Collections.unmodifiableMap(new LinkedHashMap<>(byIncident));
        skipped = Collections.unmodifiableMap(new LinkedHashMap<>(skipped));
    }

    /** One incident's replay. */
    public record Replay(String verdict, Long failedAttempts, List<Attempt> attempts) {
        public Replay {
            attempts = List.copyOf(attempts);
        }
    }

    /**
     * One attempt.
     *
     * @param transcript    the transcript as the summary names it (shown, never opened)
     * @param output        the end of its output, or null when the transcript could not be read
     * @param omittedChars  characters of output before {@code output} left out of the page
     * @param problem       why there is no output, or null
     */
    public record Attempt(long number, Long exitCode, boolean timedOut, Long durationMs, String transcript,
            String output, long omittedChars, String problem) {
    }

    /**
     * How many of the summary's incidents are in a report and how many are not. A summary
     * names the incidents of the report it replayed: given with another report, its
     * incidents count for nothing there and must not be counted as that report's replays.
     */
    public record InReport(int replayed, int replayedElsewhere, int skipped, int skippedElsewhere) {
        /** Whether the summary names incidents the report does not have. */
        public boolean hasOthers() {
            return replayedElsewhere + skippedElsewhere > 0;
        }

        /** Whether the summary names incidents, none of them in the report: the summary of another report. */
        public boolean sharesNothing() {
            return hasOthers() && replayed + skipped == 0;
        }
    }

    /** Which of this summary's incidents {@code report} has. */
    public InReport inReport(ReportFile report) {
        Set<String> ids = new HashSet<>();
        for (ReportedIncident incident : report.incidents()) {
            ids.add(incident.incidentId());
        }
        int replayed = (int) byIncident.keySet().stream().filter(ids::contains).count();
        int skippedHere = (int) skipped.keySet().stream().filter(ids::contains).count();
        return new InReport(replayed, byIncident.size() - replayed, skippedHere, skipped.size() - skippedHere);
    }

    /**
     * Reads a summary, and the transcripts in {@code transcripts} (by default the summary's
     * folder, where {@code triage-rules replay} puts it). The summary is read as strictly as
     * {@code --replays} reads it ({@link ReplayEvidence}, which judges it first, with the same
     * messages), and every other key the page shows must have the type replay writes: a
     * value of another type is an error naming the file, the line and column, and the key
     * ({@code s.json:9:20: incidents[0].attempts[0].timed_out must be true or false (found a
     * string)}), not a value misread onto the page. The transcripts read are those of
     * {@code report}'s incidents, each bounded by what replay writes for it.
     */
    public static ReplayRecords read(Path summary, Path transcripts, ReportFile report) {
        byte[] json = readBytes(summary, "replay summary");
        JsonNode root = parse(summary, json, "replay summary");
        if (!root.isObject() || !ReplaySummary.SCHEMA_VERSION.equals(root.path("schema_version").textValue())) {
            throw new UserError(summary + ": not a replay summary (expected schema_version \""
                    + ReplaySummary.SCHEMA_VERSION + "\", written by triage-rules replay)");
        }
        ReplayEvidence.read(List.of(summary));
        Fields fields = new Fields(summary, json);
        Path folder = transcripts != null ? transcripts
                : summary.toAbsolutePath().getParent();
        Map<String, ReportedIncident> reported = new HashMap<>();
        report.incidents().forEach(incident -> reported.putIfAbsent(incident.incidentId(), incident));
        Map<String, Replay> byIncident = new LinkedHashMap<>();
        JsonNode incidents = array(summary, root, "incidents", "incidents");
        for (int i = 0; i < incidents.size(); i++) {
            JsonNode incident = incidents.get(i);
            String at = "incidents[" + i + "]";
            String pointer = "/incidents/" + i;
            if (!incident.isObject()) {
                throw new UserError(summary + ": " + at + " is not an object");
            }
            String id = fields.text(incident, "incident_id", at, pointer);
            if (id == null || id.isEmpty()) {
                throw new UserError(summary + ": " + at + " has no incident_id");
            }
            List<Attempt> attempts = new ArrayList<>();
            JsonNode listed = array(summary, incident, "attempts", at + ".attempts");
            for (int a = 0; a < listed.size(); a++) {
                attempts.add(attempt(folder, reported.get(id), id, listed.get(a), fields,
                        at + ".attempts[" + a + "]", pointer + "/attempts/" + a));
            }
            byIncident.put(id, new Replay(fields.text(incident, "verdict", at, pointer),
                    fields.whole(incident, "failed_attempts", at, pointer), attempts));
        }
        Map<String, String> skipped = new LinkedHashMap<>();
        JsonNode skips = array(summary, root, "skipped", "skipped");
        for (int i = 0; i < skips.size(); i++) {
            JsonNode skip = skips.get(i);
            String at = "skipped[" + i + "]";
            if (!skip.isObject()) {
                throw new UserError(summary + ": " + at + " is not an object");
            }
            String id = fields.text(skip, "incident_id", at, "/skipped/" + i);
            if (id != null) {
                String reason = fields.text(skip, "reason", at, "/skipped/" + i);
                skipped.put(id, reason == null ? "" : reason);
            }
        }
        Boolean complete = fields.bool(root, "complete", null, "");
        return new ReplayRecords(summary, complete == null || complete, byIncident, skipped);
    }

    /**
     * The keys of one summary, each of the type replay writes or absent (JSON null counts as
     * absent); any other type is an error placed at its line and column.
     */
    private static final class Fields {
        private static final String AN_INTEGER = "an integer";
        private final Path file;
        private final byte[] json;

        Fields(Path file, byte[] json) {
            this.file = file;
            this.json = json;
        }

        String text(JsonNode parent, String key, String at, String pointer) {
            JsonNode value = present(parent, key);
            if (value == null || value.isTextual()) {
                return value == null ? null : value.textValue();
            }
            throw wrong(value, at, key, pointer, "a string");
        }

        Long whole(JsonNode parent, String key, String at, String pointer) {
            JsonNode value = present(parent, key);
            if (value == null || (value.isIntegralNumber() && value.canConvertToLong())) {
                return value == null ? null : value.longValue();
            }
            throw wrong(value, at, key, pointer, AN_INTEGER);
        }

        Boolean bool(JsonNode parent, String key, String at, String pointer) {
            JsonNode value = present(parent, key);
            if (value == null || value.isBoolean()) {
                return value == null ? null : value.booleanValue();
            }
            throw wrong(value, at, key, pointer, "true or false");
        }

        private static JsonNode present(JsonNode parent, String key) {
            JsonNode value = parent.get(key);
            return value == null || value.isNull() ? null : value;
        }

        private UserError wrong(JsonNode value, String at, String key, String pointer, String expected) {
            String where;
            try {
                where = IncidentReplay.Places.of(file, json, Integer.MAX_VALUE).of(pointer + "/" + key);
            } catch (IOException e) {
                where = file.toString(); // not reached: the tree was read from the same text
            }
            return new UserError(where + ": " + (at == null ? "" : at + ".") + key + " must be " + expected
                    + " (found " + (value.isNumber() && expected.equals(AN_INTEGER) ? value.toString()
                            : ClosureGate.typeFound(value)) + ")");
        }
    }

    /**
     * {@code parent.key} as an array, empty when absent. Anything else is refused: an object
     * there was walked as if it were one (its values taken for incidents) and ended in an
     * internal error.
     */
    private static JsonNode array(Path summary, JsonNode parent, String key, String shownAs) {
        JsonNode value = parent.path(key);
        if (value.isMissingNode() || value.isNull()) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        if (!value.isArray()) {
            throw new UserError(summary + ": \"" + shownAs + "\" is not an array");
        }
        return value;
    }

    private static Attempt attempt(Path folder, ReportedIncident incident, String incidentId, JsonNode attempt,
            Fields fields, String at, String pointer) {
        if (!attempt.isObject()) {
            throw new UserError(fields.file + ": " + at + " is not an object");
        }
        Long listedNumber = fields.whole(attempt, "attempt", at, pointer);
        long number = listedNumber == null ? 0 : listedNumber;
        Long exitCode = fields.whole(attempt, "exit_code", at, pointer);
        Boolean timedOut = fields.bool(attempt, "timed_out", at, pointer);
        fields.bool(attempt, "not_runnable", at, pointer);
        Long durationMs = fields.whole(attempt, "duration_ms", at, pointer);
        String named = fields.text(attempt, "transcript", at, pointer);
        return attempt(folder, incident, incidentId, number, exitCode, timedOut != null && timedOut, durationMs,
                named);
    }

    private static Attempt attempt(Path folder, ReportedIncident incident, String incidentId, long number,
            Long exitCode, boolean timedOut, Long durationMs, String named) {
        if (number < 1 || number > Integer.MAX_VALUE) {
            return new Attempt(number, exitCode, timedOut, durationMs, named, null, 0, "no attempt number");
        }
        if (incident == null) {
            // Not on the page, and without the report's values there is no bound to read it within.
            return new Attempt(number, exitCode, timedOut, durationMs, named, null, 0,
                    "not an incident of the report; transcript not read");
        }
        Path file = new TranscriptStore(folder).attemptFile(incidentId, (int) number);
        String problem = unreadable(file);
        if (problem != null) {
            return new Attempt(number, exitCode, timedOut, durationMs, named, null, 0, problem);
        }
        JsonNode transcript;
        try {
            transcript = parse(file, readTranscript(file, Transcript.maxBytes(incident)), "transcript");
        } catch (UserError e) {
            return new Attempt(number, exitCode, timedOut, durationMs, named, null, 0, e.getMessage());
        }
        JsonNode text = transcript.path("output");
        if (!text.isTextual() && !text.isMissingNode() && !text.isNull()) {
            return new Attempt(number, exitCode, timedOut, durationMs, named, null, 0, file + ": output must be a"
                    + " string (found " + ClosureGate.typeFound(text) + "); not shown");
        }
        String output = text.asText("");
        int keepFrom = Math.max(0, output.length() - OUTPUT_CHARS);
        if (keepFrom > 0 && Character.isLowSurrogate(output.charAt(keepFrom))) {
            keepFrom++; // never split a surrogate pair
        }
        return new Attempt(number, exitCode, timedOut, durationMs, named, output.substring(keepFrom), keepFrom, null);
    }

    /**
     * Why {@code file} may not be read, or null: it is missing, or not a regular file in a
     * real incident folder (a link could lead anywhere, a FIFO would block the page forever).
     */
    private static String unreadable(Path file) {
        String problem = TranscriptStore.fileProblem(file);
        if (problem != null) {
            return file + " " + problem + "; not shown";
        }
        return Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? null : file + ": transcript not found";
    }

    /**
     * A transcript of at most {@code maxBytes} bytes, read whole; a larger one is not read
     * at all (it may not fit in memory), and one that grows past the bound while it is read
     * is refused at the bound. Either is a UserError naming the file and both sizes.
     */
    private static byte[] readTranscript(Path file, long maxBytes) {
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                throw new UserError(file + ": " + AttemptTranscript.tooLarge(size, maxBytes));
            }
            if (size > MAX_ARRAY) {
                throw new UserError(file + ": " + size + " bytes, more than a page can hold: not read");
            }
            long limit = Math.min(maxBytes, MAX_ARRAY);
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                byte[] json = in.readNBytes((int) limit + 1);
                if (json.length > limit) {
                    throw new UserError(file + ": " + AttemptTranscript.tooLarge(json.length, limit)
                            + " (it grew while it was read)");
                }
                return json;
            }
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw new UserError(file + ": transcript not found");
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The largest byte array the JVM makes, less one for the byte that shows a file grew. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 9L;

    private static byte[] readBytes(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw new UserError(file + ": " + what + " not found");
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static JsonNode parse(Path file, byte[] json, String what) {
        try {
            JsonNode root = ExactJson.MAPPER.readTree(json);
            if (root == null || root.isMissingNode()) {
                throw new UserError(file + ": empty " + what);
            }
            return root;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : ":" + e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr();
            throw new UserError(file + where + ": not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
