package dev.triagerules.input.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triagerules.report.FoldedIncident;
import dev.triagerules.report.JsonReportWriter;
import dev.triagerules.report.TriageReport;
import dev.triagerules.rules.Packs;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real Maven reports through the pieces with the bundled examples/junit pack: masks, reruns, verdicts. */
class JunitPipelineTest {

    @Test
    void surefireFolderIsOneRunWithVerdictsFromReruns() throws Exception {
        JunitPipeline.Result result = JunitPipeline.triage(Packs.junit(), 0, JunitReports.path("surefire"));
        TriageReport report = result.report();
        assertThat(result.counts()).singleElement().satisfies(c -> {
            assertThat(c.testCases()).isEqualTo(7);
            assertThat(c.skipped()).isEqualTo(1);
            assertThat(c.failed()).isEqualTo(5);
            assertThat(c.flaky()).isEqualTo(2);
            assertThat(c.reports()).isEqualTo(1);
        });
        assertThat(report.totalEntries()).isEqualTo(6);
        assertThat(report.failedEntries()).isEqualTo(5);
        assertThat(report.classCounts()).containsExactly(java.util.Map.entry("assertion", 2L),
                java.util.Map.entry("infrastructure", 1L), java.util.Map.entry("null_dereference", 1L),
                java.util.Map.entry("timeout", 1L));
        assertThat(report.incidents()).allSatisfy(i -> assertThat(i.incidentId()).startsWith("triage64m:"));

        FoldedIncident flaky = incident(report, "cachesResults");
        assertThat(flaky.determinism().verdict()).isEqualTo("flaky");
        assertThat(flaky.determinism().rule()).isEqualTo("flaky: failed, then passed on rerun");
        assertThat(flaky.gatingExcluded()).isTrue();
        assertThat(incident(report, "connectsToService").determinism().verdict()).isEqualTo("flaky");

        FoldedIncident deterministic = incident(report, "dividesRoundingDown");
        assertThat(deterministic.determinism().verdict()).isEqualTo("deterministic");
        assertThat(deterministic.determinism().evidence().get(0)).isEqualTo(
                "failed all 3 attempts of the test runner's reruns, never passed (min_rerun_failures 2)");
        assertThat(incident(report, "readsConfiguration").determinism().verdict()).isEqualTo("deterministic");
        assertThat(incident(report, "finishesQuickly").first().getCrashClass()).isEqualTo("timeout");
    }

    @Test
    void theReportKeepsTheRawReasonCodeAndAddsTheMaskedOne() throws Exception {
        TriageReport report = JunitPipeline.triage(Packs.junit(), 0, JunitReports.path("surefire")).report();
        StringWriter json = new StringWriter();
        JsonReportWriter.write(report, json);
        String text = json.toString();
        assertThat(text).contains("\"reason_code\": \"org.opentest4j.AssertionFailedError: cache entry 0x7f3a9c21"
                + " evicted after 1534 ms ==> expected: <true> but was: <false>\"");
        assertThat(text).contains("\"masked_reason_code\": \"org.opentest4j.AssertionFailedError: cache entry <hex>"
                + " evicted after <n> ms ==> expected: <true> but was: <false>\"");
    }

