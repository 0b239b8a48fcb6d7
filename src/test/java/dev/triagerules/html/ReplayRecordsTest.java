package dev.triagerules.html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triagerules.base.FileTypes;
import dev.triagerules.base.UserError;
import dev.triagerules.report.ReportFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ReplayRecordsTest {
    private static final String ID = "triage64:9e3779b97f4a7c15";

    @TempDir
    Path dir;

    /** A report whose first incident is {@link #ID}, the one the fixture summaries replay. */
    private ReportFile report() throws java.io.IOException {
        return HtmlFixtures.write(HtmlFixtures.report(3, false, false), dir.resolve("triage.json"));
    }

    @Test
    void readsVerdictsAndTheOutputOfEachTranscript() throws Exception {
        ReplayRecords records = ReplayRecords.read(HtmlFixtures.replaySummary(dir, ID), null, report());

        ReplayRecords.Replay replay = records.byIncident().get(ID);
        assertThat(replay.verdict()).isEqualTo("reproduced");
        ReplayRecords.Attempt attempt = replay.attempts().get(0);
        assertThat(attempt.exitCode()).isEqualTo(101);
        assertThat(attempt.output()).contains("<script>alert(4)</script>", "dependency cycle");
        assertThat(attempt.problem()).isNull();
    }

    /** A FIFO planted in a transcripts folder from elsewhere blocked the page forever. */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aTranscriptThatIsAFifoIsNotOpened() throws Exception {
        Path summary = HtmlFixtures.replaySummary(dir, ID);
        Path transcript = dir.resolve("triage64_9e3779b97f4a7c15").resolve("attempt-1.json");
        Files.delete(transcript);
        FileTypes.mkfifo(transcript);

        ReplayRecords.Attempt attempt = ReplayRecords.read(summary, null, report()).byIncident().get(ID)
                    .attempts().get(0);

        assertThat(attempt.output()).isNull();
        assertThat(attempt.problem()).isEqualTo(transcript + " is not a regular file; not shown");
    }

    /** An incident folder that is a link would show whatever its target holds under the incident's name. */
    @Test
    void anIncidentFolderThatIsALinkIsNotFollowed() throws Exception {
        Path summary = HtmlFixtures.replaySummary(dir, ID);
        Path folder = dir.resolve("triage64_9e3779b97f4a7c15");
        Path elsewhere = Files.move(folder, Files.createTempDirectory("elsewhere").resolve("moved"));
        try {
            Files.createSymbolicLink(folder, elsewhere);

            ReplayRecords.Attempt attempt = ReplayRecords.read(summary, null, report()).byIncident().get(ID)
                    .attempts().get(0);

            assertThat(attempt.output()).isNull();
            assertThat(attempt.problem()).isEqualTo(folder.resolve("attempt-1.json") + " is in " + folder
                    + ", which is a symbolic link, not a folder; not shown");
        } finally {
            try (var files = Files.walk(elsewhere.getParent())) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    void theTranscriptIsLookedUpInTheFolderNotAtThePathTheSummaryNames() throws Exception {
        Path summary = HtmlFixtures.replaySummary(dir, ID);
        Path folder = dir.resolve("triage64_9e3779b97f4a7c15");
        Path secret = Files.writeString(Files.createTempFile("secret", ".json"), "{\"output\": \"TOP SECRET\"}");
        try {
            Files.delete(folder.resolve("attempt-1.json"));
            Files.createSymbolicLink(folder.resolve("attempt-1.json"), secret);
            Files.writeString(summary, Files.readString(summary).replace("replay-transcripts/", "/etc/"));

            ReplayRecords.Attempt attempt = ReplayRecords.read(summary, null, report()).byIncident().get(ID)
                    .attempts().get(0);
            assertThat(attempt.output()).isNull();
            assertThat(attempt.problem()).endsWith("attempt-1.json is a symbolic link, not a regular file; not shown");
            assertThat(attempt.transcript()).startsWith("/etc/"); // shown as text, never opened
        } finally {
            Files.deleteIfExists(secret);
        }
    }

    @Test
    void aMissingTranscriptIsNotedAndLongOutputKeepsItsEnd() throws Exception {
        Path summary = HtmlFixtures.replaySummary(dir, ID);
        Path transcript = dir.resolve("triage64_9e3779b97f4a7c15").resolve("attempt-1.json");
        Files.writeString(transcript, "{\"output\": \"" + "x".repeat(40_000) + "THE END\"}");
        ReplayRecords.Attempt attempt = ReplayRecords.read(summary, null, report()).byIncident().get(ID)
                    .attempts().get(0);
        assertThat(attempt.output()).hasSize(ReplayRecords.OUTPUT_CHARS).endsWith("THE END");
        assertThat(attempt.omittedChars()).isEqualTo(40_007 - ReplayRecords.OUTPUT_CHARS);

        Files.delete(transcript);
        attempt = ReplayRecords.read(summary, null, report()).byIncident().get(ID).attempts().get(0);
        assertThat(attempt.problem()).endsWith("transcript not found");
    }

    /**
     * Before: the transcript was read whole, so a huge one planted in a transcripts folder
     * ran the page out of memory. Now one larger than replay writes for the incident (the
     * gate's bound) is named on the page instead of its output, and never read.
     */
    @Test
    void aTranscriptFarLargerThanReplayWritesIsNamedNotRead() throws Exception {
        Path summary = HtmlFixtures.replaySummary(dir, ID);
        Path transcript = dir.resolve("triage64_9e3779b97f4a7c15").resolve("attempt-1.json");
        long huge = 8L << 30; // sparse: read into memory, it would not fit
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(transcript.toFile(), "rw")) {
            file.setLength(huge);
        }

        ReplayRecords.Attempt attempt = ReplayRecords.read(summary, null, report()).byIncident().get(ID)
                    .attempts().get(0);

        assertThat(attempt.output()).isNull();
        ReportFile report = report();
        long bound = dev.triagerules.replay.Transcript.maxBytes(report.incidents().get(0));
        String problem = transcript + ": " + huge + " bytes, more than replay writes for a transcript of this"
                + " incident (at most " + bound + "): not read";
        assertThat(attempt.problem()).isEqualTo(problem);
        // Named on the page, escaped as every text there, in place of the output.
        String html = HtmlReport.render(report, null, ReplayRecords.read(summary, null, report));
        assertThat(html).contains(problem).doesNotContain("dependency cycle");
    }

    @Test
    void aBrokenSummaryIsRefusedWithItsPlace() throws Exception {
        Path summary = Files.writeString(dir.resolve("s.json"), "{\n  \"schema_version\": oops\n}");
        assertThatThrownBy(() -> ReplayRecords.read(summary, null, report())).isInstanceOf(UserError.class)
                .hasMessageStartingWith(summary + ":2:").hasMessageContaining("not JSON");
        Path report = Files.writeString(dir.resolve("r.json"), "{\"schema_version\": \"ft-crash-triage-v1\"}");
        assertThatThrownBy(() -> ReplayRecords.read(report, null, report())).isInstanceOf(UserError.class)
                .hasMessageContaining("not a replay summary");
    }

    @Test
    void aSummaryWhoseListsAreNotArraysIsRefusedByName() throws Exception {
        String head = "{\"schema_version\": \"" + dev.triagerules.replay.ReplaySummary.SCHEMA_VERSION + "\", ";
        // The first three as --replays says it (ReplayEvidence judges the summary first).
        Map<String, String> refused = Map.of(
                "\"incidents\": {\"a\": {\"incident_id\": \"x\"}}}",
                ":1:67: incidents must be an array (found an object)",
                "\"incidents\": [\"x\"]}", ":1:68: incidents[0] must be an object (found a string)",
                "\"incidents\": [{\"incident_id\": \"x\", \"attempts\": {\"a\": {}}}]}",
                ":1:101: incidents[0].attempts must be an array (found an object)",
                "\"incidents\": [], \"skipped\": \"x\"}", ": \"skipped\" is not an array");
        for (Map.Entry<String, String> each : refused.entrySet()) {
            Path summary = Files.writeString(dir.resolve("s.json"), head + each.getKey());
            assertThatThrownBy(() -> ReplayRecords.read(summary, null, report())).as(each.getKey())
                    .isInstanceOf(UserError.class).hasMessage(summary + each.getValue());
        }
    }

    /**
     * Before: every key was read loosely (asText, asLong, asBoolean): a verdict ["reproduced"]
     * showed as "", an exit code "101" as none, timed_out "yes" as false, an incident_id 5 as
     * the id "5". A summary of the wrong shape is refused, naming the file, the place and the key.
     */
    @Test
    void aSummaryKeyOfTheWrongTypeIsRefusedWithItsPlace() throws Exception {
        Map<String, String> refused = new java.util.LinkedHashMap<>();
        refused.put("\"verdict\" : \"reproduced\"", "\"verdict\" : [\"reproduced\"]");
        refused.put("\"exit_code\" : 101", "\"exit_code\" : \"101\"");
        refused.put("\"incident_id\" : \"" + ID + "\"", "\"incident_id\" : 5");
        refused.put("\"timed_out\" : false", "\"timed_out\" : \"yes\"");
        refused.put("\"attempt\" : 1", "\"attempt\" : \"1\"");
        refused.put("\"duration_ms\" : 1520", "\"duration_ms\" : 1.5");
        refused.put("\"failed_attempts\" : 1", "\"failed_attempts\" : true");
        refused.put("\"complete\" : true", "\"complete\" : \"no\"");
        refused.put("\"transcript\" : \"replay-transcripts/", "\"transcript\" : [\"replay-transcripts/");
        refused.put("\"skipped\" : [ ]", "\"skipped\" : [ { \"incident_id\" : \"x\", \"reason\" : 7 } ]");
        Path summary = HtmlFixtures.replaySummary(dir, ID);
        String good = Files.readString(summary);
        java.util.List<String> messages = new java.util.ArrayList<>();
        for (Map.Entry<String, String> each : refused.entrySet()) {
            assertThat(good).contains(each.getKey());
            Files.writeString(summary, good.replace(each.getKey(), each.getValue())
                    .replace("/attempt-1.json\"", "/attempt-1.json\"" + (each.getKey().startsWith("\"transcript")
                            ? "]" : "")));
            assertThatThrownBy(() -> ReplayRecords.read(summary, null, report())).as(each.getValue())
                    .isInstanceOf(UserError.class)
                    .satisfies(e -> messages.add(e.getMessage().replace(summary.toString(), "S")));
        }
        assertThat(messages).containsExactly(
                "S:8:17: incidents[0].verdict must be a string (found an array)",
                "S:12:21: incidents[0].attempts[0].exit_code must be an integer (found a string)",
                "S:7:21: incidents[0].incident_id must be a string (found a number)",
                "S:13:21: incidents[0].attempts[0].timed_out must be true or false (found a string)",
                "S:11:19: incidents[0].attempts[0].attempt must be an integer (found a string)",
                "S:14:23: incidents[0].attempts[0].duration_ms must be an integer (found 1.5)",
                "S:9:25: incidents[0].failed_attempts must be an integer (found a boolean)",
                "S:5:16: complete must be true or false (found a string)",
                "S:15:22: incidents[0].attempts[0].transcript must be a string (found an array)",
                "S:18:51: skipped[0].reason must be a string (found a number)");
    }

    @Test
    void thePageShowsTheReplayOfAnIncidentAsText() throws Exception {
        ReportFile report = HtmlFixtures.write(HtmlFixtures.report(3, false, false), dir.resolve("triage.json"));
        String html = HtmlReport.render(report, null, ReplayRecords.read(HtmlFixtures.replaySummary(dir, ID), null,
                report));
        assertThat(html).contains("reproduced: 1 of 1 attempts failed", "Attempt 1: exit 101 after 1.5 s",
                "&lt;script&gt;alert(4)&lt;/script&gt;", "1 incident replayed.");
        assertThat(HtmlReportTest.count(html, "<script")).isEqualTo(1);
    }

    /** Rendered from Java, as from the command: only the report's own incidents count as replayed. */
    @Test
    void thePageCountsOnlyTheReportsIncidentsAndSaysWhatItLeftOff() throws Exception {
        ReportFile report = HtmlFixtures.write(HtmlFixtures.report(3, false, false), dir.resolve("triage.json"));
        Path other = Files.createDirectories(dir.resolve("other"));
        Path summary = HtmlFixtures.replaySummary(other, "triage64:00000000000000ff");
        Files.writeString(summary, Files.readString(summary).replace("\"complete\" : true", "\"complete\" : false"));

        String html = HtmlReport.render(report, null, ReplayRecords.read(summary, null, report));

        assertThat(html).contains("<p class=\"note\">Replays from " + summary + ": no incident of this report was"
                + " replayed; the replay run was interrupted before it finished. Its 1 replayed incident is not in"
                + " this report: it may be the summary of another report.</p>")
                .doesNotContain("reproduced: 1 of 1 attempts failed", "1 incident replayed");
    }
}

