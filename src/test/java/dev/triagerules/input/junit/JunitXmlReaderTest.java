package dev.triagerules.input.junit;

import static dev.triagerules.input.junit.JunitReports.named;
import static dev.triagerules.input.junit.JunitReports.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.triagerules.input.junit.JunitXmlReader.JunitXmlException;
import dev.triagerules.input.junit.TestCaseResult.Kind;
import dev.triagerules.input.junit.TestCaseResult.Status;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JunitXmlReaderTest {

    @Test
    void surefireReportWithRerunsFromRealMavenRun() {
        List<TestCaseResult> cases = read("surefire/TEST-demo.CalculatorTest.xml");
        assertThat(cases).extracting(TestCaseResult::name).containsExactlyInAnyOrder("addsNumbers",
                "dividesRoundingDown", "readsConfiguration", "parsesExpressions", "cachesResults", "connectsToService",
                "finishesQuickly");
        assertThat(cases).allSatisfy(c -> {
            assertThat(c.runner()).isEqualTo(Runner.SUREFIRE);
            assertThat(c.suite()).isEqualTo("demo.CalculatorTest");
            assertThat(c.classname()).isEqualTo("demo.CalculatorTest");
        });
        assertThat(named(cases, "addsNumbers").status()).isEqualTo(Status.PASSED);
        assertThat(named(cases, "parsesExpressions").status()).isEqualTo(Status.SKIPPED);
        assertThat(named(cases, "parsesExpressions").skipMessage()).isEqualTo("waiting for the new parser");

        TestCaseResult deterministic = named(cases, "dividesRoundingDown");
        assertThat(deterministic.status()).isEqualTo(Status.FAILED);
        assertThat(deterministic.failure().type()).isEqualTo("org.opentest4j.AssertionFailedError");
        assertThat(deterministic.failure().message()).isEqualTo("7 / 2 rounded ==> expected: <4> but was: <3>");
        assertThat(deterministic.failure().text().head()).startsWith("org.opentest4j.AssertionFailedError: 7 / 2");
        assertThat(deterministic.rerunCount()).isEqualTo(2);
        assertThat(deterministic.reruns()).extracting(TestCaseResult.Problem::kind)
                .containsExactly(Kind.RERUN_FAILURE, Kind.RERUN_FAILURE);
        assertThat(deterministic.reruns().get(0).text().head()).contains("CalculatorTest.java:30");
        assertThat(deterministic.reruns().get(0).systemOut().head()).isEqualTo("dividing 7 by 2 with seed=1234\n");
        assertThat(deterministic.systemOut().head()).isEqualTo("dividing 7 by 2 with seed=1234\n");

        TestCaseResult npe = named(cases, "readsConfiguration");
        assertThat(npe.status()).isEqualTo(Status.ERROR);
        assertThat(npe.failure().type()).isEqualTo("java.lang.NullPointerException");
        assertThat(npe.reruns()).extracting(TestCaseResult.Problem::kind)
                .containsExactly(Kind.RERUN_ERROR, Kind.RERUN_ERROR);

        TestCaseResult flaky = named(cases, "cachesResults");
        assertThat(flaky.status()).isEqualTo(Status.PASSED);
        assertThat(flaky.passedOnRerun()).isTrue();
        assertThat(flaky.failure()).isNull();
        assertThat(flaky.firstFailure().kind()).isEqualTo(Kind.FLAKY_FAILURE);
        assertThat(flaky.firstFailure().message()).startsWith("cache entry 0x7f3a9c21 evicted after 1534 ms");
        assertThat(flaky.firstFailure().systemOut().head()).contains("[[ATTACHMENT|target/cache-dump-0x7f3a9c.txt]]");

        TestCaseResult flakyError = named(cases, "connectsToService");
        assertThat(flakyError.passedOnRerun()).isTrue();
        assertThat(flakyError.firstFailure().kind()).isEqualTo(Kind.FLAKY_ERROR);
        assertThat(flakyError.firstFailure().type()).isEqualTo("java.net.ConnectException");
    }

    @Test
    void failsafeReportIsRecognisedAndKeepsSuiteProperties() {
        List<TestCaseResult> cases = read("failsafe/TEST-demo.CheckoutIT.xml");
        assertThat(cases).hasSize(3).allSatisfy(c -> assertThat(c.runner()).isEqualTo(Runner.FAILSAFE));
        TestCaseResult failing = named(cases, "appliesDiscount");
        assertThat(failing.properties()).containsEntry("java.specification.version", "17")
                .containsEntry("failsafe.rerunFailingTestsCount", "2");
        assertThat(failing.rerunCount()).isEqualTo(2);
        assertThat(named(cases, "reservesStock").passedOnRerun()).isTrue();
    }

    @Test
    void pytestBothFamilies() {
        List<TestCaseResult> xunit1 = read("pytest-xunit1.xml");
        List<TestCaseResult> xunit2 = read("pytest-xunit2.xml");
        assertThat(xunit1).extracting(TestCaseResult::name)
                .containsExactlyElementsOf(xunit2.stream().map(TestCaseResult::name).toList());
        assertThat(xunit1).hasSize(8).allSatisfy(c -> assertThat(c.runner()).isEqualTo(Runner.PYTEST));
        assertThat(xunit2).allSatisfy(c -> assertThat(c.runner()).isEqualTo(Runner.PYTEST));

        TestCaseResult restock = named(xunit1, "test_restock_threshold");
        assertThat(restock.file()).isEqualTo("tests/test_inventory.py");
        assertThat(restock.sourceLine()).isEqualTo("14");
        assertThat(restock.suite()).isEqualTo("pytest");
        assertThat(restock.failure().type()).isEmpty();
        assertThat(restock.failure().message())
                .isEqualTo("AssertionError: restock threshold for apples at 0x55d0c1a2\nassert 3 > 5");
        assertThat(named(xunit2, "test_restock_threshold").file()).isEmpty();

        TestCaseResult fixtureError = named(xunit1, "test_reads_database");
        assertThat(fixtureError.status()).isEqualTo(Status.ERROR);
        assertThat(fixtureError.failure().message()).contains("ConnectionRefusedError");
        assertThat(named(xunit1, "test_rounds_prices").status()).isEqualTo(Status.SKIPPED);
        assertThat(named(xunit1, "test_quantity_limits[12]").status()).isEqualTo(Status.FAILED);
        assertThat(named(xunit1, "test_quantity_limits[1]").status()).isEqualTo(Status.PASSED);
    }

    @Test
    void otherRunners() {
        List<TestCaseResult> mocha = read("mocha.xml");
        assertThat(mocha).hasSize(4).allSatisfy(c -> assertThat(c.runner()).isEqualTo(Runner.MOCHA));
        TestCaseResult timeout = named(mocha, "cart loads prices in time");
        assertThat(timeout.suite()).isEqualTo("cart");
        assertThat(timeout.suiteFile()).endsWith("mocha/test/cart.test.js");
        assertThat(timeout.failure().message()).startsWith("Timeout of 100ms exceeded.");

        List<TestCaseResult> go = read("gotestsum.xml");
        assertThat(go).hasSize(3).allSatisfy(c -> assertThat(c.runner()).isEqualTo(Runner.GO));
        assertThat(named(go, "TestParseNil").failure().text().head()).contains("nil pointer dereference");
        assertThat(named(go, "TestParseNil").properties()).containsKey("go.version");

        List<TestCaseResult> nextest = read("nextest.xml");
        assertThat(nextest).hasSize(5).allSatisfy(c -> assertThat(c.runner()).isEqualTo(Runner.NEXTEST));
        assertThat(named(nextest, "tests::retries_lock").passedOnRerun()).isTrue();
        assertThat(named(nextest, "tests::writes_journal").rerunCount()).isEqualTo(1);
        assertThat(named(nextest, "tests::parses_amount").timestamp()).isEqualTo("2026-11-30T08:50:00.020+00:00");
        assertThat(named(nextest, "tests::parses_amount").systemErr().head()).contains("panicked at src/lib.rs:42:9");

        List<TestCaseResult> gradle = read("gradle/TEST-demo.CalculatorTest.xml");
        assertThat(gradle).hasSize(5).allSatisfy(c -> assertThat(c.runner()).isEqualTo(Runner.GRADLE));
        assertThat(gradle).filteredOn(c -> c.name().equals("cachesResults()")).extracting(TestCaseResult::status)
                .containsExactly(Status.FAILED, Status.PASSED);
    }

    @Test
    void nestedSuitesMergePropertiesOutermostFirstAndCaseWins() {
        String xml = """
                <testsuites>
                  <testsuite name="outer"><properties><property name="seed" value="1"/><property name="a" value="x"/></properties>
                    <testsuite name="inner" timestamp="2026-01-02T03:04:05Z"><properties><property name="seed" value="2"/></properties>
                      <testcase classname="C" name="t"><properties><property name="a">from text</property></properties></testcase>
                    </testsuite>
                    <testcase classname="C" name="u"/>
                  </testsuite>
                </testsuites>""";
        List<TestCaseResult> cases = readString(xml);
        assertThat(cases.get(0).suite()).isEqualTo("inner");
        assertThat(cases.get(0).timestamp()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(cases.get(0).properties()).containsEntry("seed", "2").containsEntry("a", "from text");
        assertThat(cases.get(1).suite()).isEqualTo("outer");
        assertThat(cases.get(1).properties()).containsEntry("seed", "1").containsEntry("a", "x");
        assertThat(cases.get(1).line()).isEqualTo(6);
    }

    @Test
    void brokenReportsAreLocated() {
        assertThatThrownBy(() -> read("broken/truncated.xml")).isInstanceOf(JunitXmlException.class)
                .hasMessageStartingWith("src/test/resources/junit/broken/truncated.xml:6:1: not well-formed XML:"
                        + " Unexpected EOF");
        assertThatThrownBy(() -> read("broken/mismatched-tag.xml")).isInstanceOf(JunitXmlException.class)
                .hasMessageStartingWith("src/test/resources/junit/broken/mismatched-tag.xml:4:")
                .hasMessageContaining("</error>");
        assertThatThrownBy(() -> read("broken/not-junit.xml"))
                .hasMessage("src/test/resources/junit/broken/not-junit.xml:2:1: not a JUnit XML report:"
                        + " the root element is <project>, expected <testsuites> or <testsuite>");
    }

    /**
     * An early end is placed just after the last character, 1-based as every column: after a
     * final line break Woodstox says column 0 (the quarantine wrote "column":0), without one
     * the last character itself.
     */
    @Test
    void anEarlyEndIsPlacedWhereTheInputEnds() {
        String cut = "<testsuite name=\"s\">\n  <testcase classname=\"c\" name=\"t\">";
        assertThatThrownBy(() -> readString(cut + "\n")).isInstanceOf(JunitXmlException.class)
                .hasMessageStartingWith("test.xml:3:1: not well-formed XML: Unexpected EOF")
                .extracting(e -> ((JunitXmlException) e).column()).isEqualTo(1);
        assertThatThrownBy(() -> readString(cut)).isInstanceOf(JunitXmlException.class)
                .hasMessageStartingWith("test.xml:2:36: not well-formed XML: Unexpected EOF");
        assertThatThrownBy(() -> readString(cut + "\n\n")).hasMessageStartingWith("test.xml:4:1: ");
    }

    /** A bad byte on line 2 was reported at 1:1, "byte #-1": Woodstox decodes ahead of where it says it is. */
    @Test
    void bytesThatAreNoUtf8AreNamedByCharacterNotMisplaced() {
        byte[] xml = "<testsuite name=\"s\">\n<testcase classname=\"c\" name=\"?\"/></testsuite>\n"
                .getBytes(StandardCharsets.US_ASCII);
        xml[new String(xml, StandardCharsets.US_ASCII).indexOf('?')] = (byte) 0xff; // the ? of name="?"
        assertThatThrownBy(() -> new JunitXmlReader("bad.xml", new ByteArrayInputStream(xml)).read(c -> { }))
                .isInstanceOf(JunitXmlException.class)
                .hasMessage("bad.xml: not well-formed XML: Invalid UTF-8 start byte 0xff (at char #52)");
    }

    @Test
    void entitiesAreRefusedNotExpanded() {
        assertThatThrownBy(() -> read("broken/external-entity.xml")).isInstanceOf(JunitXmlException.class)
                .hasMessageStartingWith("src/test/resources/junit/broken/external-entity.xml:")
                .hasMessageContaining("DOCTYPE is not allowed")
                .hasMessageNotContaining("root:");
        assertThatThrownBy(() -> read("broken/entity-expansion.xml")).isInstanceOf(JunitXmlException.class)
                .hasMessageContaining("DOCTYPE is not allowed");
        assertThatThrownBy(() -> readString("<testsuite><testcase name=\"&x;\"/></testsuite>"))
                .isInstanceOf(JunitXmlException.class).hasMessageStartingWith("test.xml:1:");
    }

    @Test
    void casesBeforeAnErrorAreHandedOver() {
        List<TestCaseResult> seen = new ArrayList<>();
        assertThatThrownBy(() -> new JunitXmlReader("t.xml", stream("<testsuite><testcase name=\"a\"/><testcase name=\"b\">"))
                .read(seen::add)).isInstanceOf(JunitXmlException.class);
        assertThat(seen).extracting(TestCaseResult::name).containsExactly("a");
    }

    @Test
    void hugeTextsAreBoundedAndCounted() {
        long size = 50L << 20; // 50 MiB of CDATA and of plain text
        InputStream in = new SequenceInputStream(java.util.Collections.enumeration(List.of(
                stream("<testsuite><testcase name=\"big\"><failure message=\"m\"><![CDATA["), repeat('x', size),
                stream("]]></failure><system-out>"), repeat('y', size), stream("</system-out></testcase></testsuite>"))));
        List<TestCaseResult> cases = new ArrayList<>();
        new JunitXmlReader("big.xml", in).read(cases::add);
        TestCaseResult big = cases.get(0);
        assertThat(big.failure().text().length()).isEqualTo(size);
        assertThat(big.failure().text().head()).hasSize(JunitXmlReader.MAX_TEXT_CHARS);
        assertThat(big.failure().text().truncated()).isTrue();
        assertThat(big.systemOut().length()).isEqualTo(size);
    }

    @Test
    void overlongAttributeStopsTheReadLocated() {
        InputStream in = new SequenceInputStream(java.util.Collections.enumeration(List.of(
                stream("<testsuite>\n<testcase name=\""), repeat('n', JunitXmlReader.MAX_ATTRIBUTE_CHARS + 10L),
                stream("\"/></testsuite>"))));
        assertThatThrownBy(() -> new JunitXmlReader("long.xml", in).read(c -> { }))
                .isInstanceOf(JunitXmlException.class).hasMessageStartingWith("long.xml:2:")
                .hasMessageContaining("attribute");
    }

    private static List<TestCaseResult> readString(String xml) {
        List<TestCaseResult> cases = new ArrayList<>();
        new JunitXmlReader("test.xml", stream(xml)).read(cases::add);
        return cases;
    }

    private static InputStream stream(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code count} copies of an ASCII char, made as it is read. */
    static InputStream repeat(char c, long count) {
        return new InputStream() {
            long left = count;

            @Override
            public int read() {
                return left-- > 0 ? c : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) c);
                left -= n;
                return n;
            }
        };
    }
}