    @Test
    void theReportBytesWriteCharactersBeyondTheBmpRawAsTheCharWriterDoes() throws Exception {
        TriageReport report = JunitPipeline.triage(Packs.junit(), 0, JunitReports.path("hostile.xml")).report();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        JsonReportWriter.write(report, bytes);
        StringWriter chars = new StringWriter();
        JsonReportWriter.write(report, chars);

        String text = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).isEqualTo(chars.toString()).contains("naïve ∑ test 🚀").doesNotContain("\\ud83d");
    }

    @Test
    void aMaskedReportReadsBackForReplayTicketsAndGates() throws Exception {
        TriageReport report = JunitPipeline.triage(Packs.junit(), 0, JunitReports.path("surefire")).report();
        java.nio.file.Path file = java.nio.file.Files.createTempFile("junit-report", ".json");
        try {
            try (var out = java.nio.file.Files.newOutputStream(file)) {
                JsonReportWriter.write(report, out);
            }
            dev.triagerules.report.ReportFile back = dev.triagerules.report.ReportFile.read(file);
            assertThat(back.incidents()).extracting(dev.triagerules.report.ReportedIncident::incidentId)
                    .containsExactlyElementsOf(report.incidents().stream().map(FoldedIncident::incidentId).toList());
            assertThat(back.incidents()).allSatisfy(i -> {
                assertThat(i.problems()).isEmpty();
                assertThat(i.replayCommand()).startsWith("mvn test -Dtest=demo.CalculatorTest#");
                assertThat(i.determinismVerdict()).isIn("flaky", "deterministic");
            });
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    @Test
    void masksFoldFailuresThatDifferOnlyInNumbers() throws Exception {
        // The same test failing in two runs with different numbers in its message.
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("junit-masks");
        try {
            java.nio.file.Path a = dir.resolve("a.xml");
            java.nio.file.Path b = dir.resolve("b.xml");
            java.nio.file.Files.writeString(a, report("took 1534 ms at 0x7f3a9c21"));
            java.nio.file.Files.writeString(b, report("took 87 ms at 0x55d0c1a2"));
            TriageReport masked = JunitPipeline.triage(Packs.junit(), 0, a, b).report();
            assertThat(masked.incidents()).singleElement().satisfies(i -> {
                assertThat(i.occurrences()).isEqualTo(2);
                assertThat(i.first().entry().reasonCode()).isEqualTo("java.lang.AssertionError: took 1534 ms at 0x7f3a9c21");
                assertThat(i.determinism().verdict()).isEqualTo("deterministic");
            });
            // Without masks (the default pack's policy has none) they stay two incidents with upstream ids.
            TriageReport unmasked = JunitPipeline.triage(dev.triagerules.engine.RulePack.load(
                    java.nio.file.Path.of("examples/junit/rules"), withoutMasks(dir)), 0, a, b).report();
            assertThat(unmasked.incidents()).hasSize(2)
                    .allSatisfy(i -> assertThat(i.incidentId()).startsWith("triage64:"));
        } finally {
            try (var files = java.nio.file.Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void aTestCaseWithoutASeedIsNoSameSeedEvidence() throws Exception {
        // Failed in one run, passed in the next: flaky either way; "the same seed" only when it names one.
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("junit-seeds");
        try {
            java.nio.file.Path failed = java.nio.file.Files.writeString(dir.resolve("a.xml"),
                    "<testsuite name=\"demo.T\"><testcase classname=\"demo.T\" name=\"t\"><failure"
                    + " type=\"java.lang.AssertionError\" message=\"boom\"/></testcase></testsuite>");
            java.nio.file.Path passed = java.nio.file.Files.writeString(dir.resolve("b.xml"),
                    "<testsuite name=\"demo.T\"><testcase classname=\"demo.T\" name=\"t\"/></testsuite>");
            assertThat(JunitPipeline.triage(Packs.junit(), 0, failed, passed).report().incidents()).singleElement()
                    .satisfies(i -> assertThat(i.determinism().rule()).isEqualTo("flaky: passed in some runs, failed in others"));

            String seed = "<properties><property name=\"seed\" value=\"42\"/></properties>";
            java.nio.file.Files.writeString(failed, "<testsuite name=\"demo.T\">" + seed + "<testcase classname=\"demo.T\""
                    + " name=\"t\"><failure type=\"java.lang.AssertionError\" message=\"boom\"/></testcase></testsuite>");
            java.nio.file.Files.writeString(passed, "<testsuite name=\"demo.T\">" + seed + "<testcase classname=\"demo.T\""
                    + " name=\"t\"/></testsuite>");
            assertThat(JunitPipeline.triage(Packs.junit(), 0, failed, passed).report().incidents()).singleElement()
                    .satisfies(i -> assertThat(i.determinism().rule()).isEqualTo("flaky: same seed passed and failed"));
        } finally {
            try (var files = java.nio.file.Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static java.nio.file.Path withoutMasks(java.nio.file.Path dir) throws java.io.IOException {
        java.nio.file.Path policy = java.nio.file.Files.createDirectories(dir.resolve("policy"));
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("examples/junit/policy"))) {
            for (java.nio.file.Path file : files.filter(f -> !f.getFileName().toString().equals("masks.yaml")).toList()) {
                java.nio.file.Files.copy(file, policy.resolve(file.getFileName()));
            }
        }
        return policy;
    }

    private static String report(String message) {
        return "<testsuite name=\"demo.T\"><testcase classname=\"demo.T\" name=\"t\"><failure type=\"java.lang.AssertionError\""
                + " message=\"" + message + "\"/></testcase></testsuite>";
    }

    static FoldedIncident incident(TriageReport report, String scenario) {
        List<FoldedIncident> found = report.incidents().stream()
                .filter(i -> i.first().entry().scenarioId().equals(scenario)).toList();
        assertThat(found).as("incidents of " + scenario).hasSize(1);
        return found.get(0);
    }
}
