package dev.triagerules.authoring;

import static dev.triagerules.base.YamlLocations.error;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.triagerules.base.Problem;
import dev.triagerules.base.YamlFile;
import dev.triagerules.base.YamlLocations;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads the rule test tables of a rules folder: every {@code *.yaml} / {@code *.yml} under
 * {@code <rules>/tests/}. Every problem is reported, located at file:line:column; a table
 * with a problem is left out.
 *
 * <pre>
 * cases:
 *   - name: keyset pattern                    # optional; defaults to the reason code
 *     reason_code: Dispatch_Keyset_Mismatch   # required
 *     packet_id: FT-P2C-002                   # optional, like suite_id, scenario_id, mode,
 *                                             # outcome (default fail), fixture_id, env_fingerprint
 *     expect: {class: dispatch_routing, severity: high, owner: ft-dispatch-owners, rule: dispatch_routing}
 * </pre>
 */
public final class TableLoader {
    /** The folder, inside a rules folder, that holds its test tables. */
    public static final String TESTS_DIR = "tests";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    static {
        // YAML reads yes/no/on/off as booleans and 007 or 1e3 as numbers; bound to a String they
        // would silently become "true" or "1000.0". Make the author quote them instead.
        YAML.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    }

    /** The cases are bound one by one, so that a wrong value in one hides nothing in the others. */
    record TableFile(@JsonProperty("cases") List<JsonNode> cases) {
    }

    record CaseEntry(
            @JsonProperty("name") String name,
            @JsonProperty("reason_code") String reasonCode,
            @JsonProperty("packet_id") String packetId,
            @JsonProperty("suite_id") String suiteId,
            @JsonProperty("scenario_id") String scenarioId,
            @JsonProperty("mode") String mode,
            @JsonProperty("outcome") String outcome,
            @JsonProperty("fixture_id") String fixtureId,
            @JsonProperty("env_fingerprint") String envFingerprint,
            @JsonProperty("expect") ExpectEntry expect) {
    }

    record ExpectEntry(
            @JsonProperty("class") String crashClass,
            @JsonProperty("severity") String severity,
            @JsonProperty("owner") String owner,
            @JsonProperty("rule") String rule) {
    }

    private TableLoader() {
    }

    public static Path testsDir(Path rulesDir) {
        return rulesDir.resolve(TESTS_DIR);
    }

    /** The table files of a rules folder, sorted; empty when it has no tests folder. */
    public static List<Path> tableFiles(Path rulesDir, List<Problem> problems) {
        Path dir = testsDir(rulesDir);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".yaml")
                            || p.getFileName().toString().endsWith(".yml"))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            problems.add(Problem.error(dir, 0, 0, "cannot list test tables: " + e.getMessage()));
            return List.of();
        }
    }

    /** Every table of a rules folder that loaded without problems; the others add their problems. */
    public static List<TestTable> load(Path rulesDir, List<Problem> problems) {
        List<TestTable> tables = new ArrayList<>();
        for (Path file : tableFiles(rulesDir, problems)) {
            TestTable table = loadTable(file, problems);
            if (table != null) {
                tables.add(table);
            }
        }
        return tables;
    }

    /** One table, or null when it has a problem (every one is added to {@code problems}). */
    public static TestTable loadTable(Path file, List<Problem> problems) {
        byte[] content;
        try (FileInputStream in = new FileInputStream(file.toFile())) { // says what Jackson said when it opened the file
            content = in.readAllBytes();
        } catch (IOException e) {
            problems.add(Problem.error(file, 0, 0, "cannot read: " + e.getMessage()));
            return null;
        }
        int errorsBefore = errorCount(problems);
        int firstProblem = problems.size();
        YamlFile yaml = YamlFile.read(YAML, file, content, problems);
        if (yaml == null) {
            return null;
        }
        TableFile parsed = yaml.isEmpty() ? null
                : yaml.bindByKey(YAML.readerFor(TableFile.class), TableLoader::describe, problems);
        if (parsed == null || parsed.cases() == null || parsed.cases().isEmpty()) {
            if (errorCount(problems) == errorsBefore) { // else its problem (a misspelt "cases:") says why
                problems.add(Problem.error(file, 0, 0, "test table has no cases (expected a \"cases:\" list)"));
            }
            return null;
        }
        YamlLocations keys = yaml.locations();
        ObjectReader caseReader = YAML.readerFor(CaseEntry.class);
        List<TestCase> cases = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < parsed.cases().size(); i++) {
            JsonNode node = parsed.cases().get(i);
            JsonLocation at = keys.has("cases/" + i) ? keys.key("cases/" + i) : null;
            int line = at == null ? 0 : at.getLineNr();
            if (node == null || node.isNull()) {
                problems.add(error(file, at, "case " + (i + 1) + " is empty"));
                continue;
            }
            CaseEntry entry = yaml.bind(caseReader, node, "cases/" + i, "cases[" + i + "]", TableLoader::describe,
                    problems);
            if (entry == null) {
                continue;
            }
            String label = entry.name() != null ? "case \"" + entry.name() + "\""
                    : "case " + (i + 1);
            if (entry.reasonCode() == null) {
                problems.add(error(file, at, label + " needs a reason_code"));
                continue;
            }
            if (entry.expect() == null || blank(entry.expect().crashClass())) {
                problems.add(error(file, keys.key("cases/" + i + "/expect"), label
                        + " needs an expected class (expect: {class: ...})"));
                continue;
            }
            if (entry.outcome() != null && !FailureFields.isFailure(entry.outcome())) {
                problems.add(error(file, keys.key("cases/" + i + "/outcome"), label
                        + " has outcome \"pass\": passing entries are not failures and are never classified"));
                continue;
            }
            String name = entry.name() != null ? entry.name() : "reason_code \"" + entry.reasonCode() + "\"";
            Integer first = names.putIfAbsent(name, line);
            if (first != null) {
                problems.add(error(file, at, "case \"" + name + "\" is named twice (first at line " + first + ")"));
                continue;
            }
            FailureFields fields = new FailureFields(entry.reasonCode(), entry.packetId(), entry.suiteId(),
                    entry.scenarioId(), entry.mode(), entry.outcome(), entry.fixtureId(), entry.envFingerprint());
            ExpectEntry expect = entry.expect();
            cases.add(new TestCase(file, line, name, fields,
                    new Expectation(expect.crashClass(), expect.severity(), expect.owner(), expect.rule())));
        }
        problems.subList(firstProblem, problems.size()).sort(Problem.IN_FILE_ORDER);
        return errorCount(problems) > errorsBefore ? null : new TestTable(file, List.copyOf(cases));
    }

    /** What is wrong with a value Jackson could not bind. */
    private static String describe(JsonMappingException e) {
        return e instanceof MismatchedInputException mismatch ? expected(mismatch.getTargetType())
                : String.join(" ", e.getOriginalMessage().strip().split("\\s*\n\\s*"));
    }

    /** What a value of the wrong shape should have been, in YAML terms. */
    private static String expected(Class<?> type) {
        if (type == TableFile.class) {
            return "a test table is a mapping with a \"cases:\" list";
        }
        if (type == CaseEntry.class || type == ExpectEntry.class) {
            return "expected a mapping (key: value)";
        }
        if (type != null && List.class.isAssignableFrom(type)) {
            return "expected a list (- item)";
        }
        return "expected a string; quote values YAML would read as something else (\"yes\", \"007\", \"1e3\")";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static int errorCount(List<Problem> problems) {
        return (int) problems.stream().filter(Problem::isError).count();
    }
}
