package dev.triagerules.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The golden set is whole: every expected report has its log, every log has its reports in
 * every pack, and the files are the ones listed in {@code SHA256SUMS}, byte for byte (so a
 * log deleted together with its reports, or a report "tidied" by an editor, fails here
 * rather than shrinking what the conformance test compares).
 */
class GoldenSetCompletenessTest {

    @Test
    void everyExpectedReportHasItsLog() throws IOException {
        for (String pack : GoldenSet.PACKS) {
            List<Path> reports = GoldenSet.expectedReports(pack);
            assertFalse(reports.isEmpty(), "no upstream reports in " + GoldenSet.expected(pack));
            for (Path report : reports) {
                assertTrue(Files.isRegularFile(GoldenSet.logOf(report)),
                        report + " has no log " + GoldenSet.logOf(report));
            }
        }
    }

    @Test
    void everyLogHasItsReportInEveryPack() throws IOException {
        List<Path> logs = GoldenSet.logFiles();
        assertFalse(logs.isEmpty(), "no logs in " + GoldenSet.logs());
        for (Path log : logs) {
            String name = log.getFileName().toString().replaceFirst("\\.jsonl$", ".json");
            for (String pack : GoldenSet.PACKS) {
                assertTrue(Files.isRegularFile(GoldenSet.expected(pack).resolve(name)),
                        log + " has no upstream report in " + GoldenSet.expected(pack));
            }
        }
    }

    @Test
    void everyPackHoldsTheSameReports() throws IOException {
        List<String> first = fileNames(GoldenSet.expectedReports(GoldenSet.PACKS.get(0)));
        for (String pack : GoldenSet.PACKS) {
            assertEquals(first, fileNames(GoldenSet.expectedReports(pack)),
                    "reports of " + pack + " against " + GoldenSet.PACKS.get(0));
        }
    }

    @Test
    void filesAreExactlyTheListedOnes() throws IOException, NoSuchAlgorithmException {
        Map<String, String> listed = new TreeMap<>();
        for (String line : Files.readAllLines(GoldenSet.dir().resolve("SHA256SUMS"), StandardCharsets.UTF_8)) {
            // sha256sum's text format: 64 hex digits, two spaces, the path.
            assertTrue(line.matches("[0-9a-f]{64}  \\S.*"), "SHA256SUMS line: " + line);
            listed.put(line.substring(66), line.substring(0, 64));
        }
        assertFalse(listed.isEmpty(), "SHA256SUMS lists no file");

        Map<String, String> present = new TreeMap<>();
        for (String folder : List.of("logs", "expected")) {
            try (Stream<Path> files = Files.walk(GoldenSet.dir().resolve(folder))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    present.put(GoldenSet.dir().relativize(file).toString().replace('\\', '/'), sha256(file));
                }
            }
        }
        List<String> differences = new ArrayList<>();
        listed.forEach((path, digest) -> {
            if (!present.containsKey(path)) {
                differences.add("missing: " + path);
            } else if (!present.get(path).equals(digest)) {
                differences.add("changed: " + path);
            }
        });
        present.keySet().stream().filter(path -> !listed.containsKey(path))
                .forEach(path -> differences.add("not listed in SHA256SUMS: " + path));
        assertEquals(List.of(), differences, "the golden set against " + GoldenSet.dir().resolve("SHA256SUMS"));
    }

    private static List<String> fileNames(List<Path> paths) {
        return paths.stream().map(p -> p.getFileName().toString()).toList();
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
