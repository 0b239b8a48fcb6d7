package dev.triagerules.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triagerules.base.Unsigned64;
import dev.triagerules.report.ReportedIncident;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The closure rules a report must meet before its incidents may be closed:
 * <ul>
 * <li>every incident still carries what replay and triage need: incident_id,
 *     replay_command, non-empty artifact_refs, packet_id and mode labels, and an
 *     unsigned 64-bit seed;</li>
 * <li>every incident critical for closure (its escalation has replay_transcript_required)
 *     carries its escalation's linked bead id and artifact paths, and has a replay whose
 *     verdict is {@code reproduced}, made with the report's own command and seed, whose
 *     attempts each have their transcript, as replay names it ({@code attempt-N.json}),
 *     as a regular file in the incident's own folder.</li>
 * </ul>
 */
public final class ClosureGate {

    /** One broken rule. */
    public record Violation(String incident, String message) {
        @Override
        public String toString() {
            return incident + ": " + message;
        }
    }

    private ClosureGate() {
    }

    /** Every violation, in report order; empty when the report may be closed. */
    public static List<Violation> check(List<ReportedIncident> incidents, TranscriptStore store) {
        List<Violation> violations = new ArrayList<>();
        for (ReportedIncident incident : incidents) {
            List<String> problems = new ArrayList<>();
            checkFields(incident, problems);
            if (incident.needsReplayTranscript()) {
                checkEscalation(incident, problems);
                if (!blank(incident.incidentId())) {
                    checkReplay(incident, store, problems);
                }
            }
            problems.forEach(message -> violations.add(new Violation(incident.label(), message)));
        }
        return violations;
    }

    private static void checkFields(ReportedIncident incident, List<String> problems) {
        checkPresent(incident, "incident_id", incident.incidentId(), "incident_id is missing", problems);
        checkPresent(incident, "replay_command", incident.replayCommand(), "replay_command is missing", problems);
        if (incident.problems().containsKey("artifact_refs")) {
            problems.add(wrongType(incident, "artifact_refs"));
        } else if (incident.artifactRefs() == null) {
            problems.add("artifact_refs is missing (or not a list of strings)");
        } else if (incident.artifactRefs().isEmpty()) {
            problems.add("artifact_refs is empty");
        }
        checkPresent(incident, "packet_id", incident.packetId(), "packet_id label is missing", problems);
        checkPresent(incident, "mode", incident.mode(), "mode label is missing", problems);
        if (incident.seed() == null) {
            problems.add("seed is missing");
        } else if (!Unsigned64.isDecimal(incident.seed())) {
            problems.add("seed \"" + incident.seed() + "\" is not an unsigned 64-bit integer");
        }
        // An escalation of the wrong shape reads as none, which needs no replay: the gate
        // would pass an incident the policy made critical. So would a severity of the wrong
        // type beside no escalation: the policy escalates by severity, and this one it could
        // not have read (triage-rules writes a string), so "no escalation" tells nothing.
        incident.problems().keySet().stream().filter(key -> key.equals("severity") || key.equals("escalation")
                        || key.startsWith("escalation."))
                .forEach(key -> problems.add(wrongType(incident, key)
                        + ": the gate cannot tell whether this incident needs a replay"));
    }

    private static void checkPresent(ReportedIncident incident, String key, String value, String missing,
            List<String> problems) {
        if (incident.problems().containsKey(key)) {
            problems.add(wrongType(incident, key));
        } else if (blank(value)) {
            problems.add(missing);
        }
    }

    /** A key of the wrong type, and the JSON type found ({@code incident_id must be a string (found a number)}). */
    private static String wrongType(ReportedIncident incident, String key) {
        ReportedIncident.Problem problem = incident.problems().get(key);
        return key + " " + problem.message() + " (found " + typeFound(problem.value()) + ")";
    }

    /** The JSON type of a value, with its article: {@code a number}, {@code an object}; {@code null} for null. */
    static String typeFound(JsonNode value) {
        if (value.isNull()) {
            return "null";
        }
        String found = value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        return (found.matches("[aeiou].*") ? "an " : "a ") + found;
    }

    private static void checkEscalation(ReportedIncident incident, List<String> problems) {
        ReportedIncident.Escalation escalation = incident.escalation(); // not null: it asks for the transcript
        if (blank(escalation.linkedBeadId())) {
            problems.add("critical incident has no escalation.linked_bead_id");
        }
        if (escalation.artifactPaths() == null || escalation.artifactPaths().isEmpty()) {
            problems.add("critical incident has no escalation.artifact_paths");
        }
    }

