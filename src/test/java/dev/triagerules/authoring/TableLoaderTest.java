package dev.triagerules.authoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.triagerules.base.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Test tables: fields, defaults, the line of each case, and every kind of mistake located. */
class TableLoaderTest {

    @TempDir
    Path tmp;

    private Path write(String yaml) throws IOException {
        Path file = tmp.resolve("t.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    private List<String> problems(String yaml) throws IOException {
        List<Problem> problems = new ArrayList<>();
        assertNull(TableLoader.loadTable(write(yaml), problems));
        return problems.stream().map(Problem::toString).toList();
    }

    @Test
    void readsEveryFieldWithDefaultsAndTheLineOfEachCase() throws IOException {
        Path file = write("""
                # a comment
                cases:
                  - name: keyset pattern
                    reason_code: Dispatch_Keyset_Mismatch
                    expect: {class: dispatch_routing, severity: high, owner: ft-dispatch-owners}

                  - reason_code: "\\u212Aeyset"
                    packet_id: FT-P2C-002
                    suite_id: dispatch_key
                    scenario_id: s1
                    mode: hardened
                    outcome: error
                    fixture_id: f.json
                    env_fingerprint: det64:1
                    expect:
                      class: unclassified
                      rule: unclassified
                """);
        List<Problem> problems = new ArrayList<>();
        TestTable table = TableLoader.loadTable(file, problems);
        assertEquals(List.of(), problems);
        assertEquals(2, table.cases().size());
        TestCase first = table.cases().get(0);
        assertEquals(3, first.line());
        assertEquals("keyset pattern", first.name());
        assertEquals(FailureFields.ofReasonCode("Dispatch_Keyset_Mismatch"), first.fields());
        assertEquals("fail", first.fields().outcome());
        assertEquals("", first.fields().packetId());
        assertEquals(new Expectation("dispatch_routing", "high", "ft-dispatch-owners", null), first.expect());
        TestCase second = table.cases().get(1);
        assertEquals(7, second.line());
        assertEquals("reason_code \"\u212Aeyset\"", second.name());
        assertEquals(new FailureFields("\u212Aeyset", "FT-P2C-002", "dispatch_key", "s1", "hardened", "error",
                "f.json", "det64:1"), second.fields());
        assertEquals(new Expectation("unclassified", null, null, "unclassified"), second.expect());
        assertEquals(file + ":7", second.location());
    }

    @Test
    void everyCaseProblemOfATableIsReported() throws IOException {
        Path file = tmp.resolve("t.yaml");
        assertEquals(List.of(
                file + ":5:5: error: case \"x\" is named twice (first at line 2)",
                file + ":8:5: error: case 3 needs an expected class (expect: {class: ...})",
                file + ":11:5: error: case \"p\" has outcome \"pass\": passing entries are not failures and are"
                        + " never classified",
                file + ":13:5: error: case 5 needs a reason_code"), problems("""
                cases:
                  - name: x
                    reason_code: a
                    expect: {class: y}
                  - name: x
                    reason_code: b
                    expect: {class: z}
                  - reason_code: c
                  - name: p
                    reason_code: d
                    outcome: pass
                    expect: {class: unclassified}
                  - expect: {class: q}
                """));
    }

    @Test
    void shapeAndSyntaxErrorsAreLocatedOnOneLine() throws IOException {
        Path file = tmp.resolve("t.yaml");
        assertEquals(List.of(file + ":1:1: error: a test table is a mapping with a \"cases:\" list"),
                problems("- a\n"));
        assertEquals(List.of(file + ":1:1: error: unknown key \"case\" (expected one of: cases)"),
                problems("case:\n  - x\n"));
        assertEquals(List.of(file + ": error: test table has no cases (expected a \"cases:\" list)"),
                problems("cases:\n"));
        assertEquals(List.of(file + ":2:14: error: invalid YAML: mapping values are not allowed here"),
                problems("cases:\n  - name: bad: yaml\n"));
        assertEquals(List.of(file + ":3:24: error: unknown key \"colour\" (expected one of: class, owner, rule,"
                + " severity)"), problems("cases:\n  - reason_code: a\n    expect: {class: y, colour: red}\n"));
    }

    @Test
    void unquotedValuesYamlReadsAsOtherTypesAreRefused() throws IOException {
        Path file = tmp.resolve("t.yaml");
        for (String value : List.of("yes", "off", "007", "1e3", "[a]")) {
            assertEquals(List.of(file + ":2:18: error: cases[0].reason_code: expected a string; quote values YAML"
                    + " would read as something else (\"yes\", \"007\", \"1e3\")"),
                    problems("cases:\n  - reason_code: " + value + "\n    expect: {class: y}\n"), value);
        }
    }

    @Test
    void everyProblemOfATableComesAtOnceInFileOrder() throws IOException {
        Path file = tmp.resolve("t.yaml");
        String string = "expected a string; quote values YAML would read as something else (\"yes\", \"007\", \"1e3\")";
        String caseKeys = " (expected one of: env_fingerprint, expect, fixture_id, mode, name, outcome, packet_id,"
                + " reason_code, scenario_id, suite_id)";
        assertEquals(List.of(
                file + ":1:1: error: unknown key \"colour\" (expected one of: cases)",
                file + ":4:18: error: cases[0].reason_code: " + string,
                file + ":7:18: error: cases[1].reason_code: " + string,
                file + ":8:15: error: cases[1].suite_id: " + string,
                file + ":11:5: error: unknown key \"bogus\"" + caseKeys,
                file + ":12:5: error: unknown key \"packet\"" + caseKeys,
                file + ":13:24: error: unknown key \"owner_hint\" (expected one of: class, owner, rule, severity)",
                file + ":14:5: error: case 4 needs a reason_code"), problems("""
                colour: red
                cases:
                  - name: a
                    reason_code: yes
                    expect: {class: y}
                  - name: b
                    reason_code: 007
                    suite_id: [x]
                    expect: {class: y}
                  - reason_code: c
                    bogus: 1
                    packet: FT-P2C-001
                    expect: {class: y, owner_hint: z}
                  - expect: {class: q}
                """));
    }

    @Test
    void aSyntaxErrorIsOneLineAtWhereSnakeYamlFoundIt() throws IOException {
        Path file = tmp.resolve("t.yaml");
        assertEquals(List.of(file + ":2:1: error: invalid YAML: found character '\\t(TAB)' that cannot start any"
                + " token. (Do not use \\t(TAB) for indentation)"), problems("cases:\n\t- reason_code: a\n"));
        assertEquals(List.of(file + ":3:1: error: invalid YAML: found unexpected end of stream"),
                problems("cases:\n  - reason_code: 'unclosed\n"));
    }
}
