package dev.triagerules.input.junit;

import dev.triagerules.base.Unsigned128;
import static dev.triagerules.input.junit.JunitReports.named;
import static dev.triagerules.input.junit.JunitReports.read;
import static org.assertj.core.api.Assertions.assertThat;

import dev.triagerules.input.LogEntry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JunitMapperTest {
    private final JunitMapper defaults = new JunitMapper(JunitPolicy.DEFAULT);

    @Test
    void surefireDefaults() {
        List<TestCaseResult> cases = read("surefire/TEST-demo.CalculatorTest.xml");
        LogEntry failed = defaults.entry(named(cases, "dividesRoundingDown"));
        assertThat(failed).isEqualTo(new LogEntry("junit-xml", Unsigned128.ZERO, "demo.CalculatorTest", "dividesRoundingDown", "",
                "demo.CalculatorTest", "surefire", 0, "java.version=17.0.15 os.name=Linux os.arch=amd64", List.of("src/test/resources/junit/surefire/TEST-demo.CalculatorTest.xml"),
                "mvn test -Dtest=demo.CalculatorTest#dividesRoundingDown", "fail",
                "org.opentest4j.AssertionFailedError: 7 / 2 rounded ==> expected: <4> but was: <3>"));

        LogEntry error = defaults.entry(named(cases, "readsConfiguration"));
        assertThat(error.outcome()).isEqualTo("error");
        assertThat(error.reasonCode()).startsWith("java.lang.NullPointerException: Cannot invoke \"String.length()\"");

        assertThat(defaults.entry(named(cases, "addsNumbers")).outcome()).isEqualTo("pass");
        assertThat(defaults.entry(named(cases, "parsesExpressions"))).isNull();
    }

    @Test
    void aFlakyTestIsItsFirstFailureWithAttachmentsKeptInsideTheFolder() {
        LogEntry flaky = defaults.entry(named(read("surefire/TEST-demo.CalculatorTest.xml"), "cachesResults"));
        assertThat(flaky.outcome()).isEqualTo("fail");
        assertThat(flaky.reasonCode()).isEqualTo("org.opentest4j.AssertionFailedError: cache entry 0x7f3a9c21"
                + " evicted after 1534 ms ==> expected: <true> but was: <false>");
        assertThat(flaky.artifactRefs()).containsExactly("src/test/resources/junit/surefire/TEST-demo.CalculatorTest.xml",
                "target/cache-dump-0x7f3a9c.txt");
        LogEntry flakyError = defaults.entry(named(read("surefire/TEST-demo.CalculatorTest.xml"), "connectsToService"));
        assertThat(flakyError.outcome()).isEqualTo("error");
        assertThat(flakyError.reasonCode()).isEqualTo("java.net.ConnectException: Connection refused");
    }

    @Test
    void failsafeUsesItsOwnReplayAndModeAndTheEnvironmentProperties() {
        LogEntry entry = defaults.entry(named(read("failsafe/TEST-demo.CheckoutIT.xml"), "appliesDiscount"));
        assertThat(entry.mode()).isEqualTo("failsafe");
        assertThat(entry.replayCommand()).isEqualTo("mvn verify -Dit.test=demo.CheckoutIT#appliesDiscount");
        assertThat(entry.envFingerprint()).isEqualTo("java.version=17.0.15 os.name=Linux os.arch=amd64");
    }

    @Test
    void pytestReplayQuotesWhatItInsertsAndFallsBackWithoutAFileAttribute() {
        TestCaseResult xunit1 = named(read("pytest-xunit1.xml"), "test_quantity_limits[12]");
        LogEntry entry = defaults.entry(xunit1);
        assertThat(entry.replayCommand()).isEqualTo("pytest tests/test_inventory.py::'test_quantity_limits[12]'");
        assertThat(entry.reasonCode()).isEqualTo("assert 12 < 10");
        assertThat(entry.packetId()).isEqualTo("pytest");
        assertThat(entry.suiteId()).isEqualTo("tests.test_inventory");
        assertThat(entry.fixtureId()).isEqualTo("tests/test_inventory.py");
        assertThat(entry.tsUnixMs()).isGreaterThan(Unsigned128.ZERO);
        LogEntry xunit2 = defaults.entry(named(read("pytest-xunit2.xml"), "test_restock_threshold"));
        assertThat(xunit2.replayCommand()).isEqualTo("pytest tests/test_inventory.py::test_restock_threshold");
        assertThat(xunit2.reasonCode()).isEqualTo("AssertionError: restock threshold for apples at 0x55d0c1a2\nassert 3 > 5");
    }

    @Test
    void goNextestMochaGradle() {
        LogEntry go = defaults.entry(named(read("gotestsum.xml"), "TestParseLength"));
        assertThat(go.replayCommand()).isEqualTo("go test -run ^TestParseLength$ example.com/junitdemo");
        assertThat(go.reasonCode()).isEqualTo("Failed");
        assertThat(go.envFingerprint()).isEqualTo("go.version=go1.19.8 linux/amd64");

        LogEntry nextest = defaults.entry(named(read("nextest.xml"), "tests::parses_amount"));
        assertThat(nextest.replayCommand()).isEqualTo("cargo nextest run tests::parses_amount");
        assertThat(nextest.reasonCode()).isEqualTo("test failure");
        assertThat(nextest.tsUnixMs()).isEqualTo(Unsigned128.of(java.time.Instant.parse("2026-11-30T08:50:00.020Z").toEpochMilli()));

        LogEntry mocha = defaults.entry(named(read("mocha.xml"), "cart reads the session"));
        // mocha writes absolute paths: a replay names no path outside the checkout, so it greps.
        assertThat(mocha.replayCommand()).isEqualTo("npx mocha --grep 'cart reads the session'");
        assertThat(mocha.reasonCode()).isEqualTo("TypeError: Cannot read properties of undefined (reading 'user')");

        LogEntry gradle = defaults.entry(read("gradle/TEST-demo.CalculatorTest.xml").get(1));
        assertThat(gradle.replayCommand()).isEqualTo("gradle test --tests demo.CalculatorTest.dividesRoundingDown");
        assertThat(gradle.reasonCode()).isEqualTo("org.opentest4j.AssertionFailedError: 7 / 2 rounded ==> expected:"
                + " <4> but was: <3>");
    }

    @Test
    void policyTemplatesSeedOutcomesAndForcedRunner() {
        JunitPolicy policy = new JunitPolicy("junit", List.of("{property:team}", "all"), null, null, null,
                List.of("ci"), List.of("{type}"), "java.specification.version", List.of(),
                Map.of("junit", List.of("make test T={name}")), Map.of("failure", "assert_fail"), 10);
        JunitMapper mapper = new JunitMapper(policy);
        LogEntry entry = mapper.entry(named(read("failsafe/TEST-demo.CheckoutIT.xml"), "appliesDiscount"));
        assertThat(entry.packetId()).isEqualTo("all");
        assertThat(entry.mode()).isEqualTo("ci");
        assertThat(entry.seed()).isEqualTo(17);
        assertThat(entry.envFingerprint()).isEmpty();
        assertThat(entry.outcome()).isEqualTo("assert_fail");
        assertThat(entry.reasonCode()).isEqualTo("org.opente"); // cut to max_reason_chars
        assertThat(entry.replayCommand()).isEqualTo("make test T=appliesDiscount");
    }

    @Test
    void hostileReportStaysInert() {
        List<TestCaseResult> cases = read("hostile.xml");
        LogEntry shell = defaults.entry(cases.get(1));
        // No runner recognised: no replay command at all.
        assertThat(shell.replayCommand()).isEmpty();
        // Attachments that climb out of the folder or are absolute are dropped; the rest is normalised.
        assertThat(shell.artifactRefs()).containsExactly("src/test/resources/junit/hostile.xml", "screenshots/fail 1.png");
        JunitMapper pytestReplay = new JunitMapper(new JunitPolicy("pytest", null, null, null, null, null, null, null,
                null, null, null, null));
        assertThat(pytestReplay.entry(cases.get(1)).replayCommand())
                .isEqualTo("pytest evil/Shell.py::'$(touch /tmp/pwned)`id`;rm -rf ~ && echo'");
        // A source file outside the folder is not inserted: the next template derives it from the class.
        assertThat(pytestReplay.entry(cases.get(0)).replayCommand())
                .isEqualTo("pytest evil/Class,name=x::y.py::injects%0A::error::pwned");
    }

    @Test
    void helpers() {
        assertThat(JunitMapper.method("foo()")).isEqualTo("foo");
        assertThat(JunitMapper.method("foo[1]")).isEqualTo("foo");
        assertThat(JunitMapper.containedPath("a/../b.txt")).isEqualTo("b.txt");
        assertThat(JunitMapper.containedPath("a/../../b.txt")).isNull();
        assertThat(JunitMapper.containedPath("C:\\x")).isNull();
        // Windows separators: an annotation's file= on a Windows runner climbed out with ..\..
        assertThat(JunitMapper.containedPath("..\\..\\win.py")).isNull();
        assertThat(JunitMapper.containedPath("a\\..\\..\\b.py")).isNull();
        assertThat(JunitMapper.containedPath("tests\\unit\\test_x.py")).isEqualTo("tests/unit/test_x.py");
        assertThat(JunitMapper.timestampMillis("2026-11-30T08:48:38")).isEqualTo(
                java.time.Instant.parse("2026-11-30T08:48:38Z").toEpochMilli());
        assertThat(JunitMapper.timestampMillis("yesterday")).isZero();
        assertThat(JunitMapper.timestampMillis("1960-01-01T00:00:00Z")).isZero();
    }
}
