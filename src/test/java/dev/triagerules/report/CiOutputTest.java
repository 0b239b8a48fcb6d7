package dev.triagerules.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triagerules.base.Unsigned128;
import dev.triagerules.engine.Classifier;
import dev.triagerules.input.LogEntry;
import dev.triagerules.input.junit.JunitPipeline;
import dev.triagerules.input.junit.JunitReports;
import dev.triagerules.input.junit.JunitXmlReader;
import dev.triagerules.input.junit.TestCaseResult;
import dev.triagerules.rules.Packs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * GitHub annotations and JUnit XML out, on real reports through the examples/junit pack:
 * byte for byte against reviewed files under src/test/resources/junit/expected, and the
 * JUnit XML parsed back by the JDK's DOM parser and by our own reader.
 */
class CiOutputTest {
    private static final Path EXPECTED = JunitReports.path("expected");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"surefire", "pytest-xunit1.xml", "hostile.xml"})
    void annotationsByteForByte(String input) throws Exception {
        JunitPipeline.Result result = JunitPipeline.triage(Packs.junit(), 0, JunitReports.path(input));
        String annotations = GithubAnnotations.render(result.report(), Packs.junit().policy(), result::location);
        assertThat(annotations).isEqualTo(Files.readString(EXPECTED.resolve(input.replace(".xml", "")
                + ".annotations.txt")));
        // Every line is one workflow command: no text from a report starts a line of its own.
        assertThat(annotations.lines()).allSatisfy(line -> assertThat(line).matches("::(error|warning|notice) .*"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"surefire", "pytest-xunit1.xml", "hostile.xml"})
    void junitOutputByteForByteAndParsedBack(String input) throws Exception {
        JunitPipeline.Result result = JunitPipeline.triage(Packs.junit(), 0, JunitReports.path(input));
        byte[] xml = junitXml(result.report());
        assertThat(new String(xml, StandardCharsets.UTF_8)).isEqualTo(Files.readString(EXPECTED.resolve(
                input.replace(".xml", "") + ".incidents.xml")));
        assertThat(junitXml(result.report())).as("deterministic bytes").isEqualTo(xml);

        Document dom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(xml));
        NodeList cases = dom.getElementsByTagName("testcase");
        List<FoldedIncident> incidents = result.report().incidents();
        assertThat(cases.getLength()).isEqualTo(incidents.size());
        assertThat(dom.getDocumentElement().getAttribute("tests")).isEqualTo(String.valueOf(incidents.size()));
        for (int i = 0; i < cases.getLength(); i++) {
            Element testCase = (Element) cases.item(i);
            Element failure = (Element) testCase.getElementsByTagName("failure").item(0);
            // The writer puts CR as a character reference, so even it comes back as written.
            FoldedIncident incident = incidents.stream().filter(f -> JunitReportWriter.failureText(f)
                    .equals(failure.getTextContent())).findFirst()
                    .orElseThrow(() -> new AssertionError("no incident for " + failure.getTextContent()));
            assertThat(testCase.getAttribute("classname")).isEqualTo(incident.first().entry().suiteId());
            assertThat(failure.getAttribute("type")).isEqualTo(incident.first().getCrashClass());
            assertThat(((Element) testCase.getParentNode()).getAttribute("name"))
                    .isEqualTo(incident.first().getCrashClass());
        }

        // Round trip through the reader triage-rules itself uses for JUnit input.
        List<TestCaseResult> back = new ArrayList<>();
        new JunitXmlReader("incidents.xml", new ByteArrayInputStream(xml)).read(back::add);
        assertThat(back).hasSize(incidents.size()).allSatisfy(c -> {
            assertThat(c.status()).isEqualTo(TestCaseResult.Status.FAILED);
            assertThat(c.failure().text().head()).contains("incident: triage64m:");
        });
        // A suite per class, in the order classes first appear in the report (most severe first).
        List<String> classes = new ArrayList<>();
        incidents.forEach(f -> {
            if (!classes.contains(f.first().getCrashClass())) {
                classes.add(f.first().getCrashClass());
            }
        });
        assertThat(back.stream().map(TestCaseResult::suite).distinct().toList()).isEqualTo(classes);
    }

    @Test
    void pastTenOfALevelTheTenthLineSaysHowManyMore() throws Exception {
        Path report = bigReport(
                "<testcase classname=\"demo.Big\" name=\"slow\"><failure message=\"timed out\"/></testcase>");
        JunitPipeline.Result result = JunitPipeline.triage(Packs.junit(), 0, report);
        List<String> lines = GithubAnnotations.render(result.report(), Packs.junit().policy(), result::location)
                .lines().toList();
        assertThat(lines).hasSize(11);
        assertThat(lines.stream().filter(l -> l.startsWith("::error ")).count()).isEqualTo(10);
        assertThat(lines.get(9)).isEqualTo("::error title=triage-rules::16 more error incidents are not annotated"
                + " (GitHub shows 10 per level in a step): see the step summary or the JSON report");
        assertThat(lines.get(10)).startsWith("::warning title=timeout (medium)");
    }

    @Test
    void anIncidentThatFailedTheJobIsAnnotatedEvenPastTenOfItsLevel() throws Exception {
        Path report = bigReport("");
        JunitPipeline.Result result = JunitPipeline.triage(Packs.junit(), 0, report);
        List<FoldedIncident> incidents = result.report().incidents();
        FoldedIncident last = incidents.get(incidents.size() - 1);
        GateTrip trip = new GateTrip("--fail-on", "high", List.of(last), List.of());
        List<String> lines = GithubAnnotations.render(result.report(), Packs.junit().policy(), List.of(trip),
                result::location).lines().toList();
        assertThat(lines).hasSize(10);
        assertThat(lines.get(0)).startsWith("::error title=failed the job (--fail-on high)%3A assertion (high)%3A ")
                .endsWith(", " + last.incidentId());
        assertThat(lines.subList(1, 10)).noneMatch(line -> line.contains(last.incidentId()));
    }

    /** A report of 25 assertion failures (25 incidents of one level), then {@code more}. */
    private Path bigReport(String more) throws java.io.IOException {
        StringBuilder xml = new StringBuilder("<testsuite name=\"big\">");
        for (int i = 0; i < 25; i++) {
            xml.append("<testcase classname=\"demo.Big\" name=\"t").append(i)
                    .append("\"><failure type=\"java.lang.AssertionError\" message=\"expected ").append(i)
                    .append("\"/></testcase>");
        }
        return Files.writeString(tmp.resolve("big.xml"), xml.append(more).append("</testsuite>"));
    }

    @Test
    void escapingFollowsGitHubsToolkit() {
        assertThat(GithubAnnotations.data("100% a:b,c\r\nx")).isEqualTo("100%25 a:b,c%0D%0Ax");
        assertThat(GithubAnnotations.property("100% a:b,c\r\nx")).isEqualTo("100%25 a%3Ab%2Cc%0D%0Ax");
        assertThat(GithubAnnotations.data("a\u202eb\u0007")).isEqualTo("a\\u202eb\\u0007");
    }

    /**
     * Three incidents of one scenario and one whose scenario is literally the second's
     * name ({@code x #2}): in any order of the log, every testcase of a suite has a name of
     * its own, the literal one keeps its name, and the same report gives the same names.
     */
    @Test
    void testcaseNamesAreUniqueWithinASuiteEvenAgainstALiteralSuffix() throws Exception {
        String scenario = "serialization/hardened:case_10";
        List<LogEntry> entries = List.of(serializationFailure(scenario, "oracle_a"),
                serializationFailure(scenario, "oracle_b"), serializationFailure(scenario, "oracle_c"),
                serializationFailure(scenario + " #2", "oracle_literal"));
        for (List<LogEntry> order : permutations(entries)) {
            TriageReport report = fold(order);
            byte[] xml = junitXml(report);
            assertThat(junitXml(report)).as("deterministic bytes").isEqualTo(xml);
            Document dom = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(xml));
            NodeList suites = dom.getElementsByTagName("testsuite");
            assertThat(suites.getLength()).isEqualTo(1);
            List<String> names = new ArrayList<>();
            NodeList cases = dom.getElementsByTagName("testcase");
            for (int i = 0; i < cases.getLength(); i++) {
                Element testCase = (Element) cases.item(i);
                names.add(testCase.getAttribute("classname") + " / " + testCase.getAttribute("name"));
                if (testCase.getAttribute("name").equals(scenario + " #2")) {
                    assertThat(testCase.getTextContent()).as("the literal name is its own scenario's")
                            .contains("reason_code: oracle_literal");
                }
            }
            assertThat(names).as("order %s", order.stream().map(LogEntry::reasonCode).toList())
                    .doesNotHaveDuplicates().hasSize(4).contains("serialization / " + scenario,
                            "serialization / " + scenario + " #2");
        }
    }

    private static LogEntry serializationFailure(String scenario, String reasonCode) {
        return new LogEntry("ft-conformance-log-v1", Unsigned128.of(1771275651615L), "serialization", scenario,
                "serialization_cases.json", "FT-P2C-006", "hardened", 7, "det64:1715609f7c746c6a", List.of("a.json"),
                "sh replay.sh", "fail", reasonCode);
    }

    private static TriageReport fold(List<LogEntry> entries) {
        ReportBuilder builder = new ReportBuilder(Packs.v1().policy());
        builder.countEntries(entries.size());
        Classifier classifier = new Classifier(Packs.v1(), 100, builder::add);
        for (int i = 0; i < entries.size(); i++) {
            classifier.accept(entries.get(i), i + 1);
        }
        classifier.flush();
        return builder.build(0, "p.jsonl", null, null);
    }

    private static <T> List<List<T>> permutations(List<T> items) {
        if (items.isEmpty()) {
            return List.of(List.of());
        }
        List<List<T>> all = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<T> rest = new ArrayList<>(items);
            T first = rest.remove(i);
            for (List<T> tail : permutations(rest)) {
                List<T> one = new ArrayList<>(List.of(first));
                one.addAll(tail);
                all.add(one);
            }
        }
        return all;
    }

    @Test
    void xmlCleaningKeepsWhatXmlCanCarry() {
        assertThat(JunitReportWriter.clean("ok \t\n é 🚀")).isEqualTo("ok \t\n é 🚀");
        assertThat(JunitReportWriter.clean("a\u0000b\u001bc\ud800d\uffff")).isEqualTo("a\ufffdb\ufffdc\ufffdd\ufffd");
    }

    @Test
    void stepSummaryIsCappedOutsideCodeFencesWithANote() {
        StringBuilder md = new StringBuilder("## Crash triage\n\n");
        for (int i = 0; i < 2000; i++) {
            md.append("- incident ").append(i).append("\n\n  ```sh\n  mvn test -Dtest=X#t").append(i)
                    .append("\n\n  echo\n  ```\n\n");
        }
        String full = md.toString();
        assertThat(MarkdownSummary.capped(full, full.length())).isSameAs(full);
        String capped = MarkdownSummary.capped(full, 10_000);
        assertThat(capped.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(10_000);
        assertThat(capped).endsWith(" left for this step's summary. The JSON report has every incident.\n")
                .contains("Summary truncated: " + full.length() + " bytes do not fit the 10000");
        String kept = capped.substring(0, capped.indexOf("\n> Summary truncated"));
        assertThat(kept.lines().filter(l -> l.strip().startsWith("```")).count() % 2).as("fences closed").isZero();
        assertThat(full).startsWith(kept);
        assertThat(MarkdownSummary.capped(full, 10)).isEmpty();
    }

    /**
     * A replay command with a line of ``` sits in a longer fence (MarkdownText.fence): the
     * cut took that line for the fence's end, and could fall inside the code block.
     */
    @Test
    void aLineOfBackticksInsideALongerFenceNeitherClosesNorOpensOne() {
        StringBuilder md = new StringBuilder("## Crash triage\n\n");
        for (int i = 0; i < 200; i++) {
            md.append("- incident ").append(i).append("\n\n  ````sh\n  sh x\n  ```\n\n  more ").append(i)
                    .append("\n  ````\n\n");
        }
        String full = md.toString();
        for (int budget = 300; budget < 3_000; budget += 7) {
            String capped = MarkdownSummary.capped(full, budget);
            String kept = capped.contains("\n> Summary truncated") ? capped.substring(0, capped.indexOf("\n> Summary"))
                    : capped;
            assertThat(kept.lines().filter(l -> l.strip().equals("````sh") || l.strip().equals("````")).count() % 2)
                    .as("budget %d: the cut is outside every fence:%n%s", budget, kept).isZero();
        }
    }

    private static byte[] junitXml(TriageReport report) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JunitReportWriter.write(report, out);
        return out.toByteArray();
    }
}
