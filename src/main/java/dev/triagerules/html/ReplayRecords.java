package dev.triagerules.html;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.triagerules.base.UserError;
import dev.triagerules.report.ReportFile;
import dev.triagerules.report.ReportedIncident;
import dev.triagerules.replay.ReplaySummary;
import dev.triagerules.replay.TranscriptStore;
import dev.triagerules.base.ExactJson;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
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
 * page show a file outside that folder.
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
     * folder, where {@code triage-rules replay} puts it).
     */
    public static ReplayRecords read(Path summary, Path transcripts) {
        JsonNode root = readJson(summary, "replay summary");
        if (!root.isObject() || !ReplaySummary.SCHEMA_VERSION.equals(root.path("schema_version").asText(null))) {
            throw new UserError(summary + ": not a replay summary (expected schema_version \""
                    + ReplaySummary.SCHEMA_VERSION + "\", written by triage-rules replay)");
        }
        Path folder = transcripts != null ? transcripts
                : summary.toAbsolutePath().getParent();
        Map<String, Replay> byIncident = new LinkedHashMap<>();
        JsonNode incidents = array(summary, root, "incidents", "incidents");
        for (int i = 0; i < incidents.size(); i++) {
            JsonNode incident = incidents.get(i);
            if (!incident.isObject()) {
                throw new UserError(summary + ": incidents[" + i + "] is not an object");
            }
            String id = incident.path("incident_id").asText(null);
            if (id == null || id.isEmpty()) {
                throw new UserError(summary + ": incidents[" + i + "] has no incident_id");
            }
            List<Attempt> attempts = new ArrayList<>();
            for (JsonNode attempt : array(summary, incident, "attempts", "incidents[" + i + "].attempts")) {
                attempts.add(attempt(folder, id, attempt));
            }
            byIncident.put(id, new Replay(incident.path("verdict").asText(null), whole(incident.get("failed_attempts")),
                    attempts));
        }
        Map<String, String> skipped = new LinkedHashMap<>();
        for (JsonNode skip : array(summary, root, "skipped", "skipped")) {
            String id = skip.path("incident_id").asText(null);
            if (id != null) {
                skipped.put(id, skip.path("reason").asText(""));
            }
        }
        return new ReplayRecords(summary, root.path("complete").asBoolean(true), byIncident, skipped);
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

    private static Attempt attempt(Path folder, String incidentId, JsonNode attempt) {
        long number = attempt.path("attempt").asLong(0);
        Long exitCode = whole(attempt.get("exit_code"));
        boolean timedOut = attempt.path("timed_out").asBoolean(false);
        Long durationMs = whole(attempt.get("duration_ms"));
        String named = attempt.path("transcript").asText(null);
        if (number < 1 || number > Integer.MAX_VALUE) {
            return new Attempt(number, exitCode, timedOut, durationMs, named, null, 0, "no attempt number");
        }
        Path file = new TranscriptStore(folder).attemptFile(incidentId, (int) number);
        String problem = unreadable(file);
        if (problem != null) {
            return new Attempt(number, exitCode, timedOut, durationMs, named, null, 0, problem);
        }
        JsonNode transcript;
        try {
            transcript = readJson(file, "transcript");
        } catch (UserError e) {
            return new Attempt(number, exitCode, timedOut, durationMs, named, null, 0, e.getMessage());
        }
        String output = transcript.path("output").asText("");
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

    private static JsonNode readJson(Path file, String what) {
        try {
            JsonNode root = ExactJson.MAPPER.readTree(file.toFile());
            if (root == null) {
                throw new UserError(file + ": empty " + what);
            }
            return root;
        } catch (NoSuchFileException | FileNotFoundException e) {
            throw new UserError(file + ": " + what + " not found");
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : ":" + e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr();
            throw new UserError(file + where + ": not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static Long whole(JsonNode value) {
        return value != null && value.isIntegralNumber() && value.canConvertToLong() ? value.longValue() : null;
    }
}
