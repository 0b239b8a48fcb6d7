package dev.triagerules.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triagerules.base.UserError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayEvidenceTest {
    @TempDir
    Path tmp;

    /** An attempt whose program could not start did not run: it is no failing replay of the incident. */
    @Test
    void attemptsThatCouldNotStartAreNotCounted() throws IOException {
        Path summary = Files.writeString(tmp.resolve("replay-summary.json"), """
                {"schema_version": "triage-rules-replay-summary-v1", "incidents": [
                  {"incident_id": "i:1", "verdict": "reproduced", "attempts": [
                    {"attempt": 1, "exit_code": 1, "timed_out": false, "not_runnable": false},
                    {"attempt": 2, "exit_code": 0, "timed_out": false, "not_runnable": false},
                    {"attempt": 3, "exit_code": 137, "timed_out": true, "not_runnable": false}]},
                  {"incident_id": "i:2", "verdict": "not_runnable", "attempts": [
                    {"attempt": 1, "exit_code": 127, "timed_out": false, "not_runnable": true}]}]}
                """);
        ReplayEvidence evidence = ReplayEvidence.read(List.of(summary));
        assertThat(evidence.of("i:1")).isEqualTo(new ReplayEvidence.Counts(3, 1, 1, 1, List.of("reproduced")));
        assertThat(evidence.of("i:2")).isEqualTo(new ReplayEvidence.Counts(0, 0, 0, 0, List.of("not_runnable")));
    }

    /**
     * Before: a summary made before replay recorded not_runnable counted an attempt that
     * exited 127 or 126 as a failed replay (two made the incident deterministic), while the
     * gate refuses the same replay. Whether such an attempt ran, the file cannot say: it is
     * an error naming the attempt, as the gate refuses it, not a count either way.
     */
    @Test
    void anAttemptOfAnOlderSummaryThatExited127Or126IsRefusedNotCounted() throws IOException {
        Path summary = Files.writeString(tmp.resolve("replay-summary.json"), """
                {"schema_version": "triage-rules-replay-summary-v1", "incidents": [
                  {"incident_id": "i:1", "verdict": "reproduced", "attempts": [
                    {"attempt": 1, "exit_code": 1, "timed_out": false},
                    {"attempt": 2, "exit_code": 127, "timed_out": false}]}]}
                """);
        Path notExecutable = Files.writeString(tmp.resolve("not-executable.json"), """
                {"schema_version": "triage-rules-replay-summary-v1", "incidents": [
                  {"incident_id": "i:1", "verdict": "reproduced", "attempts": [
                    {"attempt": 1, "not_runnable": null, "exit_code": 126}]}]}
                """);

        assertThatThrownBy(() -> ReplayEvidence.read(List.of(summary))).isInstanceOf(UserError.class)
                .hasMessage(summary + ":4:33: incidents[0].attempts[1] exited 127 (the shell's \"not found\") and"
                        + " the summary does not say whether it ran (no not_runnable): made by an older"
                        + " triage-rules; replay again");
        assertThatThrownBy(() -> ReplayEvidence.read(List.of(notExecutable))).isInstanceOf(UserError.class)
                .hasMessage(notExecutable + ":3:55: incidents[0].attempts[0] exited 126 (the shell's \"not"
                        + " executable\") and the summary does not say whether it ran (no not_runnable): made by an"
                        + " older triage-rules; replay again");
    }

    /** Without not_runnable, any other exit, and a timeout whatever its status, still say what happened. */
    @Test
    void anOlderSummaryStillCountsAttemptsWhoseStatusShowsTheyRan() throws IOException {
        Path summary = Files.writeString(tmp.resolve("replay-summary.json"), """
                {"schema_version": "triage-rules-replay-summary-v1", "incidents": [
                  {"incident_id": "i:1", "verdict": "hung", "attempts": [
                    {"attempt": 1, "exit_code": 101, "timed_out": false},
                    {"attempt": 2, "exit_code": 0},
                    {"attempt": 3, "exit_code": 127, "timed_out": true}]}]}
                """);

        assertThat(ReplayEvidence.read(List.of(summary)).of("i:1"))
                .isEqualTo(new ReplayEvidence.Counts(3, 1, 1, 1, List.of("hung")));
    }

    /**
     * Before: "not_runnable": false beside exit 127 counted as a failure, "not_runnable": true
     * beside exit 1 as no attempt; replay never writes either, and the gate refuses both.
     */
    @Test
    void aNotRunnableThatContradictsTheExitStatusIsRefused() throws IOException {
        String head = "{\"schema_version\": \"triage-rules-replay-summary-v1\", \"incidents\": [\n"
                + "{\"incident_id\": \"i:1\", \"attempts\": [";
        Path ran = Files.writeString(tmp.resolve("ran.json"),
                head + "{\"exit_code\": 127, \"timed_out\": false, \"not_runnable\": false}]}]}\n");
        Path notRun = Files.writeString(tmp.resolve("not-run.json"),
                head + "{\"exit_code\": 1, \"not_runnable\": true}]}]}\n");

        assertThatThrownBy(() -> ReplayEvidence.read(List.of(ran))).isInstanceOf(UserError.class)
                .hasMessage(ran + ":2:92: incidents[0].attempts[0].not_runnable is false but replay writes true for"
                        + " exit_code 127 and timed_out false");
        assertThatThrownBy(() -> ReplayEvidence.read(List.of(notRun))).isInstanceOf(UserError.class)
                .hasMessage(notRun + ":2:70: incidents[0].attempts[0].not_runnable is true but replay writes false for"
                        + " exit_code 1 and timed_out false");
    }

    /** Before: only the file was named, while a JSON syntax error names its line; now its line, column and key. */
    @Test
    void aBadAttemptNamesTheLineOfItsIncident() throws IOException {
        Path summary = Files.writeString(tmp.resolve("replay-summary.json"), """
                {"schema_version": "triage-rules-replay-summary-v1",
                 "incidents": [ {"incident_id": "i:1", "verdict": "flaky", "attempts": [
                    {"attempt": 1, "exit_code": 1}]},
                  {"incident_id": "i:2", "verdict": "flaky",
                   "attempts": [{"attempt": 1, "exit_code": "one"}]}]}
                """);
        assertThatThrownBy(() -> ReplayEvidence.read(List.of(summary))).isInstanceOf(UserError.class)
                .hasMessage(summary + ":5:45: incidents[1].attempts[0].exit_code must be an integer (found a string)");
    }

    /**
     * Before: of keys given twice the last counted, so a second "incidents" (or "exit_code")
     * replaced what came before, while html --replays refused the same file.
     */
    @Test
    void aKeyGivenTwiceIsRefusedNamingTheKeyAndWhereItIs() throws IOException {
        Path incidents = Files.writeString(tmp.resolve("incidents.json"), """
                {"incidents": [{"incident_id": "i:1", "attempts": [{"exit_code": 1}]}],
                 "schema_version": "triage-rules-replay-summary-v1",
                 "incidents": []}
                """);
        Path exitCode = Files.writeString(tmp.resolve("exit-code.json"), """
                {"schema_version": "triage-rules-replay-summary-v1", "incidents": [
                  {"incident_id": "i:1", "attempts": [{"exit_code": 1,
                                                       "exit_code": 0}]}]}
                """);

        assertThatThrownBy(() -> ReplayEvidence.read(List.of(incidents))).isInstanceOf(UserError.class)
                .hasMessage(incidents + ":3:13: not a replay summary: Duplicate field 'incidents'");
        assertThatThrownBy(() -> ReplayEvidence.read(List.of(exitCode))).isInstanceOf(UserError.class)
                .hasMessage(exitCode + ":3:51: not a replay summary: Duplicate field 'exit_code'");
    }

    /** Before: anything after the summary's object was never read, a second summary included. */
    @Test
    void anythingAfterTheSummaryIsRefused() throws IOException {
        String summary = "{\"schema_version\": \"triage-rules-replay-summary-v1\", \"incidents\": []}\n";
        Path second = Files.writeString(tmp.resolve("second.json"), summary + "  " + summary);
        Path word = Files.writeString(tmp.resolve("word.json"), summary + "xx\n");
        Path blank = Files.writeString(tmp.resolve("blank.json"), summary + "\n  \n");

        assertThatThrownBy(() -> ReplayEvidence.read(List.of(second))).isInstanceOf(UserError.class)
                .hasMessage(second + ":2:3: not a replay summary: text after the summary's JSON value");
        assertThatThrownBy(() -> ReplayEvidence.read(List.of(word))).isInstanceOf(UserError.class)
                .hasMessageStartingWith(word + ":2:1: not a replay summary: Unrecognized token 'xx'");
        assertThat(ReplayEvidence.read(List.of(blank)).isEmpty()).isTrue();
    }

    /** Before: Jackson's description of its input ended the message ("at [Source: REDACTED ..."). */
    @Test
    void brokenJsonIsPlacedByLineAndColumn() throws IOException {
        Path broken = Files.writeString(tmp.resolve("broken.json"),
                "{\"schema_version\": \"triage-rules-replay-summary-v1\",\n  oops}\n");

        assertThatThrownBy(() -> ReplayEvidence.read(List.of(broken))).isInstanceOf(UserError.class)
                .hasMessage(broken + ":2:3: not a replay summary: Unexpected character ('o' (code 111)):"
                        + " was expecting double-quote to start field name");
    }

    /** One failing attempt given twice met min_replay_attempts 2 and made the incident deterministic. */
    @Test
    void theSameSummaryGivenTwiceIsRefused() throws IOException {
        Path summary = Files.writeString(tmp.resolve("replay-summary.json"), """
                {"schema_version": "triage-rules-replay-summary-v1", "incidents": [
                  {"incident_id": "i:1", "verdict": "reproduced", "attempts": [{"attempt": 1, "exit_code": 1}]}]}
                """);
        Path sameFile = Files.createLink(tmp.resolve("hard-link.json"), summary);

        assertThatThrownBy(() -> ReplayEvidence.read(List.of(summary, tmp.resolve("./replay-summary.json"))))
                .isInstanceOf(UserError.class).hasMessage("--replays " + tmp.resolve("./replay-summary.json")
                        + ": the same file as " + summary + ", already given; each summary counts once");
        assertThatThrownBy(() -> ReplayEvidence.read(List.of(summary, sameFile))).isInstanceOf(UserError.class)
                .hasMessageContaining("the same file as");
    }

    /** 0.5 counted as a pass (it converts to the int 0), an attempts object was walked as a list, ["x"] read as "". */
    @Test
    void valuesOfTheWrongTypeAreRefusedNotGuessed() throws IOException {
        String head = "{\"schema_version\": \"triage-rules-replay-summary-v1\", \"incidents\": [{\"incident_id\": \"i:1\", ";
        Path half = Files.writeString(tmp.resolve("half.json"), head + "\"attempts\": [{\"exit_code\": 0.5}]}]}");
        Path object = Files.writeString(tmp.resolve("object.json"), head + "\"attempts\": {\"a\": {\"exit_code\": 0}}}]}");
        Path verdict = Files.writeString(tmp.resolve("verdict.json"), head + "\"attempts\": [], \"verdict\": [\"x\"]}]}");
        Path incidents = Files.writeString(tmp.resolve("incidents.json"),
                "{\"schema_version\": \"triage-rules-replay-summary-v1\", \"incidents\": {}}");

        assertThatThrownBy(() -> ReplayEvidence.read(List.of(half)))
                .hasMessage(half + ":1:118: incidents[0].attempts[0].exit_code must be an integer (found 0.5)");
        assertThatThrownBy(() -> ReplayEvidence.read(List.of(object)))
                .hasMessage(object + ":1:103: incidents[0].attempts must be an array (found an object)");
        assertThatThrownBy(() -> ReplayEvidence.read(List.of(verdict)))
                .hasMessage(verdict + ":1:118: incidents[0].verdict must be a string (found an array)");
        assertThatThrownBy(() -> ReplayEvidence.read(List.of(incidents)))
                .hasMessage(incidents + ":1:67: incidents must be an array (found an object)");
    }

    /**
     * Before: incident_id, timed_out and not_runnable were read loosely: an id 7 counted as
     * the incident "7", a timed_out "true" as false (the hung attempt counted as a failure),
     * a not_runnable "true" as false (the attempt that never ran counted). Each is refused,
     * naming the file, the line and column of the value, and the key.
     */
    @Test
    void keysOfTheWrongTypeAreRefusedWithTheirPlaceAndKey() throws IOException {
        String head = "{\"schema_version\": \"triage-rules-replay-summary-v1\", \"incidents\": [\n";
        String attempt = "{\"attempt\": 1, \"exit_code\": 1, \"timed_out\": false, \"not_runnable\": false}";
        java.util.Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("{\"incident_id\": 7, \"verdict\": \"reproduced\", \"attempts\": [" + attempt + "]}",
                ":2:17: incidents[0].incident_id must be a string (found a number)");
        refused.put("{\"incident_id\": \"i:1\", \"attempts\": [" + attempt.replace("\"timed_out\": false",
                "\"timed_out\": \"true\"") + "]}",
                ":2:81: incidents[0].attempts[0].timed_out must be true or false (found a string)");
        refused.put("{\"incident_id\": \"i:1\", \"attempts\": [" + attempt.replace("\"not_runnable\": false",
                "\"not_runnable\": 1") + "]}",
                ":2:104: incidents[0].attempts[0].not_runnable must be true or false (found a number)");
        refused.put("{\"incident_id\": \"i:1\", \"attempts\": []}, {\"incident_id\": [\"i:2\"]}",
                ":2:57: incidents[1].incident_id must be a string (found an array)");
        refused.put("\"i:1\"", ":2:1: incidents[0] must be an object (found a string)");
        refused.put("{\"incident_id\": \"i:1\", \"attempts\": [7]}",
                ":2:37: incidents[0].attempts[0] must be an object (found a number)");
        refused.put("{\"incident_id\": \"i:1\", \"attempts\": [{\"attempt\": 1}]}",
                ":2:37: incidents[0].attempts[0].exit_code is missing");
        for (java.util.Map.Entry<String, String> each : refused.entrySet()) {
            Path summary = Files.writeString(tmp.resolve("replay-summary.json"), head + each.getKey() + "]}\n");
            assertThatThrownBy(() -> ReplayEvidence.read(List.of(summary))).as(each.getKey())
                    .isInstanceOf(UserError.class).hasMessage(summary + each.getValue());
        }
    }

    /** Was "not a replay summary: Input length = 1". */
    @Test
    void aSummaryThatIsNotUtf8SaysSo() throws IOException {
        Path latin1 = Files.write(tmp.resolve("latin1.json"),
                "{\"schema_version\": \"caf\u00e9\"}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> ReplayEvidence.read(List.of(latin1)))
                .hasMessage(latin1 + ": not a replay summary: not UTF-8 text");
    }
}