    private static void checkReplay(ReportedIncident incident, TranscriptStore store, List<String> problems) {
        String id = incident.incidentId();
        Path verdictFile = store.verdictFile(id);
        String replayHint = " (run: triage-rules replay --report REPORT --incident " + id + ")";
        String unreadable = TranscriptStore.fileProblem(verdictFile);
        if (unreadable != null) {
            problems.add(verdictFile + " " + unreadable + ": not read as this incident's replay verdict");
            return;
        }
        if (!Files.isRegularFile(verdictFile, LinkOption.NOFOLLOW_LINKS)) {
            problems.add("critical incident has no replay transcript in " + store.dir() + replayHint);
            return;
        }
        IncidentReplay.Recorded recorded;
        try {
            recorded = IncidentReplay.read(verdictFile);
        } catch (IOException e) {
            problems.add(verdictFile + ": unreadable replay verdict: " + e.getMessage());
            return;
        }
        if (!recorded.problems().isEmpty()) {
            // A key of a type replay never writes tells nothing of the replay: read as text, it
            // would stand for another verdict, id or command.
            problems.addAll(recorded.problems());
            return;
        }
        if (!id.equals(recorded.incidentId())) {
            problems.add(verdictFile + ": incident_id \"" + recorded.incidentId() + "\" is another incident's: not"
                    + " the replay of this one");
            return;
        }
        if (!Objects.equals(incident.replayCommand(), recorded.replayCommand())
                || !Objects.equals(incident.seed(), recorded.seed())) {
            problems.add("replay transcript was made with another replay_command or seed than the report's"
                    + replayHint);
            return;
        }
        if (Verdict.fromLabel(recorded.verdict()) == null) {
            problems.add(verdictFile + ": verdict \"" + recorded.verdict() + "\" is not one replay writes ("
                    + Arrays.stream(Verdict.values()).map(Verdict::label).collect(Collectors.joining(", ")) + ")");
            return;
        }
        if (Verdict.REFUSED.label().equals(recorded.verdict())) {
            problems.add("replay was refused (" + recorded.refusedReason() + "): allow the command in policy"
                    + " replay.allow, or replay with --allow-any-command if you trust the report" + replayHint);
            return;
        }
        if (Verdict.NOT_RUNNABLE.label().equals(recorded.verdict())) {
            problems.add("replay could not start its program (verdict not_runnable: not found or not executable,"
                    + " see the attempt transcript): make the program available in the replay's workdir and PATH,"
                    + " then replay again" + replayHint);
            return;
        }
        if (!Verdict.REPRODUCED.label().equals(recorded.verdict())) {
            problems.add("replay verdict is " + recorded.verdict() + ", closure needs reproduced");
        }
        if (recorded.attempts() == null || recorded.attempts().isEmpty()) {
            problems.add(verdictFile + " lists no attempt transcripts");
            return;
        }
        for (int i = 0; i < recorded.attempts().size(); i++) {
            String problem = transcriptProblem(verdictFile, recorded.places(), i, recorded.attempts().get(i));
            if (problem != null) {
                problems.add(problem);
            }
        }
    }

    /**
     * What is wrong with the transcript of the attempt at {@code index} of a replay.json, or
     * null. Every attempt listed needs its own: replay writes attempt N's transcript as
     * {@code attempt-N.json}, so any other name (replay.json itself, another attempt's file)
     * is no transcript of this attempt. The file may come from elsewhere, so the name must be
     * a plain file name in the incident's folder and the file itself a regular file, not a
     * link to one anywhere.
     */
    private static String transcriptProblem(Path verdictFile, IncidentReplay.Places places, int index,
            JsonNode attempt) {
        String key = "attempts[" + index + "]";
        String pointer = "/attempts/" + index;
        String expected = TranscriptStore.attemptFileName(index + 1);
        if (!attempt.isObject()) {
            return places.of(pointer) + ": " + key + " must be an object (found " + typeFound(attempt) + ")";
        }
        JsonNode value = attempt.get("transcript");
        if (value == null || value.isNull()) {
            return verdictFile + ": " + key + " has no transcript (replay names it " + expected + ")";
        }
        if (!value.isTextual()) {
            return places.of(pointer + "/transcript") + ": " + key + ".transcript must be a string (found "
                    + typeFound(value) + ")";
        }
        String transcript = value.asText();
        String named = verdictFile + ": attempt transcript \"" + transcript + "\"";
        if (!isPlainFileName(transcript)) {
            return named + " is not a file name in the incident's folder";
        }
        if (!transcript.equals(expected)) {
            return named + " is not the transcript of attempt " + (index + 1) + " (" + expected + ")";
        }
        Path file = verdictFile.resolveSibling(transcript);
        String unreadable = TranscriptStore.fileProblem(file);
        if (unreadable != null) {
            return named + " " + unreadable;
        }
        return Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? null : "attempt transcript " + file + " is missing";
    }

    /** One path element naming a file: no separator (of any platform), no NUL, not empty, not . or .. */
    private static boolean isPlainFileName(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..")
                && name.indexOf('/') < 0 && name.indexOf('\\') < 0 && name.indexOf('\0') < 0;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
