package dev.triagerules.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triagerules.cli.CliRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every upstream report of the golden set ({@link GoldenSet}) reproduced by the
 * matching pack, compared as {@code shared/tools/golden-diff} does (every upstream key,
 * its value and order; our keys may follow) and, stronger, byte for byte once our own
 * keys are removed and the two run-dependent values are set aside.
 */
class GoldenConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String[]> PACKS = Map.of(
            "v1", new String[] {},
            "head", new String[] {"--rules", "examples/frankentorch-head/rules",
                "--policy", "examples/frankentorch-head/policy"});

    @TempDir
    Path out;

    @TestFactory
    Stream<DynamicTest> everyGoldenReportIsReproduced() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String pack : GoldenSet.PACKS) {
            for (Path report : GoldenSet.expectedReports(pack)) {
                tests.add(DynamicTest.dynamicTest(pack + "/" + report.getFileName(),
                        () -> assertReproduced(pack, report)));
            }
        }
        assertFalse(tests.isEmpty(), "the golden set holds upstream reports");
        return tests.stream();
    }

    private void assertReproduced(String pack, Path expectedReport) throws IOException {
        Path ours = out.resolve(pack + "-" + expectedReport.getFileName());
        List<String> args = new ArrayList<>(List.of(PACKS.get(pack)));
        args.addAll(List.of("--quiet", "--input", GoldenSet.logOf(expectedReport).toString(),
                "--output", ours.toString()));
        GoldenSet.packetOf(expectedReport).ifPresent(packet -> args.addAll(List.of("--packet", packet)));
        CliRunner.Result result = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, result.exitCode(), result.err());

        JsonNode expected = JSON.readTree(expectedReport.toFile());
        JsonNode actual = JSON.readTree(ours.toFile());
        assertNull(GoldenDiff.diff(actual, expected, "$"), "golden-diff against " + expectedReport);

        // Byte layout: our report with our own keys removed equals the upstream bytes.
        String ourBytes = Files.readString(ours, StandardCharsets.UTF_8);
        String expectedBytes = Files.readString(expectedReport, StandardCharsets.UTF_8);
        assertEquals(normalize(expectedBytes), normalize(upstreamPortion(ourBytes)), "bytes against " + expectedReport);
    }

    /** Our report up to the end of "incidents", closed as upstream closes it. */
    private static String upstreamPortion(String report) {
        int extra = report.indexOf("\n  \"incident_count\"");
        return report.substring(0, report.lastIndexOf(',', extra)) + "\n}";
    }

    private static String normalize(String report) {
        return report.replaceAll("(?m)^  \"generated_unix_ms\": \\d+,$", "  \"generated_unix_ms\": 0,")
                .replaceAll("(?m)^  \"input_log_path\": \".*\",$", "  \"input_log_path\": \"\",")
                .replaceAll("(?s)\n      \"escalation\": \\{.*?\n      }", "")
                .replaceAll("(?m)^      \"(rule|fixture_id|first_seen_line|escalation)\": .*\\n", "")
                .replaceAll(",\\n(    })", "\n$1");
    }
}
