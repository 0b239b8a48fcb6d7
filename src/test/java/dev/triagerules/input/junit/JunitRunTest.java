package dev.triagerules.input.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triagerules.base.UserError;
import dev.triagerules.input.EntryOutcome;
import dev.triagerules.input.InputOpener;
import dev.triagerules.input.LogEntry;
import dev.triagerules.input.junit.JunitXmlReader.JunitXmlException;
import java.io.ByteArrayInputStream;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JunitRunTest {
    @TempDir
    Path tmp;

    /** What a run hands to its sink, in order. */
    private static final class Recorder implements JunitRun.Sink {
        final List<String> events = new ArrayList<>();

        @Override
        public void failure(LogEntry entry, TestCaseResult testCase) {
            events.add("failure " + entry.scenarioId() + " line " + testCase.line());
        }

        @Override
        public void outcome(EntryOutcome outcome) {
            events.add("outcome " + (outcome.passed() ? "pass" : "fail " + outcome.failed().scenarioId())
                    + (outcome.rerun() ? " on rerun" : ""));
        }

        @Override
        public void reruns(LogEntry entry, int failedAttempts, int passedAttempts) {
            events.add("reruns " + entry.scenarioId() + " " + failedAttempts + " failed " + passedAttempts + " passed");
        }

        @Override
        public void invalidReport(Path report, JunitXmlException error) {
            events.add("invalid " + report.getFileName() + " " + error.line() + ":" + error.column());
        }
    }

    private final JunitRun run = new JunitRun(new JunitMapper(JunitPolicy.DEFAULT), false);

    @Test
    void aFlakyTestIsAFailingThenAPassingOutcomeAndRerunEvidence() {
        Recorder sink = new Recorder();
        JunitRun.Counts counts = run.read(JunitReports.path("failsafe"), sink);
        assertThat(counts).isEqualTo(new JunitRun.Counts(3, 3, 0, 2, 1, 1, 0));
        assertThat(sink.events).containsExactly(
                "outcome fail appliesDiscount", "failure appliesDiscount line 57", "reruns appliesDiscount 3 failed 0 passed",
                "outcome fail reservesStock", "failure reservesStock line 96", "outcome pass on rerun",
                "reruns reservesStock 1 failed 1 passed",
                "outcome pass");
    }

    @Test
    void aFolderIsOneRunOfItsTestReportsInNameOrder() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("reports"));
        Files.copy(JunitReports.path("failsafe/TEST-demo.CheckoutIT.xml"), folder.resolve("TEST-b.xml"));
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(folder.resolve("TEST-a.xml.gz")))) {
            gz.write(Files.readAllBytes(JunitReports.path("gradle/TEST-demo.CalculatorTest.xml")));
        }
        Files.writeString(folder.resolve("testng-results.xml"), "<not-junit/>");
        assertThat(JunitRun.reportFiles(folder)).extracting(p -> p.getFileName().toString())
                .containsExactly("TEST-a.xml.gz", "TEST-b.xml");
        JunitRun.Counts counts = run.read(folder, new Recorder());
        assertThat(counts.reports()).isEqualTo(2);
        assertThat(counts.testCases()).isEqualTo(8);
        assertThat(JunitRun.reportFiles(JunitReports.path("pytest-xunit1.xml")))
                .containsExactly(JunitReports.path("pytest-xunit1.xml"));
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> JunitRun.reportFiles(empty)).isInstanceOf(UserError.class)
                .hasMessage(empty + ": no JUnit XML reports (*.xml) in this folder");
    }

    @Test
    void aBrokenReportStopsTheRunOrIsSkippedLocated() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("mixed"));
        Files.copy(JunitReports.path("broken/truncated.xml"), folder.resolve("TEST-a.xml"));
        Files.copy(JunitReports.path("failsafe/TEST-demo.CheckoutIT.xml"), folder.resolve("TEST-b.xml"));
        assertThatThrownBy(() -> run.read(folder, new Recorder())).isInstanceOf(JunitXmlException.class)
                .hasMessageStartingWith(folder.resolve("TEST-a.xml") + ":6:1: not well-formed XML");

        Recorder sink = new Recorder();
        JunitRun.Counts counts = new JunitRun(new JunitMapper(JunitPolicy.DEFAULT), true).read(folder, sink);
        assertThat(counts.invalid()).isEqualTo(1);
        assertThat(counts.testCases()).isEqualTo(4); // the valid case before the error, and the next report's 3
        assertThat(sink.events).contains("invalid TEST-a.xml 6:1").last().isEqualTo("outcome pass");
    }

    @Test
    void formatIsToldByContent() throws Exception {
        assertThat(sniff("{\"schema_version\":\"x\"}\n")).isEqualTo(InputFormat.JSONL);
        assertThat(sniff("\ufeff \n\t<?xml version=\"1.0\"?><testsuites/>")).isEqualTo(InputFormat.JUNIT_XML);
        assertThat(sniff("")).isEqualTo(InputFormat.JSONL);
        // Among a glob's matches, a file that tells nothing takes the others' format.
        for (String blank : List.of("", "\ufeff", " \r\n\t")) {
            assertThat(InputFormat.sniffContent(new BufferedInputStream(new ByteArrayInputStream(
                    blank.getBytes(StandardCharsets.UTF_8))))).as("\"" + blank + "\"").isEmpty();
        }
        Path gz = tmp.resolve("report.xml.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(JunitReports.path("nextest.xml")));
        }
        try (InputStream in = new BufferedInputStream(InputOpener.open(gz.toString()))) {
            assertThat(InputFormat.sniff(in)).isEqualTo(InputFormat.JUNIT_XML);
            assertThat(in.read()).as("sniffing consumed nothing").isEqualTo('<');
        }
        assertThat(InputFormat.ofFolder(JunitReports.path("surefire"))).isEqualTo(InputFormat.JUNIT_XML);
        assertThat(InputFormat.ofFolder(Path.of("examples"))).isEqualTo(InputFormat.JSONL);
        assertThat(InputFormat.forced("junit")).isEqualTo(InputFormat.JUNIT_XML);
        assertThat(InputFormat.forced("auto")).isNull();
        assertThatThrownBy(() -> InputFormat.forced("csv")).hasMessageContaining("one of auto, jsonl, junit");
    }

    /** A report saved as UTF-16 or UTF-32 (Windows tools do) starts with that encoding's byte-order mark. */
    @Test
    void aUtf16OrUtf32ReportWithItsByteOrderMarkIsXml() throws Exception {
        String report = "\ufeff \r\n<?xml version=\"1.0\" encoding=\"UTF-16\"?><testsuites/>";
        for (String charset : List.of("UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE")) {
            assertThat(sniff(report.getBytes(Charset.forName(charset)))).as(charset).isEqualTo(InputFormat.JUNIT_XML);
            assertThat(sniff("\ufeff{\"a\":1}\n".getBytes(Charset.forName(charset)))).as(charset)
                    .isEqualTo(InputFormat.JSONL);
        }
    }

    /**
     * Without a byte-order mark, a UTF-16 or UTF-32 report starts with zero bytes (00 3C,
     * 3C 00, ...): it is XML, not a JSONL log, and is read in that encoding even with no
     * XML declaration to say so.
     */
    @Test
    void aUtf16OrUtf32ReportWithoutAByteOrderMarkIsXmlAndIsRead() throws Exception {
        String declared = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>";
        String body = "<testsuite name=\"s\"><testcase classname=\"demo.ATest\" name=\"fails\">"
                + "<failure message=\"expected \u00e9 but was \u20ac\"/></testcase></testsuite>";
        for (String charset : List.of("UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE")) {
            for (String report : List.of(declared + body, body, " \r\n" + body)) {
                byte[] bytes = report.getBytes(Charset.forName(charset));
                assertThat(sniff(bytes)).as(charset + " " + report).isEqualTo(InputFormat.JUNIT_XML);
                List<TestCaseResult> cases = new ArrayList<>();
                new JunitXmlReader("r.xml", new ByteArrayInputStream(bytes)).read(cases::add);
                assertThat(cases).as(charset + " " + report).singleElement()
                        .satisfies(c -> assertThat(c.failure().message()).isEqualTo("expected \u00e9 but was \u20ac"));
            }
            assertThat(sniff("{\"a\":1}\n".getBytes(Charset.forName(charset)))).as(charset)
                    .isEqualTo(InputFormat.JSONL);
        }
        byte[] loneSurrogate = {0, '<', (byte) 0xD8, 0, 0, 'a'};
        assertThatThrownBy(() -> new JunitXmlReader("r.xml", new ByteArrayInputStream(loneSurrogate)).read(c -> { }))
                .isInstanceOf(JunitXmlException.class).hasMessageStartingWith("r.xml")
                .hasMessageContaining("not valid UTF-16BE");
        assertThat(InputFormat.unmarkedWideCharset("<?xml".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(InputFormat.unmarkedWideCharset("\ufeff<".getBytes(StandardCharsets.UTF_16LE))).isEmpty();
    }

    private static InputFormat sniff(byte[] bytes) throws Exception {
        return InputFormat.sniff(new BufferedInputStream(new ByteArrayInputStream(bytes)));
    }

    private static InputFormat sniff(String text) throws Exception {
        return InputFormat.sniff(new BufferedInputStream(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))));
    }
}
