package dev.triagerules.replay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.triagerules.base.ExactJson;
import dev.triagerules.base.ExitStatus;
import dev.triagerules.base.Unsigned64;
import dev.triagerules.report.ReportedIncident;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
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
 *     as a regular file in the incident's own folder;</li>
 * <li>each of those transcripts is one replay wrote for that attempt of that incident
 *     (its incident_id, attempt, command and seed, and the env.TRIAGE_SEED its command ran
 *     with, when it records one, the seed as replay.json states it), agrees with how replay.json says the
 *     attempt ended (exit_code, timed_out, not_runnable), and is no larger than replay
 *     writes; and the verdict and {@code failed_attempts} are the ones the transcripts give
 *     by replay's own rules ({@link Verdict#of}, {@link IncidentReplay#failedAttempts(List)}).</li>
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

    /** The most problems listed for one incident's replay; the rest are counted in one more line. */
    static final int MAX_REPLAY_PROBLEMS = 20;

    private ClosureGate() {
    }

    /** Every violation, in report order; empty when the report may be closed. */
    public static List<Violation> check(List<ReportedIncident> incidents, TranscriptStore store) {
        List<Violation> violations = new ArrayList<>();
        for (ReportedIncident incident : incidents) {
            violations.addAll(check(incident, store));
        }
        return violations;
    }

    /** One incident's violations, for a report read as a stream; empty when it may be closed. */
    public static List<Violation> check(ReportedIncident incident, TranscriptStore store) {
        List<String> problems = new ArrayList<>();
        checkFields(incident, problems);
        if (incident.needsReplayTranscript()) {
            checkEscalation(incident, problems);
            if (!blank(incident.incidentId())) {
                checkReplay(incident, store, problems);
            }
        }
        List<Violation> violations = new ArrayList<>(problems.size());
        problems.forEach(message -> violations.add(new Violation(incident.label(), message)));
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
        } else if (!Unsigned64.isCanonicalDecimal(incident.seed())) {
            // A leading zero ("007") never gets here: reading the report refuses it (ReportFile).
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
    public static String typeFound(JsonNode value) {
        return ExactJson.typeFound(value);
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

    /**
     * The problems of one incident's replay, at most {@link #MAX_REPLAY_PROBLEMS} of them and
     * a line saying how many more there are: a hostile replay.json of a million attempts
     * would otherwise print a million lines.
     */
    private static void checkReplay(ReportedIncident incident, TranscriptStore store, List<String> problems) {
        List<String> found = new ArrayList<>();
        Path verdictFile = store.verdictFile(incident.incidentId());
        checkReplay(incident, store, verdictFile, found);
        if (found.size() <= MAX_REPLAY_PROBLEMS) {
            problems.addAll(found);
        } else {
            problems.addAll(found.subList(0, MAX_REPLAY_PROBLEMS));
            problems.add(verdictFile + ": ... and " + (found.size() - MAX_REPLAY_PROBLEMS) + " more problem(s) with"
                    + " this replay, not shown (the gate lists at most " + MAX_REPLAY_PROBLEMS + " per incident)");
        }
    }

    private static void checkReplay(ReportedIncident incident, TranscriptStore store, Path verdictFile,
            List<String> problems) {
        String id = incident.incidentId();
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
        long maxBytes = IncidentReplay.maxBytes(incident);
        try {
            long size = Files.size(verdictFile);
            if (size > maxBytes) {
                // Not read at all: replay never writes one this large, and it may not fit in memory.
                problems.add(verdictFile + ": " + IncidentReplay.tooLarge(size, maxBytes));
                return;
            }
            recorded = IncidentReplay.read(verdictFile, maxBytes);
        } catch (IOException e) {
            problems.add(verdictFile + ": unreadable replay verdict: " + e.getMessage());
            return;
        }
        // Every problem of the file at once, in file order: a key of a type replay never
        // writes tells nothing of the replay (read as text, it would stand for another
        // verdict, id or command), and one attempt's broken entry tells nothing of the others.
        problems.addAll(recorded.problems());
        if (!recorded.readable()) {
            // What follows compares those values with the report's and the transcripts'.
            return;
        }
        if (!id.equals(recorded.incidentId())) {
            problems.add(verdictFile + ": incident_id \"" + recorded.incidentId() + "\" is another incident's: not"
                    + " the replay of this one");
            return;
        }
        // The seed as replay ran it (TRIAGE_SEED) and recorded it, text for text: the
        // report's "007" is not the seed 7 (see JsonFields#writeSeed); checkFields refuses it.
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
        // The verdict is the transcripts' to give, by replay's own rule, once every one of
        // them is read and agrees with what replay.json lists.
        List<Evidence> evidence = new ArrayList<>();
        for (int i = 0; i < recorded.attempts().size(); i++) {
            IncidentReplay.Recorded.Listed listed = recorded.attempts().get(i);
            if (!listed.sound()) {
                continue; // its problems are listed above
            }
            String problem = transcriptFileProblem(verdictFile.resolveSibling(listed.transcript()));
            if (problem != null) {
                problems.add(problem);
                continue;
            }
            Evidence read = attemptEvidence(incident, verdictFile, recorded, i, problems);
            if (read != null) {
                evidence.add(read);
            }
        }
        if (evidence.size() == recorded.attempts().size()) {
            checkAllListed(verdictFile, evidence, problems);
            List<RunResult> results = evidence.stream().map(Evidence::result).toList();
            Verdict shown = Verdict.of(results);
            if (!shown.label().equals(recorded.verdict())) {
                problems.add(verdictFile + " says " + recorded.verdict() + "; its transcripts say " + shown.label());
            }
            // Counted as replay counts it when it writes replay.json, from the same results.
            long failed = IncidentReplay.failedAttempts(results);
            if (failed != recorded.failedAttempts()) {
                problems.add(recorded.places().of("/failed_attempts") + ": failed_attempts is "
                        + recorded.failedAttempts() + " but its transcripts give " + failed);
            }
        }
    }

    /**
     * How attempt {@code index} ended, as its transcript says, when the transcript is one
     * replay wrote for this very attempt and agrees with what replay.json lists for it;
     * otherwise null, with every disagreement noted. Its entry in replay.json is sound and its
     * file was checked ({@link #transcriptFileProblem}).
     */
    private static Evidence attemptEvidence(ReportedIncident incident, Path verdictFile,
            IncidentReplay.Recorded recorded, int index, List<String> problems) {
        IncidentReplay.Recorded.Listed listed = recorded.attempts().get(index);
        String key = "attempts[" + index + "]";
        int before = problems.size();
        String name = listed.transcript();
        Path file = verdictFile.resolveSibling(name);
        long maxBytes = Transcript.maxBytes(incident);
        AttemptTranscript transcript;
        try {
            long size = Files.size(file);
            if (size > maxBytes) {
                // Not read at all: replay never writes one this large, and it may not fit in memory.
                problems.add(file + ": " + AttemptTranscript.tooLarge(size, maxBytes));
                return null;
            }
            transcript = AttemptTranscript.read(file, maxBytes);
        } catch (IOException e) {
            problems.add(file + ": unreadable attempt transcript: " + e.getMessage());
            return null;
        }
        if (!transcript.problems().isEmpty()) {
            problems.addAll(transcript.problems());
            return null;
        }
        if (!incident.incidentId().equals(transcript.incidentId())) {
            problems.add(transcript.place("incident_id") + ": incident_id is " + quoted(transcript.incidentId())
                    + " but this is the replay of " + quoted(incident.incidentId()));
        }
        if (transcript.attempt() != index + 1) {
            problems.add(transcript.place("attempt") + ": attempt is " + transcript.attempt() + " but this is the"
                    + " transcript of attempt " + (index + 1) + " (" + name + ")");
        }
        if (!Objects.equals(transcript.command(), recorded.replayCommand())) {
            problems.add(transcript.place("command") + ": command is " + quoted(transcript.command())
                    + " but replay.json's replay_command is " + quoted(recorded.replayCommand()));
        }
        if (!Objects.equals(transcript.seed(), recorded.seed())) {
            problems.add(transcript.place("seed") + ": seed is " + seedText(transcript.seed())
                    + " but replay.json's seed is " + seedText(recorded.seed()));
        }
        if (transcript.envSeed() != null && !transcript.envSeed().equals(recorded.seed())) {
            // Text for text, as the command got it: "007" is not the seed 7 (see JsonFields#writeSeed).
            problems.add(transcript.place("env/TRIAGE_SEED") + ": env.TRIAGE_SEED is " + quoted(transcript.envSeed())
                    + " but replay.json's seed is " + seedText(recorded.seed()) + ": the command ran with another seed"
                    + " than replay.json records; replay again");
        }
        disagree(transcript, "exit_code", transcript.exitCode(), key, listed.exitCode(), problems);
        disagree(transcript, "timed_out", transcript.timedOut(), key, listed.timedOut(), problems);
        disagree(transcript, "not_runnable", transcript.notRunnable(), key, listed.notRunnable(), problems);
        boolean notRunnable = ExitStatus.notRunnable(transcript.exitCode(), transcript.timedOut());
        if (transcript.notRunnable() != notRunnable) {
            // replay derives not_runnable from the exit status; the verdict is decided from that.
            problems.add(transcript.place("not_runnable") + ": not_runnable is " + transcript.notRunnable()
                    + " but replay writes " + notRunnable + " for exit_code " + transcript.exitCode()
                    + " and timed_out " + transcript.timedOut());
        }
        RunResult result = new RunResult(transcript.exitCode(), transcript.timedOut(), Instant.EPOCH, 0,
                new BoundedOutput(0, 0));
        return problems.size() > before ? null : new Evidence(transcript, result);
    }

    /** One attempt's transcript, read and found to agree with replay.json, and how the attempt ended. */
    private record Evidence(AttemptTranscript transcript, RunResult result) {
    }

    /**
     * Notes a transcript whose {@code attempts_planned} says replay.json leaves attempts
     * out: replay runs every attempt planned unless one ends the replay early
     * ({@link RunResult#endsReplay}, the last then), so a replay.json listing fewer would keep
     * a flaky replay's first failure and drop its passes.
     */
    private static void checkAllListed(Path verdictFile, List<Evidence> evidence, List<String> problems) {
        int listed = evidence.size();
        boolean endedEarly = evidence.get(listed - 1).result().endsReplay();
        for (Evidence each : evidence) {
            int planned = each.transcript().attemptsPlanned();
            if (planned < listed || (planned > listed && !endedEarly)) {
                problems.add(each.transcript().place("attempts_planned") + ": attempts_planned is " + planned
                        + " but " + verdictFile.getFileName() + " lists " + listed + " attempt(s)"
                        + (planned > listed ? ", the last of which neither timed out nor failed to start" : ""));
            }
        }
    }

    /** Notes a transcript value that is not what replay.json lists for its attempt. */
    private static void disagree(AttemptTranscript transcript, String key, Object value, String listedAs,
            Object listed, List<String> problems) {
        if (!value.equals(listed)) {
            problems.add(transcript.place(key) + ": " + key + " is " + value + " but replay.json's " + listedAs + "."
                    + key + " is " + listed);
        }
    }

    private static String quoted(String text) {
        return text == null ? "null" : "\"" + text + "\"";
    }

    /** A seed as replay writes it: digits as a number, anything else as a string. */
    private static String seedText(String seed) {
        return seed != null && Unsigned64.isCanonicalDecimal(seed) ? seed : quoted(seed);
    }

    /**
     * What is wrong with an attempt's transcript file, or null: its name, checked in
     * replay.json, is a plain file name in the incident's folder, but the folder may come
     * from elsewhere, so the file itself must be a regular file, not a link to one anywhere.
     */
    private static String transcriptFileProblem(Path file) {
        String unreadable = TranscriptStore.fileProblem(file);
        if (unreadable != null) {
            return file.resolveSibling(TranscriptStore.VERDICT_FILE) + ": attempt transcript \"" + file.getFileName()
                    + "\" " + unreadable;
        }
        return Files.exists(file, LinkOption.NOFOLLOW_LINKS) ? null : "attempt transcript " + file + " is missing";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
