package dev.triagerules.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triagerules.base.FileTrees;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** JUnit XML through the command line: detection, a folder as one run, annotations, JUnit output, skip mode. */
class JunitInputTest {
    private static final String[] PACK = {"--rules", "examples/junit/rules", "--policy", "examples/junit/policy"};
    private static final Path REPORTS = Path.of("src/test/resources/junit");

    @TempDir
    Path tmp;

    private CliRunner.Result run(String... args) {
        String[] all = new String[args.length + PACK.length + 1];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(PACK, 0, all, args.length, PACK.length);
        all[all.length - 1] = "--quiet";
        return CliRunner.run(all);
    }

    @Test
    void aSurefireFolderIsTriagedEndToEndWithVerdictsAnnotationsAndJunitOutput() throws Exception {
        Path report = tmp.resolve("triage.json");
        Path junit = tmp.resolve("incidents.xml");
        CliRunner.Result result = run("--input", REPORTS.resolve("surefire").toString(), "--output", report.toString(),
                "--annotations", "github", "--junit-output", junit.toString()).assertOk();
        assertThat(result.out()).isEqualTo(Files.readString(REPORTS.resolve("expected/surefire.annotations.txt")));
        assertThat(Files.readString(junit)).isEqualTo(Files.readString(REPORTS.resolve("expected/surefire.incidents.xml")));
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("total_entries").asLong()).isEqualTo(6);
        assertThat(json.get("failed_entries").asLong()).isEqualTo(5);
        assertThat(json.get("incidents")).hasSize(5).allSatisfy(i -> {
            assertThat(i.get("incident_id").asText()).startsWith("triage64m:");
            assertThat(i.get("masked_reason_code")).isNotNull();
            assertThat(i.get("determinism").get("verdict").asText()).isIn("flaky", "deterministic");
        });
    }

    /**
     * Only a folder's own path was compared with the outputs, so an output or quarantine
     * named after one of its reports overwrote that report (the next run failed on JSON in
     * an XML file), and the run said nothing.
     */
    @Test
    void anOutputOntoAReportOfAJunitFolderIsAUsageErrorAndTheReportStays() throws Exception {
        Path folder = FileTrees.copy(REPORTS.resolve("surefire"), tmp.resolve("surefire"));
        List<Path> reports;
        try (var listing = Files.list(folder)) {
            reports = listing.filter(p -> p.getFileName().toString().startsWith("TEST-")).sorted().toList();
        }
        byte[] before = Files.readAllBytes(reports.get(0));

        CliRunner.Result output = run("--input", folder.toString(), "--output", reports.get(0).toString());
        CliRunner.Result quarantine = run("--input", folder.toString(), "--output", tmp.resolve("r.json").toString(),
                "--on-invalid", "skip", "--quarantine", reports.get(0).toString());

        output.assertExit(2);
        assertThat(output.err()).contains("--input and --output name the same file (" + reports.get(0) + ")");
        quarantine.assertExit(2);
        assertThat(quarantine.err()).contains("--input and --quarantine name the same file");
        assertThat(Files.readAllBytes(reports.get(0))).isEqualTo(before);
    }

    /** max_reason_chars (500) cut between the halves of an emoji: the report carried a lone \\ud83d. */
    @Test
    void aReasonCutAtItsLimitKeepsEveryCharacterWhole() throws Exception {
        Path xml = Files.writeString(tmp.resolve("cut.xml"), "<testsuite name=\"s\"><testcase classname=\"c\""
                + " name=\"n\"><failure message=\"" + "a".repeat(499) + "\uD83D\uDE80\uD83D\uDE80\"/></testcase></testsuite>\n",
                StandardCharsets.UTF_8);
        Path report = tmp.resolve("cut.json");

        run("--input", xml.toString(), "--output", report.toString()).assertOk();

        String json = Files.readString(report, StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("\\ud83d\"").doesNotContain("\\uD83D\"");
        JsonNode incident = new ObjectMapper().readTree(json).get("incidents").get(0);
        assertThat(incident.get("reason_code").asText()).endsWith("a".repeat(20)).hasSizeLessThanOrEqualTo(500);
    }

    @Test
    void explainFindsAnIncidentOfAJunitFolderAndShowsBothReasonCodes() throws Exception {
        Path report = tmp.resolve("triage.json");
        run("--input", REPORTS.resolve("surefire").toString(), "--output", report.toString()).assertOk();
        String id = new ObjectMapper().readTree(report.toFile()).get("incidents").get(0).get("incident_id").asText();
        CliRunner.Result explained = CliRunner.run("explain", "--rules", "examples/junit/rules", "--policy",
                "examples/junit/policy", "--input", REPORTS.resolve("surefire").toString(), "--incident", id).assertOk();
        assertThat(explained.out()).contains("incident " + id + " in " + REPORTS.resolve("surefire"))
                .contains("masked reason_code \"org.opentest4j.AssertionFailedError: <n> / <n> rounded");
    }

    @Test
    void aUtf16ReportWithAByteOrderMarkIsReadAsJunitWithoutBeingForced() throws Exception {
        String xml = Files.readString(REPORTS.resolve("pytest-xunit2.xml"));
        xml = xml.startsWith("<?xml") ? xml.substring(xml.indexOf("?>") + 2) : xml;
        Path utf16 = Files.writeString(tmp.resolve("results.xml"), "\ufeff<?xml version=\"1.0\" encoding=\"UTF-16\"?>"
                + xml, StandardCharsets.UTF_16LE);
        Path auto = tmp.resolve("auto.json");
        Path forced = tmp.resolve("forced.json");
        run("--input", utf16.toString(), "--output", auto.toString()).assertOk();
        run("--input", utf16.toString(), "--input-format", "junit", "--output", forced.toString()).assertOk();
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(auto.toFile()).get("incidents")).isEqualTo(json.readTree(forced.toFile())
                .get("incidents")).isNotEmpty();
    }

    /** Without a byte-order mark (first bytes 00 3C or 3C 00) it was taken for a JSONL log, or misread. */
    @Test
    void aUtf16ReportWithoutAByteOrderMarkIsReadAsJunitWithoutBeingForced() throws Exception {
        String xml = Files.readString(REPORTS.resolve("pytest-xunit2.xml"));
        xml = xml.startsWith("<?xml") ? xml.substring(xml.indexOf("?>") + 2).strip() : xml;
        Path utf8 = Files.writeString(tmp.resolve("results.xml"), xml);
        Path expected = tmp.resolve("expected.json");
        run("--input", utf8.toString(), "--output", expected.toString()).assertOk();
        ObjectMapper json = new ObjectMapper();
        for (var charset : List.of(StandardCharsets.UTF_16BE, StandardCharsets.UTF_16LE)) {
            for (String declaration : List.of("", "<?xml version=\"1.0\" encoding=\"UTF-16\"?>")) {
                Path report = Files.writeString(tmp.resolve("results.xml"), declaration + xml, charset);
                Path auto = tmp.resolve("auto.json");
                run("--input", report.toString(), "--output", auto.toString()).assertOk();
                assertThat(json.readTree(auto.toFile()).get("incidents")).as(charset + declaration)
                        .isEqualTo(json.readTree(expected.toFile()).get("incidents")).isNotEmpty();
            }
        }
    }

    @Test
    void aSingleReportAndAJsonlLogAreToldApartByContent() throws Exception {
        Path copy = Files.copy(REPORTS.resolve("pytest-xunit2.xml"), tmp.resolve("results.txt"));
        CliRunner.Result result = run("--input", copy.toString(), "--output", "-").assertOk();
        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.get("total_entries").asLong()).isEqualTo(6);
        assertThat(json.get("incidents")).hasSize(4);
        assertThat(json.get("determinism")).as("no reruns, one run: no verdicts").isNull();
        // Forced the other way, the same file is an invalid JSONL log.
        run("--input", copy.toString(), "--input-format", "jsonl", "--output", "-").assertExit(1);
        CliRunner.run("--input", copy.toString(), "--input-format", "csv", "--output", "-").assertExit(2);
    }

    /**
     * The infrastructure guard judged attempts: a flaky test case's pass on rerun counted as
     * another entry, so this run (9 of 10 entries failed, 2 of them passing on rerun) was
     * weighed at 9 of 12, under the 0.8 share, and not flagged; flagged runs said
     * "14 of 17 entries failed" under a first line of 15 entries.
     */
    @Test
    void aRunIsInfrastructureSuspectByTheShareOfItsEntriesNotOfItsAttempts() throws Exception {
        StringBuilder xml = new StringBuilder("<testsuite name=\"demo.InfraTest\" tests=\"10\">\n");
        String refused = " message=\"java.net.ConnectException: Connection refused\" type=\"java.net.ConnectException\"/>";
        for (int i = 0; i < 7; i++) {
            xml.append("  <testcase classname=\"demo.InfraTest\" name=\"fails").append(i).append("\"><failure")
                    .append(refused).append("</testcase>\n");
        }
        for (int i = 0; i < 2; i++) {
            xml.append("  <testcase classname=\"demo.InfraTest\" name=\"flaky").append(i).append("\"><flakyFailure")
                    .append(refused).append("</testcase>\n");
        }
        xml.append("  <testcase classname=\"demo.InfraTest\" name=\"passes\"/>\n</testsuite>\n");
        Path input = Files.writeString(tmp.resolve("TEST-demo.InfraTest.xml"), xml);
        Path report = tmp.resolve("triage.json");
        CliRunner.Result result = CliRunner.run("--input", input.toString(), "--output", report.toString(), PACK[0],
                PACK[1], PACK[2], PACK[3]).assertOk();
        assertThat(result.err()).startsWith("triage-rules: 10 entries, 9 failed, 9 incidents -> ")
                .contains("  infrastructure-suspect run (left out of flake statistics): " + input
                        + ", 9 of 10 entries failed\n");
        JsonNode suspect = new ObjectMapper().readTree(report.toFile()).get("infra_suspect_runs");
        assertThat(suspect).hasSize(1);
        assertThat(suspect.get(0).get("entries").asLong()).isEqualTo(10);
        assertThat(suspect.get(0).get("failures").asLong()).isEqualTo(9);
    }

    /** Copies {@code surefire/} and {@code failsafe/} reports into a Gradle-like tree of two modules. */
    private Path twoModules() throws Exception {
        Path modules = tmp.resolve("modules");
        Files.copy(REPORTS.resolve("surefire/TEST-demo.CalculatorTest.xml"),
                Files.createDirectories(modules.resolve("core/build/test-results/test"))
                        .resolve("TEST-demo.CalculatorTest.xml"));
        Files.copy(REPORTS.resolve("failsafe/TEST-demo.CheckoutIT.xml"),
                Files.createDirectories(modules.resolve("shop/build/test-results/test"))
                        .resolve("TEST-demo.CheckoutIT.xml"));
        return modules;
    }

    /** The same reports in one folder, as one job would have written them. */
    private Path oneFolder() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("one-folder"));
        Files.copy(REPORTS.resolve("surefire/TEST-demo.CalculatorTest.xml"), folder.resolve("TEST-demo.CalculatorTest.xml"));
        Files.copy(REPORTS.resolve("failsafe/TEST-demo.CheckoutIT.xml"), folder.resolve("TEST-demo.CheckoutIT.xml"));
        return folder;
    }

    /** An incident without the fields that name where its reports were (they differ between the copies). */
    private static JsonNode placeless(JsonNode incident) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = incident.deepCopy();
        copy.remove(List.of("artifact_refs", "first_seen_input", "first_seen_file"));
        return copy;
    }

    /**
     * A glob was always JSONL: {@code --input 'build/*}{@code /TEST-*.xml'} failed on the
     * first {@code <} as a JSON parse error, and with {@code --input-format junit} as "no such
     * file" although reports matched. Its reports are one run, as one folder's are.
     */
    @Test
    void aGlobOverTwoFoldersOfReportsIsOneRunAsTheSameReportsInOneFolder() throws Exception {
        Path modules = twoModules();
        String glob = modules + "/*/build/test-results/test/*.xml";
        Path fromFolder = tmp.resolve("folder.json");
        Path fromGlob = tmp.resolve("glob.json");
        Path forced = tmp.resolve("forced.json");
        run("--input", oneFolder().toString(), "--output", fromFolder.toString()).assertOk();
        run("--input", glob, "--output", fromGlob.toString()).assertOk();
        run("--input", glob, "--input-format", "junit", "--output", forced.toString()).assertOk();

        ObjectMapper mapper = new ObjectMapper();
        JsonNode folder = mapper.readTree(fromFolder.toFile());
        for (JsonNode json : List.of(mapper.readTree(fromGlob.toFile()), mapper.readTree(forced.toFile()))) {
            assertThat(json.get("inputs")).as("one run, named by the glob as given").hasSize(1);
            assertThat(json.get("inputs").get(0).asText()).isEqualTo(glob);
            assertThat(json.get("total_entries")).isEqualTo(folder.get("total_entries"));
            assertThat(json.get("determinism_counts")).isEqualTo(folder.get("determinism_counts"));
            assertThat(json.get("incidents")).hasSize(folder.get("incidents").size()).hasSize(7);
            for (int i = 0; i < folder.get("incidents").size(); i++) {
                JsonNode incident = json.get("incidents").get(i);
                assertThat(placeless(incident)).isEqualTo(placeless(folder.get("incidents").get(i)));
                assertThat(incident.get("first_seen_input").asText()).isEqualTo(glob);
                assertThat(incident.get("artifact_refs").get(0).asText()).startsWith(modules.toString());
            }
        }
        // The ledger records each report, as for a folder (and no stdin for a run with no one file).
        Path ledger = tmp.resolve("ledger.db");
        run("--input", glob, "--output", tmp.resolve("recorded.json").toString(), "--ledger", ledger.toString())
                .assertOk();
        String recorded = CliRunner.run("ledger", "run", "latest", "--ledger", ledger.toString()).assertOk().out();
        assertThat(recorded).contains("  input " + modules.resolve("core/build/test-results/test/TEST-demo.CalculatorTest.xml")
                + "  sha256 ", "  input " + modules.resolve("shop/build/test-results/test/TEST-demo.CheckoutIT.xml")
                + "  sha256 ").doesNotContain("input -");
    }

    @Test
    void aGlobForcedToJunitReadsEveryFileItMatchesAsAReport() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("results"));
        Files.copy(REPORTS.resolve("failsafe/TEST-demo.CheckoutIT.xml"), folder.resolve("a.xml"));
        Files.writeString(folder.resolve("b.xml"), "{\"not\": \"a report\"}\n");
        String glob = folder + "/*.xml";

        CliRunner.Result forced = run("--input", glob, "--input-format", "junit", "--output", "-").assertExit(1);

        assertThat(forced.err()).startsWith(folder.resolve("b.xml") + ":1:1: not well-formed XML");
        CliRunner.Result none = run("--input", folder + "/*.junit", "--input-format", "junit", "--output", "-")
                .assertExit(1);
        assertThat(none.err().strip()).isEqualTo(folder + "/*.junit: no file matches");
    }

    @Test
    void aGlobMatchingReportsAndJsonlLogsIsAnErrorNamingOneOfEach() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("mixed"));
        Files.copy(REPORTS.resolve("failsafe/TEST-demo.CheckoutIT.xml"), folder.resolve("TEST-demo.CheckoutIT.xml"));
        Files.copy(Path.of("examples/sample-e2e.jsonl"), folder.resolve("e2e.jsonl"));
        Path report = tmp.resolve("r.json");

        CliRunner.Result mixed = run("--input", folder + "/*", "--output", report.toString()).assertExit(1);

        assertThat(mixed.err().strip()).isEqualTo(folder + "/*: matches both JUnit XML reports (such as "
                + folder.resolve("TEST-demo.CheckoutIT.xml") + ") and JSONL logs (such as " + folder.resolve("e2e.jsonl")
                + "); give --input-format junit or jsonl, or a glob for each");
        assertThat(report).doesNotExist();

        // An empty file tells nothing: among reports it is a report, and a broken one.
        Files.delete(folder.resolve("e2e.jsonl"));
        Files.createFile(folder.resolve("TEST-empty.xml"));
        CliRunner.Result empty = run("--input", folder + "/*", "--output", report.toString()).assertExit(1);
        assertThat(empty.err()).startsWith(folder.resolve("TEST-empty.xml") + ":1:1: not well-formed XML");
    }

    @Test
    void aReportReachedByAGlobAndByItsFolderOrByNameIsAnError() throws Exception {
        Path modules = twoModules();
        String glob = modules + "/*/build/test-results/test/*.xml";
        Path folder = modules.resolve("shop/build/test-results/test");
        Path report = folder.resolve("TEST-demo.CheckoutIT.xml");

        CliRunner.Result byFolder = run("--input", glob, "--input", folder.toString(), "--output", "-").assertExit(1);
        CliRunner.Result byName = run("--input", folder.toString(), "--input", report.toString(), "--output", "-")
                .assertExit(1);

        assertThat(byFolder.err().strip()).isEqualTo("--input " + folder + ": its report " + report
                + " is the same file as the report " + report + " of " + glob
                + ", already an input; a report is read in one run only, so give it once");
        assertThat(byName.err().strip()).isEqualTo("--input " + report + ": the same file as the report " + report
                + " of " + folder + ", already an input; a report is read in one run only, so give it once");
    }

    /**
     * A folder's incidents were "first seen" at a line of the folder, a line of no file (the
     * HTML page showed FOLDER:135): the line is in one of its reports. first_seen_file names
     * it, as read (the folder joined with the report's name), and the page shows FILE:LINE.
     */
    @Test
    void aFolderRunsIncidentsNameTheReportTheirFirstSeenLineIsIn() throws Exception {
        Path folder = oneFolder();
        Path report = tmp.resolve("folder.json");
        Path html = tmp.resolve("folder.html");
        run("--input", folder.toString(), "--output", report.toString(), "--html", html.toString()).assertOk();

        JsonNode incidents = new ObjectMapper().readTree(report.toFile()).get("incidents");
        assertThat(incidents).hasSize(7);
        assertEachPointsAtItsTestCase(incidents, folder.resolve("TEST-demo.CalculatorTest.xml"),
                folder.resolve("TEST-demo.CheckoutIT.xml"));
        assertThePageShowsEachFirstSeenFile(Files.readString(html), incidents, folder.toString());
    }

    /** The same for a glob's reports: first_seen_file is the match as the glob gives it, under its folders. */
    @Test
    void aGlobRunsIncidentsNameTheReportTheirFirstSeenLineIsIn() throws Exception {
        Path modules = twoModules();
        String glob = modules + "/*/build/test-results/test/*.xml";
        Path report = tmp.resolve("glob.json");
        Path html = tmp.resolve("glob.html");
        run("--input", glob, "--output", report.toString(), "--html", html.toString()).assertOk();

        JsonNode incidents = new ObjectMapper().readTree(report.toFile()).get("incidents");
        assertThat(incidents).hasSize(7);
        assertEachPointsAtItsTestCase(incidents,
                modules.resolve("core/build/test-results/test/TEST-demo.CalculatorTest.xml"),
                modules.resolve("shop/build/test-results/test/TEST-demo.CheckoutIT.xml"));
        assertThePageShowsEachFirstSeenFile(Files.readString(html), incidents, glob);
    }

    /**
     * A run of one file names its line's file already (input_log_path, first_seen_input):
     * a single report, a JSONL log, a folder of JSONL logs (one run per log) keep their
     * incidents' keys as they were, so JSONL reports stay upstream-exact.
     */
    @Test
    void aRunOfOneFileHasNoFirstSeenFile() throws Exception {
        Path logs = Files.createDirectories(tmp.resolve("logs"));
        Files.copy(Path.of("examples/sample-e2e.jsonl"), logs.resolve("run-1.jsonl"));
        Files.copy(Path.of("examples/sample-e2e.jsonl"), logs.resolve("run-2.jsonl"));
        List<CliRunner.Result> runs = List.of(
                run("--input", REPORTS.resolve("surefire/TEST-demo.CalculatorTest.xml").toString(), "--output", "-"),
                CliRunner.run("--input", "examples/sample-e2e.jsonl", "--output", "-", "--quiet"),
                CliRunner.run("--input", logs.toString(), "--output", "-", "--quiet"));
        for (CliRunner.Result result : runs) {
            JsonNode incidents = new ObjectMapper().readTree(result.assertOk().out()).get("incidents");
            assertThat(incidents).isNotEmpty().allSatisfy(i -> assertThat(i.has("first_seen_file")).isFalse());
        }
    }

    /** Each incident's first_seen_file is one of the reports, and its first_seen_line there is the test case's. */
    private static void assertEachPointsAtItsTestCase(JsonNode incidents, Path... reports) throws Exception {
        List<String> names = java.util.Arrays.stream(reports).map(Path::toString).toList();
        java.util.Set<String> named = new java.util.TreeSet<>();
        for (JsonNode incident : incidents) {
            String file = incident.path("first_seen_file").asText(null);
            assertThat(file).as(incident.get("incident_id").asText()).isIn(names);
            named.add(file);
            String line = Files.readAllLines(Path.of(file)).get(incident.get("first_seen_line").asInt() - 1);
            assertThat(line).contains("<testcase name=\"" + incident.get("scenario_id").asText() + "\"");
        }
        assertThat(named).as("both reports have failures").hasSize(2);
    }

    /** The page's "First seen" is FILE:LINE of the report, never RUN:LINE of the folder or glob. */
    private static void assertThePageShowsEachFirstSeenFile(String page, JsonNode incidents, String run) {
        for (JsonNode incident : incidents) {
            assertThat(page).contains("<dt>First seen</dt><dd><code>" + incident.get("first_seen_file").asText() + ":"
                    + incident.get("first_seen_line").asLong() + "</code>");
        }
        assertThat(page).doesNotContain("<code>" + run + ":");
    }

    /**
     * An escalated incident of a folder or glob run attached the folder or the glob itself as
     * its input log (escalation.artifact_paths: artifact_refs + the input log), which no one
     * opening the ticket can open: it attaches the report it was first seen in, as read
     * (relative when the input was), once (its artifact_refs already start with it).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"folder", "glob", "relative folder", "relative glob"})
    void anEscalatedIncidentOfAFolderOrGlobAttachesTheReportItWasFirstSeenIn(String kind) throws Exception {
        PackCopy pack = escalatingPack();
        // The input as typed, and the folder every report it reads is under, as typed too.
        String input = switch (kind) {
            case "folder" -> oneFolder().toString();
            case "glob" -> twoModules() + "/*/build/test-results/test/*.xml";
            case "relative folder" -> REPORTS.resolve("surefire").toString();
            default -> REPORTS + "/[fs]*/TEST-*.xml";
        };
        String under = kind.endsWith("folder") ? input + "/" : kind.equals("glob") ? tmp.resolve("modules") + "/"
                : REPORTS + "/";
        JsonNode incidents = new ObjectMapper().readTree(CliRunner.run("--input", input, "--output", "-", "-q",
                "--rules", pack.rules().toString(), "--policy", pack.policy().toString()).assertOk().out())
                .get("incidents");
        List<JsonNode> escalated = escalated(incidents);
        assertThat(escalated).hasSizeGreaterThanOrEqualTo(3);
        for (JsonNode incident : escalated) {
            String seenIn = incident.get("first_seen_file").asText();
            List<String> paths = texts(incident.get("escalation").get("artifact_paths"));
            assertThat(paths).doesNotContain(input).containsOnlyOnce(seenIn)
                    .isEqualTo(texts(incident.get("artifact_refs")));
            assertThat(seenIn).as("under what the user named, as typed").startsWith(under);
            assertThat(Path.of(seenIn)).as("opens from where the run started").isRegularFile();
        }
    }

    /**
     * Several reports, each its own --input: each is its own run's one file, attached once
     * (a JUnit incident's artifact_refs start with its report: it was listed twice).
     */
    @Test
    void anEscalatedIncidentOfOneOfSeveralReportsAttachesThatReport() throws Exception {
        PackCopy pack = escalatingPack();
        String calculator = REPORTS.resolve("surefire/TEST-demo.CalculatorTest.xml").toString();
        String checkout = REPORTS.resolve("failsafe/TEST-demo.CheckoutIT.xml").toString();
        JsonNode incidents = new ObjectMapper().readTree(CliRunner.run("--input", calculator, "--input", checkout,
                "--output", "-", "-q", "--rules", pack.rules().toString(), "--policy", pack.policy().toString())
                .assertOk().out()).get("incidents");
        java.util.Set<String> attached = new java.util.TreeSet<>();
        for (JsonNode incident : incidents) {
            if (incident.get("escalation").isObject()) {
                List<String> paths = texts(incident.get("escalation").get("artifact_paths"));
                String seenIn = incident.get("first_seen_input").asText();
                assertThat(paths).containsOnlyOnce(seenIn).isEqualTo(texts(incident.get("artifact_refs")));
                attached.add(seenIn);
            }
        }
        assertThat(attached).containsExactlyInAnyOrder(calculator, checkout);
    }

    /** One report given alone: attached once, not once as its first artifact_ref and again as the input. */
    @Test
    void anEscalatedIncidentOfASingleReportAttachesItOnce() throws Exception {
        PackCopy pack = escalatingPack();
        String calculator = REPORTS.resolve("surefire/TEST-demo.CalculatorTest.xml").toString();
        JsonNode incidents = new ObjectMapper().readTree(CliRunner.run("--input", calculator, "--output", "-", "-q",
                "--rules", pack.rules().toString(), "--policy", pack.policy().toString()).assertOk().out())
                .get("incidents");
        List<JsonNode> escalated = escalated(incidents);
        assertThat(escalated).isNotEmpty();
        for (JsonNode incident : escalated) {
            assertThat(texts(incident.get("escalation").get("artifact_paths"))).containsOnlyOnce(calculator)
                    .isEqualTo(texts(incident.get("artifact_refs")));
        }
    }

    private static List<JsonNode> escalated(JsonNode incidents) {
        List<JsonNode> escalated = new java.util.ArrayList<>();
        incidents.forEach(incident -> {
            if (incident.get("escalation").isObject()) {
                escalated.add(incident);
            }
        });
        return escalated;
    }

    /**
     * A report's file name is text from the input: where the attached paths are shown (the
     * HTML page, Markdown tickets, bead descriptions) it is escaped like any other.
     */
    @Test
    void aHostileReportNameIsEscapedWhereverTheAttachedPathsAreShown() throws Exception {
        PackCopy pack = escalatingPack();
        Path folder = Files.createDirectories(tmp.resolve("reports"));
        String hostile = "TEST-<img src=x onerror=alert(1)>`x`*y*.xml";
        Path report = Files.copy(REPORTS.resolve("surefire/TEST-demo.CalculatorTest.xml"), folder.resolve(hostile));
        Path json = tmp.resolve("triage.json");
        Path html = tmp.resolve("triage.html");
        CliRunner.run("--input", folder.toString(), "--output", json.toString(), "--html", html.toString(), "-q",
                "--rules", pack.rules().toString(), "--policy", pack.policy().toString()).assertOk();
        Path markdown = tmp.resolve("tickets");
        Path store = tmp.resolve("issues.jsonl");
        CliRunner.run("tickets", "--report", json.toString(), "--policy", pack.policy().toString(), "--format",
                "markdown", "--out-dir", markdown.toString(), "-q").assertOk();
        CliRunner.run("tickets", "--report", json.toString(), "--policy", pack.policy().toString(), "--store",
                store.toString(), "-q").assertOk();

        String shown = "  - " + dev.triagerules.report.MarkdownText.code(report.toString());
        assertThat(new ObjectMapper().readTree(json.toFile()).get("incidents").get(0).get("escalation")
                .get("artifact_paths").get(0).asText()).isEqualTo(report.toString());
        assertThat(Files.readString(html)).doesNotContain("<img").contains("&lt;img src=x onerror=alert(1)&gt;");
        try (var owners = Files.list(markdown)) {
            String tickets = String.join("\n", owners.filter(p -> !p.endsWith("README.md")).map(p -> {
                try {
                    return Files.readString(p);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList());
            assertThat(tickets).contains("- Artifacts to attach:\n" + shown + "\n");
        }
        assertThat(new ObjectMapper().readTree(Files.readAllLines(store).get(0)).get("description").asText())
                .contains("- Artifacts to attach:\n" + shown + "\n");
    }

    /** examples/junit, whose high incidents (assertion, null dereference) attach their artifact paths. */
    private PackCopy escalatingPack() throws Exception {
        PackCopy pack = PackCopy.of("examples/junit", tmp.resolve("pack"));
        Files.writeString(pack.policy().resolve("severities.yaml"), """
                escalation:
                  high:
                    escalate_immediately: true
                    linked_bead_id: bd-junit
                    attach_artifact_paths: true
                    replay_transcript_required: false
                """, java.nio.file.StandardOpenOption.APPEND);
        return pack;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new java.util.ArrayList<>();
        array.forEach(value -> texts.add(value.asText()));
        return texts;
    }

    /**
     * A report skipped with --on-invalid skip inside a folder or glob run was quarantined
     * with the run's name (the folder, the glob) as its source, where its line and column are
     * not: its source is the report itself, as for a report given alone.
     */
    @Test
    void aSkippedReportIsQuarantinedWithItsOwnFileAsItsSource() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("reports"));
        Path broken = Files.copy(REPORTS.resolve("broken/truncated.xml"), folder.resolve("TEST-a.xml"));
        Files.copy(REPORTS.resolve("failsafe/TEST-demo.CheckoutIT.xml"), folder.resolve("TEST-b.xml"));
        for (String input : List.of(folder.toString(), folder + "/TEST-*.xml", broken.toString())) {
            Path quarantine = tmp.resolve("skipped.quarantine.jsonl");
            run("--input", input, "--output", tmp.resolve("skipped.json").toString(), "--on-invalid", "skip",
                    "--quarantine", quarantine.toString()).assertOk();
            List<String> records = Files.readAllLines(quarantine);
            assertThat(records).as(input).hasSize(1);
            JsonNode record = new ObjectMapper().readTree(records.get(0));
            assertThat(record.get("source").asText()).as(input).isEqualTo(broken.toString());
            assertThat(record.get("line").asLong()).isEqualTo(6);
            assertThat(record.get("column").asLong()).isEqualTo(1);
        }
    }

    /**
     * Before: a glob's reports were checked as JSONL logs first, so a report and its hard link
     * matched by one glob said "each file is one run", which a glob of reports is not.
     */
    @Test
    void aReportHardLinkedInOneGlobOrFolderIsTheSameReportTwiceInOneRun() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("reports"));
        Path report = Files.copy(REPORTS.resolve("failsafe/TEST-demo.CheckoutIT.xml"), folder.resolve("TEST-a.xml"));
        Path link = Files.createLink(folder.resolve("TEST-b.xml"), report);
        String glob = folder + "/*.xml";
        Path output = tmp.resolve("r.json");
        String twice = "--input " + glob + ": its report " + link + " is the same file as its report " + report
                + ": the same report given twice in one run; a report is read once, so give it once";

        CliRunner.Result skipping = run("--input", glob, "--input-format", "junit", "--on-invalid", "skip",
                "--output", output.toString()).assertExit(1);
        CliRunner.Result forced = run("--input", glob, "--input-format", "junit", "--output", output.toString())
                .assertExit(1);
        CliRunner.Result told = run("--input", glob, "--output", output.toString()).assertExit(1);
        CliRunner.Result byFolder = run("--input", folder.toString(), "--output", output.toString()).assertExit(1);

        assertThat(skipping.err().strip()).isEqualTo(twice);
        assertThat(forced.err().strip()).isEqualTo(twice);
        assertThat(told.err().strip()).isEqualTo(twice);
        assertThat(byFolder.err().strip()).isEqualTo(twice.replace(glob, folder.toString()));
        assertThat(output).doesNotExist();
    }

    /** Only globs of JUnit reports changed: a glob of JSONL logs is still one run per log, byte for byte. */
    @Test
    void aGlobOfJsonlLogsIsStillOneRunPerLog() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("logs"));
        Path first = Files.copy(Path.of("examples/sample-e2e.jsonl"), folder.resolve("run-1.jsonl"));
        Path second = Files.copy(Path.of("examples/sample-e2e.jsonl"), folder.resolve("run-2.jsonl"));
        CliRunner.Result byGlob = CliRunner.run("--input", folder + "/*", "--output", "-", "--quiet").assertOk();
        CliRunner.Result byName = CliRunner.run("--input", first.toString(), "--input", second.toString(),
                "--output", "-", "--quiet").assertOk();
        String stamp = "\"generated_unix_ms\": *[0-9]+"; // the time of each run
        assertThat(byGlob.out().replaceAll(stamp, "")).isEqualTo(byName.out().replaceAll(stamp, ""));
        assertThat(new ObjectMapper().readTree(byGlob.out()).get("inputs")).hasSize(2);

        // A log and its hard link in one glob are two runs of one file, as before.
        Path link = Files.createLink(folder.resolve("run-3.jsonl"), second);
        CliRunner.Result linked = CliRunner.run("--input", folder + "/*", "--output", "-", "--quiet").assertExit(1);
        assertThat(linked.err().strip()).isEqualTo("--input " + link + ": the same file as " + second
                + ", already an input; each file is one run, so give it once");
    }

    @Test
    void aBrokenReportStopsTheRunLocatedOrIsQuarantined() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("reports"));
        Files.copy(REPORTS.resolve("broken/truncated.xml"), folder.resolve("TEST-a.xml"));
        Files.copy(REPORTS.resolve("failsafe/TEST-demo.CheckoutIT.xml"), folder.resolve("TEST-b.xml"));
        CliRunner.Result stopped = run("--input", folder.toString(), "--output", tmp.resolve("r.json").toString())
                .assertExit(1);
        assertThat(stopped.err()).startsWith(folder.resolve("TEST-a.xml") + ":6:1: not well-formed XML: Unexpected EOF");
        assertThat(tmp.resolve("r.json")).doesNotExist();

        // A skipped report is a report, not a line: the summary, the Markdown and the JSON say so.
        Path report = tmp.resolve("skip.json");
        Path markdown = tmp.resolve("summary.md");
        Path quarantinePath = tmp.resolve("skip.quarantine.jsonl");
        CliRunner.Result skipped = CliRunner.run("--input", folder.toString(), "--output", report.toString(),
                "--on-invalid", "skip", "--markdown", markdown.toString(), PACK[0], PACK[1], PACK[2], PACK[3]).assertOk();
        assertThat(skipped.err()).endsWith("\n  1 invalid JUnit XML report skipped -> " + quarantinePath + "\n")
                .doesNotContain("invalid line");
        assertThat(Files.readString(markdown)).contains("entries in `" + folder
                + "`, 1 invalid JUnit XML report quarantined in `" + quarantinePath + "`.").doesNotContain("invalid line");
        JsonNode json = new ObjectMapper().readTree(report.toFile());
        assertThat(json.get("invalid_lines").asLong()).isZero();
        assertThat(json.get("invalid_reports").asLong()).isEqualTo(1);
        assertThat(json.get("quarantine_path").asText()).isEqualTo(quarantinePath.toString());
        String quarantine = Files.readString(quarantinePath);
        assertThat(quarantine).contains("TEST-a.xml: not well-formed XML: Unexpected EOF")
                .contains("\"line\":6,\"column\":1,");
    }
}
