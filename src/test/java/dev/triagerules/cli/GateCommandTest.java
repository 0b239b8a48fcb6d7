package dev.triagerules.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triagerules.report.ReportFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class GateCommandTest {
    @TempDir
    Path dir;
    Path transcripts;
    Path report;
    ObjectNode r;

    @BeforeEach
    void report() throws Exception {
        transcripts = dir.resolve("t");
        r = ReportFixtures.report();
        ReportFixtures.incident(r, "triage64:c1", "critical", "exit 1");
        ReportFixtures.incident(r, "triage64:m1", "medium", "true");
        report = ReportFixtures.write(r, dir.resolve("triage.json"));
    }

    private CliRunner.Result replay(String... selection) {
        String[] common = {"replay", "--report", report.toString(), "--workdir", dir.toString(),
            "--transcripts", transcripts.toString(), "--attempts", "2", "--timeout", "5s", "-q",
            "--allow-any-command"}; // the fixtures' commands are shell snippets
        String[] all = new String[common.length + selection.length];
        System.arraycopy(common, 0, all, 0, common.length);
        System.arraycopy(selection, 0, all, common.length, selection.length);
        CliRunner.Result result = CliRunner.run(all);
        assertEquals(0, result.exitCode(), result.err());
        return result;
    }

    private CliRunner.Result gate() {
        return CliRunner.run("gate", "--report", report.toString(), "--transcripts", transcripts.toString());
    }

    @Test
    void passesWhenEveryCriticalIncidentReproducedAndNothingIsMissing() {
        replay("--severity", "critical");
        CliRunner.Result result = gate();
        assertEquals(0, result.exitCode(), result.out() + result.err());
        assertEquals("", result.out());
        assertTrue(result.err().contains("gate: ok: 2 incident(s), 1 critical"), result.err());
    }

    /**
     * A transcripts folder from elsewhere: a replay.json, or an incident folder, that is a
     * link was followed, and the JSON error quoted the first word of its target (a token).
     */
    @Test
    void aVerdictOrIncidentFolderThatIsALinkTripsTheGateWithoutReadingIt() throws Exception {
        replay("--severity", "critical");
        Path secret = Files.writeString(dir.resolve("token"), "ghp_SECRETTOKEN\n");
        Path folder = transcripts.resolve("triage64_c1");
        Path verdict = folder.resolve("replay.json");
        Files.delete(verdict);
        Files.createSymbolicLink(verdict, secret);

        CliRunner.Result linkedVerdict = gate();

        assertEquals(3, linkedVerdict.exitCode(), linkedVerdict.out() + linkedVerdict.err());
        assertEquals("triage64:c1: " + verdict + " is a symbolic link, not a regular file: not read as this"
                + " incident's replay verdict\n", linkedVerdict.out());

        Path moved = Files.move(folder, dir.resolve("elsewhere"));
        Files.delete(moved.resolve("replay.json"));
        Files.writeString(moved.resolve("replay.json"), "ghp_SECRETTOKEN\n");
        Files.createSymbolicLink(folder, moved);

        CliRunner.Result linkedFolder = gate();

        assertEquals(3, linkedFolder.exitCode(), linkedFolder.out() + linkedFolder.err());
        assertEquals("triage64:c1: " + verdict + " is in " + folder + ", which is a symbolic link, not a folder:"
                + " not read as this incident's replay verdict\n", linkedFolder.out());
        assertFalse((linkedFolder.out() + linkedFolder.err()).contains("SECRET"));
    }

    /** An escalation of the wrong shape read as none, and none needs no replay: the gate passed a critical incident. */
    @Test
    void anEscalationOrIdOfTheWrongTypeTripsTheGate() throws Exception {
        ObjectNode critical = (ObjectNode) r.get("incidents").get(0);
        critical.put("escalation", "yes");
        ObjectNode medium = (ObjectNode) r.get("incidents").get(1);
        medium.put("incident_id", 12345);
        medium.putObject("escalation").put("replay_transcript_required", "no");
        ReportFixtures.write(r, report);

        CliRunner.Result result = gate();

        assertEquals(3, result.exitCode(), result.out() + result.err());
        assertEquals("triage64:c1: escalation must be an object or null (found a string): the gate cannot tell"
                + " whether this incident needs a replay\n"
                + "incidents[1]: incident_id must be a string (found a number)\n"
                + "incidents[1]: escalation.replay_transcript_required must be true or false (found a string):"
                + " the gate cannot tell whether this incident needs a replay\n", result.out());
    }

    @Test
    void tripsWhenACriticalIncidentWasNeverReplayed() {
        CliRunner.Result result = gate();
        assertEquals(3, result.exitCode());
        assertTrue(result.out().startsWith("triage64:c1: critical incident has no replay transcript"), result.out());
        assertTrue(result.err().contains("gate: tripped: 1 violation(s) in 1 of 2 incident(s)"), result.err());
    }

    @Test
    void tripsWhenTheReplayDidNotReproduce() throws Exception {
        ((ObjectNode) r.get("incidents").get(0)).put("replay_command", "true");
        ReportFixtures.write(r, report);
        replay("--incident", "triage64:c1");
        CliRunner.Result result = gate();
        assertEquals(3, result.exitCode());
        assertTrue(result.out().contains("triage64:c1: replay verdict is not_reproduced, closure needs reproduced"),
                result.out());
    }

    @Test
    void tripsWhenTheReportChangedSinceTheReplayOrATranscriptIsGone() throws Exception {
        replay("--severity", "critical");
        ((ObjectNode) r.get("incidents").get(0)).put("seed", 7);
        ReportFixtures.write(r, report);
        assertTrue(gate().out().contains("another replay_command or seed"));

        ((ObjectNode) r.get("incidents").get(0)).put("seed", new java.math.BigInteger(ReportFixtures.BIG_SEED));
        ReportFixtures.write(r, report);
        Files.delete(transcripts.resolve("triage64_c1/attempt-2.json"));
        CliRunner.Result result = gate();
        assertEquals(3, result.exitCode());
        assertTrue(result.out().contains("attempt-2.json is missing"), result.out());
    }

    /** Rewrites the transcript names c1's replay.json lists, one attempt per name. */
    private Path listTranscripts(String... names) throws Exception {
        Path verdict = transcripts.resolve("triage64_c1/replay.json");
        ObjectNode recorded = (ObjectNode) ReportFixtures.JSON.readTree(verdict.toFile());
        ArrayNode attempts = recorded.putArray("attempts");
        for (int i = 0; i < names.length; i++) {
            attempts.addObject().put("attempt", i + 1).put("exit_code", 1).put("timed_out", false)
                    .put("not_runnable", false).put("duration_ms", 1).put("transcript", names[i]);
        }
        recorded.put("failed_attempts", names.length);
        Files.write(verdict, ReportFixtures.JSON.writeValueAsBytes(recorded));
        return verdict;
    }

    /** Before: the gate resolved any name beside replay.json, so absolute and ../ paths to any file passed. */
    @Test
    void transcriptNamesOutsideTheIncidentFolderTripTheGate() throws Exception {
        replay("--severity", "critical");
        Path verdict = listTranscripts("/etc/passwd", "../../triage.json", "../t", "sub/attempt-1.json",
                "..\\triage.json", ".", "..", "", "attempt-1.json\u0000x", "\u001b[2Jattempt-1.json");

        CliRunner.Result result = gate();

        assertEquals(3, result.exitCode(), result.out() + result.err());
        String prefix = "triage64:c1: " + verdict + ": attempt transcript ";
        String suffix = " is not a file name in the incident's folder";
        String expected = String.join("\n",
                prefix + "\"/etc/passwd\"" + suffix,
                prefix + "\"../../triage.json\"" + suffix,
                prefix + "\"../t\"" + suffix,
                prefix + "\"sub/attempt-1.json\"" + suffix,
                prefix + "\"..\\\\triage.json\"" + suffix,
                prefix + "\".\"" + suffix,
                prefix + "\"..\"" + suffix,
                prefix + "\"\"" + suffix,
                prefix + "\"attempt-1.json\\u0000x\"" + suffix,
                prefix + "\"\\u001b[2Jattempt-1.json\" is not the transcript of attempt 10 (attempt-10.json)",
                "");
        assertEquals(expected, result.out());
        assertFalse(result.out().contains("\u001b"), result.out());
    }

    /**
     * Before: an attempt without a transcript (missing or null) was skipped, one of another
     * type read as its text, and a name of any file in the folder passed, replay.json's own
     * included: a replay.json listing no real transcript let a critical incident close.
     */
    @Test
    void everyAttemptListedNeedsItsOwnTranscriptFile() throws Exception {
        replay("--severity", "critical");
        Path verdict = listTranscripts("replay.json", "attempt-1.json", "attempt-3.json", "attempt-4.json");
        ObjectNode recorded = (ObjectNode) ReportFixtures.JSON.readTree(verdict.toFile());
        ArrayNode attempts = (ArrayNode) recorded.get("attempts");
        ((ObjectNode) attempts.get(2)).remove("transcript");
        ((ObjectNode) attempts.get(3)).putNull("transcript");
        ((ObjectNode) attempts.addObject()).put("transcript", 5);
        ((ObjectNode) attempts.addObject()).putArray("transcript").add("attempt-6.json");
        attempts.add("attempt-7.json");
        Files.write(verdict, ReportFixtures.JSON.writeValueAsBytes(recorded));
        Files.writeString(verdict.resolveSibling("attempt-3.json"), "{}");

        CliRunner.Result result = gate();

        assertEquals(3, result.exitCode(), result.out() + result.err());
        String prefix = "triage64:c1: " + verdict + ": ";
        assertEquals(String.join("\n",
                prefix + "attempt transcript \"replay.json\" is not the transcript of attempt 1 (attempt-1.json)",
                prefix + "attempt transcript \"attempt-1.json\" is not the transcript of attempt 2 (attempt-2.json)",
                prefix + "attempts[2] has no transcript (replay names it attempt-3.json)",
                prefix + "attempts[3] has no transcript (replay names it attempt-4.json)",
                // Every problem of an attempt, placed at it when its key is missing.
                prefix + "attempts[4].exit_code is missing",
                prefix + "attempts[4].timed_out is missing",
                prefix + "attempts[4].not_runnable is missing",
                "triage64:c1: " + at(verdict, "\"transcript\":", "5}") + ": attempts[4].transcript must be a string"
                        + " (found a number)",
                prefix + "attempts[5].exit_code is missing",
                prefix + "attempts[5].timed_out is missing",
                prefix + "attempts[5].not_runnable is missing",
                "triage64:c1: " + at(verdict, "\"transcript\":", "[\"attempt-6.json\"]") + ": attempts[5].transcript must be a string"
                        + " (found an array)",
                "triage64:c1: " + at(verdict, "},", "\"attempt-7.json\"]") + ": attempts[6] must be an object (found a string)",
                ""), result.out());
    }

    @Test
    void aReplayVerdictWithoutAttemptsTripsTheGate() throws Exception {
        replay("--severity", "critical");
        Path verdict = changeVerdictFile(recorded -> recorded.remove("attempts"));

        assertEquals("triage64:c1: " + verdict + " lists no attempt transcripts\n", gate().assertExit(3).out());

        changeVerdictFile(recorded -> recorded.putArray("attempts"));

        assertEquals("triage64:c1: " + verdict + " lists no attempt transcripts\n", gate().assertExit(3).out());
    }

    /** Before: attempts of another type read as none, "lists no attempt transcripts", as if replay had listed none. */
    @Test
    void attemptsThatAreNoArrayAreATypeErrorPlacedInTheFile() throws Exception {
        replay("--severity", "critical");
        Path verdict = rewriteVerdictText(text -> text.replaceFirst("\"attempts\" : \\[",
                "\"attempts\" : { \"a\" : { \"transcript\" : \"attempt-1.json\" } },\n  \"was\" : ["));

        assertEquals("triage64:c1: " + verdict + ":" + lineOf(verdict, "\"attempts\" :") + ":16: attempts must be an"
                + " array (found an object)\n", gate().assertExit(3).out());
    }

    /**
     * Before: a seed written as the string "18446744073709551615" matched the report's seed
     * 18446744073709551615 and the gate passed. replay writes a seed of digits as a number,
     * and any other seed (a report's "abc") as a string, which still compares as it is.
     */
    @Test
    void aSeedOfDigitsWrittenAsAStringIsATypeErrorPlacedInTheFile() throws Exception {
        replay("--severity", "critical");
        String seed = ReportFixtures.BIG_SEED;
        Path verdict = rewriteVerdictText(text -> text.replace("\"seed\" : " + seed + ",",
                "\"seed\" : \"" + seed + "\","));

        assertEquals("triage64:c1: " + verdict + ":" + lineOf(verdict, "\"seed\" :") + ":12: seed must be a number,"
                + " not the string \"" + seed + "\" (replay writes a seed of digits as a JSON number)\n",
                gate().assertExit(3).out());

        rewriteVerdictText(text -> text.replace("\"seed\" : \"" + seed + "\",", "\"seed\" : -1,"));

        assertEquals("triage64:c1: " + verdict + ":" + lineOf(verdict, "\"seed\" :") + ":12: seed must be an unsigned"
                + " 64-bit integer when it is a number, not -1 (replay writes any other seed as a string)\n",
                gate().assertExit(3).out());

        // The report's seed that is no such integer: replay writes it as a string, the gate
        // compares it as it is (and trips on the report's seed, not on replay.json).
        ((ObjectNode) r.get("incidents").get(0)).put("seed", "abc");
        ReportFixtures.write(r, report);
        replay("--severity", "critical");
        assertEquals("triage64:c1: seed \"abc\" is not an unsigned 64-bit integer\n", gate().assertExit(3).out());
    }

    /**
     * Before: the gate stopped at the first group of problems of a replay.json: a top-level
     * key of the wrong type hid every problem of its attempts, each group showing only once
     * the one before was fixed, one run each. Now every problem of the file is listed in one
     * run, in file order (the incident_id at the end of this one last).
     */
    @Test
    void everyProblemOfAReplayJsonIsListedInOneRunInFileOrder() throws Exception {
        replay("--severity", "critical");
        Path verdict = c1().resolve("replay.json");
        Files.writeString(verdict, String.join("\n",
                "{",
                "  \"schema_version\" : \"triage-rules-replay-verdict-v1\",",
                "  \"replay_command\" : \"exit 1\",",
                "  \"verdict\" : \"reproduced\",",
                "  \"seed\" : \"" + ReportFixtures.BIG_SEED + "\",",
                "  \"env_fingerprint\" : \"det64:00000000000000aa\",",
                "  \"failed_attempts\" : \"2\",",
                "  \"attempts\" : [ {",
                "    \"attempt\" : 1,",
                "    \"exit_code\" : \"1\",",
                "    \"timed_out\" : false,",
                "    \"not_runnable\" : false,",
                "    \"transcript\" : \"attempt-1.json\"",
                "  }, {",
                "    \"attempt\" : 2,",
                "    \"exit_code\" : 1,",
                "    \"timed_out\" : 0,",
                "    \"not_runnable\" : false,",
                "    \"transcript\" : 2",
                "  }, [ ] ],",
                "  \"incident_id\" : 5",
                "}", ""));

        assertEquals("triage64:c1: " + verdict + ":5:12: seed must be a number, not the string \""
                + ReportFixtures.BIG_SEED + "\" (replay writes a seed of digits as a JSON number)\n"
                + "triage64:c1: " + verdict + ":7:23: failed_attempts must be an integer (found a string)\n"
                + "triage64:c1: " + verdict + ":10:19: attempts[0].exit_code must be an integer (found a string)\n"
                + "triage64:c1: " + verdict + ":17:19: attempts[1].timed_out must be true or false (found a"
                + " number)\n"
                + "triage64:c1: " + verdict + ":19:20: attempts[1].transcript must be a string (found a number)\n"
                + "triage64:c1: " + verdict + ":20:6: attempts[2] must be an object (found an array)\n"
                + "triage64:c1: " + verdict + ":21:19: incident_id must be a string (found a number)\n",
                gate().assertExit(3).out());
    }

    /**
     * Before: a replay.json of 30 attempts that are no objects gave 30 lines, one of a
     * million a million: the gate lists at most 20 problems of one incident's replay and
     * says how many more there are.
     */
    @Test
    void theProblemsOfOneReplayAreCappedSayingHowManyMoreThereAre() throws Exception {
        replay("--severity", "critical");
        Path verdict = changeVerdictFile(recorded -> {
            ArrayNode attempts = recorded.putArray("attempts");
            for (int i = 0; i < 30; i++) {
                attempts.add("x");
            }
        });

        String out = gate().assertExit(3).out();

        java.util.List<String> lines = out.lines().toList();
        assertEquals(21, lines.size(), out);
        for (int i = 0; i < 20; i++) {
            assertTrue(lines.get(i).matches("triage64:c1: " + java.util.regex.Pattern.quote(verdict.toString())
                    + ":1:[0-9]+: attempts\\[" + i + "\\] must be an object \\(found a string\\)"), lines.get(i));
        }
        assertEquals("triage64:c1: " + verdict + ": ... and 10 more problem(s) with this replay, not shown (the gate"
                + " lists at most 20 per incident)", lines.get(20));
    }

    /**
     * Before: replay ran a report's seed "007" as TRIAGE_SEED=007 and the gate listed it as a
     * violation, while tickets and html took it as written. Reading a report now refuses it,
     * for replay and the gate as for every command, where it is and with the same advice: a
     * shell reads 010 as octal 8, so "007" is not the seed it looks like. Transcripts made
     * with TRIAGE_SEED=007 close no report whose seed is 7 (see
     * aTranscriptWhoseCommandRanWithAnotherSeedTripsTheGate).
     */
    @Test
    void aSeedWithLeadingZerosIsRefusedByReplayAndTheGateWhereItIs() throws Exception {
        ObjectNode c1 = (ObjectNode) r.get("incidents").get(0);
        c1.put("seed", "007");
        ReportFixtures.write(r, report);
        String refusal = ReportFixtures.place(report, "\"007\"") + ": incidents[0] (triage64:c1): seed \"007\" has a"
                + " leading zero, which no report writer writes (a seed is a JSON number): replay would pass it as"
                + " written (TRIAGE_SEED=007), and a program may read that otherwise than 7 (a shell reads 010 as"
                + " octal 8); write the seed as 7 and replay again\n";

        CliRunner.Result replayed = CliRunner.run("replay", "--report", report.toString(), "--workdir",
                dir.toString(), "--transcripts", transcripts.toString(), "--allow-any-command", "-q").assertExit(1);
        CliRunner.Result gated = gate().assertExit(1);

        assertEquals(refusal, replayed.err());
        assertFalse(Files.exists(transcripts), "nothing replayed, nothing written");
        assertEquals("", gated.out());
        assertEquals(refusal, gated.err());

        c1.put("seed", 7);
        ReportFixtures.write(r, report);
        replay("--severity", "critical");
        assertEquals("", gate().assertExit(0).out());
    }

    /** Before: the gate read any replay.json whatever its schema_version, or without one. */
    @Test
    void aReplayVerdictOfAnotherSchemaVersionIsNotRead() throws Exception {
        replay("--severity", "critical");
        String v1 = "\"schema_version\" : \"triage-rules-replay-verdict-v1\"";
        Path verdict = rewriteVerdictText(text -> text.replace(v1,
                "\"schema_version\" : \"triage-rules-replay-verdict-v2\""));
        String expected = ", expected \"triage-rules-replay-verdict-v1\" (the replay.json that triage-rules replay"
                + " writes)\n";

        assertEquals("triage64:c1: " + verdict + ":2:22: schema_version is \"triage-rules-replay-verdict-v2\""
                + expected, gate().assertExit(3).out());

        rewriteVerdictText(text -> text.replace("\"triage-rules-replay-verdict-v2\"", "1"));

        assertEquals("triage64:c1: " + verdict + ":2:22: schema_version is 1" + expected, gate().assertExit(3).out());

        rewriteVerdictText(text -> text.replace("\"schema_version\" : 1,", ""));

        assertEquals("triage64:c1: " + verdict + ": schema_version is missing" + expected,
                gate().assertExit(3).out());
    }

    /** Rewrites c1's replay.json, as replay wrote it (pretty-printed), as text. */
    private Path rewriteVerdictText(java.util.function.UnaryOperator<String> change) throws Exception {
        Path verdict = transcripts.resolve("triage64_c1/replay.json");
        String before = Files.readString(verdict);
        String after = change.apply(before);
        assertFalse(after.equals(before), "the change changed nothing");
        Files.writeString(verdict, after);
        return verdict;
    }

    /** The line (from 1) of the file's only line that contains {@code text}. */
    private static int lineOf(Path file, String text) throws Exception {
        java.util.List<String> lines = Files.readAllLines(file);
        int line = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                assertEquals(-1, line, text + " is on two lines");
                line = i + 1;
            }
        }
        assertTrue(line > 0, text + " is on no line");
        return line;
    }

    /** {@code FILE:1:COLUMN} of {@code value} where it follows {@code before}, only there, in a file of one line. */
    private static String at(Path file, String before, String value) throws Exception {
        String text = Files.readString(file);
        int at = text.indexOf(before + value);
        assertTrue(at >= 0 && at == text.lastIndexOf(before + value) && !text.strip().contains("\n"),
                before + value + " in " + text);
        return file + ":1:" + (at + before.length() + 1);
    }

    /**
     * Before: replay.json's failed_attempts was never read, so a replay.json claiming other
     * failures than its transcripts show passed. It is counted from the transcripts by
     * replay's own rule, and must be an integer replay writes.
     */
    @Test
    void failedAttemptsThatTheTranscriptsDoNotGiveTripTheGate() throws Exception {
        replay("--severity", "critical");
        Path verdict = changeVerdictFile(recorded -> recorded.put("failed_attempts", 1));

        assertEquals("triage64:c1: " + at(verdict, "\"failed_attempts\":", "1") + ": failed_attempts is 1 but its"
                + " transcripts give 2\n", gate().assertExit(3).out());

        changeVerdictFile(recorded -> recorded.put("failed_attempts", "2"));

        assertEquals("triage64:c1: " + at(verdict, "\"failed_attempts\":", "\"2\"") + ": failed_attempts must be"
                + " an integer (found a string)\n", gate().assertExit(3).out());

        changeVerdictFile(recorded -> recorded.remove("failed_attempts"));

        assertEquals("triage64:c1: " + verdict + ": failed_attempts is missing\n", gate().assertExit(3).out());

        changeVerdictFile(recorded -> recorded.put("failed_attempts", 2));

        assertEquals("", gate().assertExit(0).out());
    }

    /** Before: the message quoted Jackson's description of its input ("at [Source: REDACTED (StreamReadFeature..."). */
    @Test
    void aMalformedReplayVerdictIsPlacedByLineAndColumn() throws Exception {
        replay("--severity", "critical");
        Path verdict = transcripts.resolve("triage64_c1/replay.json");
        Files.writeString(verdict, "{\n  \"verdict\": \"reproduced\",\n  oops\n}\n");

        CliRunner.Result result = gate().assertExit(3);

        assertEquals("triage64:c1: " + verdict + ": unreadable replay verdict: not JSON at line 3, column 3:"
                + " Unexpected character ('o' (code 111)): was expecting double-quote to start field name\n",
                result.out());
    }

    /** Rewrites c1's replay.json as {@code change} leaves it. */
    private Path changeVerdictFile(java.util.function.Consumer<ObjectNode> change) throws Exception {
        Path verdict = transcripts.resolve("triage64_c1/replay.json");
        ObjectNode recorded = (ObjectNode) ReportFixtures.JSON.readTree(verdict.toFile());
        change.accept(recorded);
        Files.write(verdict, ReportFixtures.JSON.writeValueAsBytes(recorded));
        return verdict;
    }

    /**
     * Before: keys of replay.json were read as text whatever their type: ["reproduced"] read
     * as "" ("replay verdict is , closure ..."), a null incident_id as the id "null", a
     * replay_command 7 as "7", and a refused_reason [] as "".
     */
    @Test
    void aReplayVerdictKeyOfTheWrongTypeIsAViolationNamingIt() throws Exception {
        replay("--severity", "critical");
        Path verdict = changeVerdictFile(recorded -> {
            recorded.putNull("incident_id");
            recorded.putArray("verdict").add("reproduced");
        });

        assertEquals("triage64:c1: " + at(verdict, "\"incident_id\":", "null") + ": incident_id must be a string"
                + " (found null)\n"
                + "triage64:c1: " + at(verdict, "\"verdict\":", "[\"reproduced\"]") + ": verdict must be a string"
                + " (found an array)\n",
                gate().assertExit(3).out());

        changeVerdictFile(recorded -> {
            recorded.put("incident_id", "triage64:c1");
            recorded.put("verdict", 1);
            recorded.put("replay_command", 7);
            recorded.put("seed", true);
            recorded.putArray("refused_reason");
        });

        assertEquals("triage64:c1: " + at(verdict, "\"replay_command\":", "7") + ": replay_command must be a"
                + " string or null (found a number)\n"
                + "triage64:c1: " + at(verdict, "\"seed\":", "true") + ": seed must be a number, a string or null"
                + " (found a boolean)\n"
                + "triage64:c1: " + at(verdict, "\"verdict\":", "1") + ": verdict must be a string (found a"
                + " number)\n"
                + "triage64:c1: " + at(verdict, "\"refused_reason\":", "[]") + ": refused_reason must be a string"
                + " (found an array)\n",
                gate().assertExit(3).out());
    }

    /** Before: "replay verdict is Reproduced, closure needs reproduced", and "... is null, ..." for none. */
    @Test
    void aVerdictReplayNeverWritesIsAViolationSayingSo() throws Exception {
        replay("--severity", "critical");
        Path verdict = changeVerdictFile(recorded -> recorded.put("verdict", "Reproduced"));

        assertEquals("triage64:c1: " + verdict + ": verdict \"Reproduced\" is not one replay writes (reproduced,"
                + " not_reproduced, flaky, hung, not_runnable, refused)\n", gate().assertExit(3).out());

        changeVerdictFile(recorded -> recorded.remove("verdict"));

        assertEquals("triage64:c1: " + verdict + ": verdict is missing\n", gate().assertExit(3).out());
    }

    /**
     * Before: a replay.json without incident_id was "the replay of \"null\"". One of another
     * incident, copied into this incident's folder, is no replay of this one.
     */
    @Test
    void aReplayVerdictWithoutItsIncidentsIdIsAViolation() throws Exception {
        replay("--severity", "critical");
        Path verdict = changeVerdictFile(recorded -> recorded.remove("incident_id"));

        assertEquals("triage64:c1: " + verdict + ": incident_id is missing\n", gate().assertExit(3).out());

        changeVerdictFile(recorded -> recorded.put("incident_id", "triage64:m1"));

        assertEquals("triage64:c1: " + verdict + ": incident_id \"triage64:m1\" is another incident's: not the"
                + " replay of this one\n", gate().assertExit(3).out());
    }

    /** Before: a severity of the wrong type beside no escalation read as "not critical", and the gate passed. */
    @Test
    void aSeverityOfTheWrongTypeTripsTheGate() throws Exception {
        ObjectNode medium = (ObjectNode) r.get("incidents").get(1);
        medium.put("severity", 5);
        ObjectNode listed = ReportFixtures.incident(r, "triage64:l1", "medium", "true");
        listed.putArray("severity").add("critical");
        ReportFixtures.write(r, report);
        replay("--severity", "critical");

        CliRunner.Result result = gate();

        assertEquals(3, result.exitCode(), result.out() + result.err());
        assertEquals("triage64:m1: severity must be a string (found a number): the gate cannot tell whether this"
                + " incident needs a replay\n"
                + "triage64:l1: severity must be a string (found an array): the gate cannot tell whether this"
                + " incident needs a replay\n", result.out());
    }

    /** Before: Files.isRegularFile followed the link, so a link to any file outside passed as a transcript. */
    @Test
    void aTranscriptThatIsASymlinkOrNoRegularFileTripsTheGate() throws Exception {
        replay("--severity", "critical");
        Path folder = transcripts.resolve("triage64_c1");
        Files.delete(folder.resolve("attempt-1.json"));
        Files.createSymbolicLink(folder.resolve("attempt-1.json"), report.toAbsolutePath());
        Files.delete(folder.resolve("attempt-2.json"));
        Files.createDirectory(folder.resolve("attempt-2.json"));

        CliRunner.Result result = gate();

        assertEquals(3, result.exitCode(), result.out() + result.err());
        Path verdict = folder.resolve("replay.json");
        assertEquals("triage64:c1: " + verdict + ": attempt transcript \"attempt-1.json\" is a symbolic link,"
                + " not a regular file\n"
                + "triage64:c1: " + verdict + ": attempt transcript \"attempt-2.json\" is not a regular file\n",
                result.out());
    }

    /**
     * Before: the gate read a replay.json whole, whatever its size: a planted 4 GiB one (sparse,
     * so no disk is used) ended the gate in an OutOfMemoryError, and one just past what replay
     * writes was read and parsed. Now neither is opened: each is a violation naming the file,
     * its size and the bound, derived from what replay writes for the incident.
     */
    @Test
    void aReplayVerdictLargerThanReplayWritesIsAViolationAndIsNotRead() throws Exception {
        replay("--severity", "critical");
        Path verdict = c1().resolve("replay.json");
        long bound = dev.triagerules.replay.IncidentReplay.maxBytes(
                dev.triagerules.report.ReportFile.read(report).incidents().get(0));
        assertTrue(bound > Files.size(verdict) && bound < 2 << 20, "about 1 MiB for an ordinary report: " + bound);

        for (long size : new long[] {4L << 30, bound + 1}) {
            try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(verdict.toFile(), "rw")) {
                file.setLength(size); // sparse past replay's own text
            }

            CliRunner.Result result = gate().assertExit(3);

            assertEquals("triage64:c1: " + verdict + ": " + size + " bytes, more than replay writes for the"
                    + " replay.json of this incident (at most " + bound + "): not read\n", result.out());
            assertTrue(result.err().contains("gate: tripped: 1 violation(s) in 1 of 2 incident(s)"), result.err());
        }
    }

    /**
     * Before: the gate compared a transcript's {@code seed} with replay.json's, never the
     * {@code env.TRIAGE_SEED} the command ran with. Transcripts made before replay recorded a
     * seed as it ran it say {@code "seed" : 7} beside {@code "TRIAGE_SEED" : "007"}; with a
     * replay.json of the same age (seed 7), they closed a report whose seed is 7.
     */
    @Test
    void aTranscriptWhoseCommandRanWithAnotherSeedTripsTheGate() throws Exception {
        ((ObjectNode) r.get("incidents").get(0)).put("seed", 7);
        ReportFixtures.write(r, report);
        replay("--severity", "critical");
        Path first = c1().resolve("attempt-1.json");
        Path second = c1().resolve("attempt-2.json");
        assertEquals("", gate().assertExit(0).out());
        rewrite(first, text -> text.replace("\"TRIAGE_SEED\" : \"7\"", "\"TRIAGE_SEED\" : \"007\""));
        // Hostile text goes through the gate's escaping, as every value from a transcript does.
        rewrite(second, text -> text.replace("\"TRIAGE_SEED\" : \"7\"", "\"TRIAGE_SEED\" : \"7\\u001b[2J\""));

        String out = gate().assertExit(3).out();

        assertEquals("triage64:c1: " + envPlace(first) + ": env.TRIAGE_SEED is \"007\" but replay.json's seed is 7:"
                + " the command ran with another seed than replay.json records; replay again\n"
                + "triage64:c1: " + envPlace(second) + ": env.TRIAGE_SEED is \"7\\u001b[2J\" but replay.json's seed"
                + " is 7: the command ran with another seed than replay.json records; replay again\n", out);
        assertFalse(out.contains("\u001b"), out);

        // Of a type replay never writes: no seed to compare, and a violation naming key and type.
        rewrite(first, text -> text.replace("\"TRIAGE_SEED\" : \"007\"", "\"TRIAGE_SEED\" : 7"));
        rewrite(second, text -> text.replaceFirst("\"env\" : \\{[^}]*\\}", "\"env\" : \"TRIAGE_SEED=7\""));

        assertEquals("triage64:c1: " + envPlace(first) + ": env.TRIAGE_SEED must be a string (found a number)\n"
                + "triage64:c1: " + place(second, "env") + ": env must be an object (found a string)\n",
                gate().assertExit(3).out());

        // A transcript that records no TRIAGE_SEED (its env without it) has nothing to compare.
        rewrite(first, text -> text.replace("\"TRIAGE_SEED\" : 7,", ""));
        rewrite(second, text -> text.replace("\"env\" : \"TRIAGE_SEED=7\"", "\"env\" : { }"));
        assertEquals("", gate().assertExit(0).out());
    }

    /** {@code FILE:LINE:COLUMN} of {@code env.TRIAGE_SEED}'s value in a transcript as replay writes it. */
    private static String envPlace(Path file) throws Exception {
        String marker = "    \"TRIAGE_SEED\" : ";
        java.util.List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(marker)) {
                return file + ":" + (i + 1) + ":" + (marker.length() + 1);
            }
        }
        throw new AssertionError("env.TRIAGE_SEED is not in " + file);
    }

    /** c1's folder in the transcripts folder. */
    private Path c1() {
        return transcripts.resolve("triage64_c1");
    }

    /** {@code FILE:LINE:COLUMN} of the value of the top-level {@code key} in a transcript as replay writes it. */
    private static String place(Path file, String key) throws Exception {
        String marker = "  \"" + key + "\" : ";
        java.util.List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(marker)) {
                return file + ":" + (i + 1) + ":" + (marker.length() + 1);
            }
        }
        throw new AssertionError(key + " is not in " + file);
    }

    /** Rewrites a transcript as text. */
    private static void rewrite(Path file, java.util.function.UnaryOperator<String> change) throws Exception {
        String before = Files.readString(file);
        String after = change.apply(before);
        assertFalse(after.equals(before), "the change changed nothing");
        Files.writeString(file, after);
    }

    /** Before: the gate checked that attempt-1.json existed, and an empty file closed the incident. */
    @Test
    void anEmptyOrMalformedTranscriptTripsTheGate() throws Exception {
        replay("--severity", "critical");
        Path first = c1().resolve("attempt-1.json");
        Files.write(first, new byte[0]);

        assertEquals("triage64:c1: " + first + ": unreadable attempt transcript: empty, not a JSON object\n",
                gate().assertExit(3).out());

        Files.writeString(first, "{\"schema_version\": \"triage-rules-replay-transcript-v1\",\n oops}");

        assertEquals("triage64:c1: " + first + ": unreadable attempt transcript: not JSON at line 2, column 2:"
                + " Unexpected character ('o' (code 111)): was expecting double-quote to start field name\n",
                gate().assertExit(3).out());

        Files.writeString(first, "{\"schema_version\": \"triage-rules-replay-transcript-v1\"} {}");

        assertEquals("triage64:c1: " + first + ": unreadable attempt transcript: not JSON at line 1, column 57:"
                + " text after the transcript's JSON value\n", gate().assertExit(3).out());

        Files.writeString(first, "{\"schema_version\": \"triage-rules-replay-verdict-v1\"}");

        assertEquals("triage64:c1: " + first + ":1:20: schema_version is \"triage-rules-replay-verdict-v1\","
                + " expected \"triage-rules-replay-transcript-v1\" (the attempt transcript that triage-rules replay"
                + " writes)\n", gate().assertExit(3).out());
    }

    /** Before: a transcript of another incident, copied into this incident's folder, closed this one. */
    @Test
    void anotherIncidentsTranscriptCopiedInTripsTheGate() throws Exception {
        replay();
        Path first = c1().resolve("attempt-1.json");
        Files.copy(transcripts.resolve("triage64_m1/attempt-1.json"), first,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertEquals("triage64:c1: " + place(first, "incident_id") + ": incident_id is \"triage64:m1\" but this is"
                + " the replay of \"triage64:c1\"\n"
                + "triage64:c1: " + place(first, "command") + ": command is \"true\" but replay.json's"
                + " replay_command is \"exit 1\"\n"
                + "triage64:c1: " + place(first, "exit_code") + ": exit_code is 0 but replay.json's"
                + " attempts[0].exit_code is 1\n", gate().assertExit(3).out());
    }

    /** Before: the gate took attempt-2.json as attempt 2's by its name alone. */
    @Test
    void anAttemptsTranscriptSavedAsAnotherAttemptTripsTheGate() throws Exception {
        replay("--severity", "critical");
        Path first = c1().resolve("attempt-1.json");
        Path second = c1().resolve("attempt-2.json");
        Path aside = Files.move(first, c1().resolve("aside"));
        Files.move(second, first);
        Files.move(aside, second);

        assertEquals("triage64:c1: " + place(first, "attempt") + ": attempt is 2 but this is the transcript of"
                + " attempt 1 (attempt-1.json)\n"
                + "triage64:c1: " + place(second, "attempt") + ": attempt is 1 but this is the transcript of"
                + " attempt 2 (attempt-2.json)\n", gate().assertExit(3).out());
    }

    /**
     * Before: a replay.json saying reproduced closed the incident whatever its attempts said:
     * here every transcript, and replay.json's own list, says the attempts passed.
     */
    @Test
    void aReproducedVerdictTheTranscriptsDoNotBearOutTripsTheGate() throws Exception {
        replay("--severity", "critical");
        Path first = c1().resolve("attempt-1.json");
        rewrite(first, text -> text.replace("\"exit_code\" : 1,", "\"exit_code\" : 0,"));

        assertEquals("triage64:c1: " + place(first, "exit_code") + ": exit_code is 0 but replay.json's"
                + " attempts[0].exit_code is 1\n", gate().assertExit(3).out());

        rewrite(c1().resolve("attempt-2.json"), text -> text.replace("\"exit_code\" : 1,", "\"exit_code\" : 0,"));
        Path verdict = changeVerdictFile(recorded -> recorded.get("attempts")
                .forEach(attempt -> ((ObjectNode) attempt).put("exit_code", 0)));

        assertEquals("triage64:c1: " + verdict + " says reproduced; its transcripts say not_reproduced\n"
                + "triage64:c1: " + at(verdict, "\"failed_attempts\":", "2") + ": failed_attempts is 2 but its"
                + " transcripts give 0\n", gate().assertExit(3).out());

        changeVerdictFile(recorded -> ((ObjectNode) recorded.get("attempts").get(1)).put("exit_code", "1"));

        assertEquals("triage64:c1: " + at(verdict, "\"exit_code\":", "\"1\"") + ": attempts[1].exit_code must be"
                + " an integer (found a string)\n", gate().assertExit(3).out());
    }

    /**
     * Before: a flaky replay (the first of three attempts failed) whose replay.json kept only
     * its first attempt said reproduced, 1 of 1, and every transcript it listed agreed.
     */
    @Test
    void aReplayJsonThatLeavesAttemptsOutTripsTheGate() throws Exception {
        ((ObjectNode) r.get("incidents").get(0)).put("replay_command", "test \"$TRIAGE_ATTEMPT\" != 1");
        ReportFixtures.write(r, report);
        CliRunner.run("replay", "--report", report.toString(), "--workdir", dir.toString(), "--transcripts",
                transcripts.toString(), "--attempts", "3", "--timeout", "5s", "-q", "--allow-any-command",
                "--severity", "critical").assertOk();
        assertTrue(gate().assertExit(3).out().contains("replay verdict is flaky"), gate().out());
        Path verdict = changeVerdictFile(recorded -> {
            ((ArrayNode) recorded.get("attempts")).remove(2);
            ((ArrayNode) recorded.get("attempts")).remove(1);
            recorded.put("verdict", "reproduced");
        });

        Path first = c1().resolve("attempt-1.json");
        assertEquals("triage64:c1: " + place(first, "attempts_planned") + ": attempts_planned is 3 but replay.json"
                + " lists 1 attempt(s), the last of which neither timed out nor failed to start\n",
                gate().assertExit(3).out());
    }

    /** not_runnable is replay's reading of the exit status: one that says otherwise is no transcript replay wrote. */
    @Test
    void aNotRunnableThatTheExitStatusDoesNotGiveTripsTheGate() throws Exception {
        replay("--severity", "critical");
        Path first = c1().resolve("attempt-1.json");
        rewrite(first, text -> text.replace("\"not_runnable\" : false,", "\"not_runnable\" : true,"));
        changeVerdictFile(recorded -> ((ObjectNode) recorded.get("attempts").get(0)).put("not_runnable", true));

        assertEquals("triage64:c1: " + place(first, "not_runnable") + ": not_runnable is true but replay writes false"
                + " for exit_code 1 and timed_out false\n", gate().assertExit(3).out());
    }

    /**
     * A replay made before replay recorded not_runnable: the gate said only "is missing", where
     * --replays says why and what to do; now both say the replay is older and to replay again.
     */
    @Test
    void aReplayMadeBeforeNotRunnableWasRecordedSaysToReplayAgain() throws Exception {
        replay("--severity", "critical");
        Path first = c1().resolve("attempt-1.json");
        rewrite(first, text -> text.replace("\"not_runnable\" : false,", ""));
        changeVerdictFile(recorded -> recorded.get("attempts").forEach(a -> ((ObjectNode) a).remove("not_runnable")));

        String older = "not_runnable is missing: made by a triage-rules older than not_runnable; replay again";
        Path verdict = c1().resolve("replay.json");
        assertEquals("triage64:c1: " + verdict + ": attempts[0]." + older + "\n"
                + "triage64:c1: " + verdict + ": attempts[1]." + older + "\n", gate().assertExit(3).out());

        // Its transcripts alone (a replay.json mended by hand): each says the same.
        changeVerdictFile(recorded -> recorded.get("attempts").forEach(a -> ((ObjectNode) a).put("not_runnable",
                false)));
        assertThat(gate().assertExit(3).out()).contains("triage64:c1: " + first + ": " + older);
    }

    /** Before: the transcripts' own seed and command were never read. */
    @Test
    void aTranscriptOfAnotherSeedOrCommandTripsTheGate() throws Exception {
        replay("--severity", "critical");
        Path second = c1().resolve("attempt-2.json");
        rewrite(second, text -> text.replace("\"seed\" : " + ReportFixtures.BIG_SEED + ",", "\"seed\" : 7,")
                .replace("\"command\" : \"exit 1\",", "\"command\" : \"exit 2\","));

        assertEquals("triage64:c1: " + place(second, "command") + ": command is \"exit 2\" but replay.json's"
                + " replay_command is \"exit 1\"\n"
                + "triage64:c1: " + place(second, "seed") + ": seed is 7 but replay.json's seed is "
                + ReportFixtures.BIG_SEED + "\n", gate().assertExit(3).out());

        rewrite(second, text -> text.replace("\"seed\" : 7,", "\"seed\" : \"7\",")
                .replace("\"command\" : \"exit 2\",", "\"command\" : [\"exit 1\"],"));

        assertEquals("triage64:c1: " + place(second, "command") + ": command must be a string or null (found an"
                + " array)\n"
                + "triage64:c1: " + place(second, "seed") + ": seed must be a number, not the string \"7\" (replay"
                + " writes a seed of digits as a JSON number)\n", gate().assertExit(3).out());
    }

    /** Before: any file of that name passed; now one far larger than replay writes is not even read. */
    @Test
    void aTranscriptFarLargerThanReplayWritesIsNotRead() throws Exception {
        replay("--severity", "critical");
        Path first = c1().resolve("attempt-1.json");
        long huge = 8L << 30; // sparse: read into memory, it would not fit
        try (java.io.RandomAccessFile file = new java.io.RandomAccessFile(first.toFile(), "rw")) {
            file.setLength(huge);
        }
        dev.triagerules.report.ReportedIncident c1 = dev.triagerules.report.ReportFile.read(report).incidents().get(0);

        assertEquals("triage64:c1: " + first + ": " + huge + " bytes, more than replay writes for a transcript of"
                + " this incident (at most " + dev.triagerules.replay.Transcript.maxBytes(c1) + "): not read\n",
                gate().assertExit(3).out());
    }

    /**
     * A real replay, then the gate: attempts that differ (the first fails, the second
     * passes: reproduced, 1 of 2) and output far beyond what replay keeps, all of it
     * escaped in JSON (a NUL is six bytes there), still pass.
     */
    @Test
    void aRealReplayWithMixedAttemptsAndLongOutputPassesTheGate() throws Exception {
        ((ObjectNode) r.get("incidents").get(0)).put("replay_command",
                "head -c 400000 /dev/zero; test \"$TRIAGE_ATTEMPT\" = 2");
        ReportFixtures.write(r, report);
        replay("--severity", "critical");
        assertTrue(Files.size(c1().resolve("attempt-1.json")) > 6 * 128 * 1024, "output escaped 6 bytes a byte");

        CliRunner.Result result = gate();

        assertEquals(0, result.exitCode(), result.out() + result.err());
        assertEquals("", result.out());
    }

    @Test
    void listsEveryMissingFieldOfEveryIncident() throws Exception {
        replay("--severity", "critical");
        ObjectNode critical = (ObjectNode) r.get("incidents").get(0);
        ((ObjectNode) critical.get("escalation")).remove("linked_bead_id");
        ((ObjectNode) critical.get("escalation")).putArray("artifact_paths");
        ObjectNode medium = (ObjectNode) r.get("incidents").get(1);
        medium.remove("replay_command");
        medium.remove("seed");
        medium.put("mode", "");
        medium.remove("packet_id");
        medium.set("artifact_refs", ReportFixtures.JSON.createArrayNode());
        // An incident that is critical only through its escalation.
        ObjectNode escalated = ReportFixtures.incident(r, "triage64:h1", "high", "exit 1");
        escalated.putObject("escalation").put("replay_transcript_required", true).put("linked_bead_id", "bd-1")
                .putArray("artifact_paths").add("a.json");
        ReportFixtures.write(r, report);

        CliRunner.Result result = gate();

        assertEquals(3, result.exitCode());
        String expected = String.join("\n",
                "triage64:c1: critical incident has no escalation.linked_bead_id",
                "triage64:c1: critical incident has no escalation.artifact_paths",
                "triage64:m1: replay_command is missing",
                "triage64:m1: artifact_refs is empty",
                "triage64:m1: packet_id label is missing",
                "triage64:m1: mode label is missing",
                "triage64:m1: seed is missing",
                "triage64:h1: critical incident has no replay transcript in " + transcripts
                        + " (run: triage-rules replay --report REPORT --incident triage64:h1)",
                "");
        assertEquals(expected, result.out());
    }

    @Test
    void theSeverityNameDecidesNothingOnlyReplayTranscriptRequiredDoes() throws Exception {
        // A policy whose "critical" asks for no transcript: nothing to replay before closure.
        ((ObjectNode) r.get("incidents").get(0).get("escalation")).put("replay_transcript_required", false);
        // And one whose "sev0" does: that one must be replayed.
        ObjectNode sev0 = ReportFixtures.incident(r, "triage64:s0", "sev0", "exit 1");
        sev0.putObject("escalation").put("replay_transcript_required", true).put("linked_bead_id", "bd-1")
                .putArray("artifact_paths").add("a.json");
        ReportFixtures.write(r, report);

        CliRunner.Result result = gate().assertExit(3);

        assertEquals("triage64:s0: critical incident has no replay transcript in " + transcripts
                + " (run: triage-rules replay --report REPORT --incident triage64:s0)\n", result.out());
    }

    @Test
    void tripsWhenTheReplayWasRefused() {
        CliRunner.Result replayed = CliRunner.run("replay", "--report", report.toString(), "--workdir", dir.toString(),
                "--transcripts", transcripts.toString(), "--severity", "critical", "-q");
        assertEquals(0, replayed.exitCode(), replayed.err());
        CliRunner.Result result = gate();
        assertEquals(3, result.exitCode());
        assertTrue(result.out().startsWith("triage64:c1: replay was refused (matches none of the 3 replay.allow"),
                result.out());
        assertTrue(result.out().contains("allow the command in policy replay.allow"), result.out());
    }

    /** Before: sh exits 127 for a missing program, which counted as a failure, so the replay "reproduced". */
    @Test
    void aReplayWhoseProgramIsMissingDoesNotLetTheGatePass() throws Exception {
        ((ArrayNode) r.get("incidents")).removeAll();
        ReportFixtures.incident(r, "triage64:c1", "critical", "no-such-program-xyz --case 1");
        ReportFixtures.write(r, report);
        CliRunner.Result replayed = replay("--severity", "critical");
        CliRunner.Result result = gate();
        assertEquals(3, result.exitCode(), result.out() + result.err());
        assertTrue(result.out().startsWith("triage64:c1: replay could not start its program (verdict not_runnable"),
                result.out());
    }

    @Test
    void idsFromTheReportAreShownEscaped() throws Exception {
        ((ArrayNode) r.get("incidents")).removeAll();
        ReportFixtures.incident(r, "triage64:c1\u001b]0;owned\u0007\ngate: ok", "critical", "exit 1");
        ReportFixtures.write(r, report);
        CliRunner.Result result = gate();
        assertEquals(3, result.exitCode());
        assertTrue(result.out().startsWith("triage64:c1\\u001b]0;owned\\u0007\\ngate: ok: critical incident has no"
                + " replay transcript"), result.out());
        assertEquals(1, result.out().lines().count(), result.out());
        assertFalse(result.out().contains("\u001b"), result.out());
    }

    @Test
    void readableNonAsciiInIdsIsShownAsItself() throws Exception {
        ((ArrayNode) r.get("incidents")).removeAll();
        ReportFixtures.incident(r, "triage64:größe-测试\u200b", "critical", "exit 1");
        ReportFixtures.write(r, report);
        CliRunner.Result result = gate();
        assertEquals(3, result.exitCode());
        assertTrue(result.out().startsWith("triage64:größe-测试\\u200b: critical incident has no replay transcript"),
                result.out());
    }

    /** Before: the violation began with the empty id itself, ": incident_id is missing". */
    @Test
    void anIncidentWithAnEmptyIdIsNamedByItsPosition() throws Exception {
        ((ObjectNode) r.get("incidents").get(1)).put("incident_id", "");
        ReportFixtures.write(r, report);
        replay("--severity", "critical");
        assertEquals("incidents[1]: incident_id is missing\n", gate().assertExit(3).out());
    }

    @Test
    void emptyReportPasses() throws Exception {
        ((ArrayNode) r.get("incidents")).removeAll();
        ReportFixtures.write(r, report);
        assertEquals(0, gate().exitCode());
    }

    /**
     * Before: FileInputStream's FileNotFoundException was taken for a missing file. Root
     * reads any file, so the gate runs as nobody.
     */
    @Test
    void anUnreadableReportIsSaidToBeUnreadable() throws Exception {
        UnprivilegedProcess process = UnprivilegedProcess.in(dir.resolve("unprivileged"));
        Path unreadable = Files.copy(report, process.scratch().resolve("triage.json"));
        Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("---------"));

        CliRunner.Result result = process.run("gate", "--report", unreadable.toString(),
                "--transcripts", process.scratch().resolve("t").toString());

        assertEquals(1, result.exitCode(), result.out() + result.err());
        assertEquals(unreadable + ": cannot read: permission denied\n", result.err());
    }

    @Test
    void badInputExitsOneAndBadUsageTwo() throws Exception {
        CliRunner.Result missing = CliRunner.run("gate", "--report", dir.resolve("nope.json").toString());
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("report not found"), missing.err());
        CliRunner.Result folder = CliRunner.run("gate", "--report", dir.toString());
        assertEquals(1, folder.exitCode());
        assertEquals(dir + ": is a folder, not a report file\n", folder.err());
        Files.writeString(report, "[1, 2]");
        assertEquals(1, gate().exitCode());
        assertEquals(2, CliRunner.run("gate").exitCode());
        assertEquals(2, CliRunner.run("gate", "--report", report.toString(), "--bogus").exitCode());
    }
}
