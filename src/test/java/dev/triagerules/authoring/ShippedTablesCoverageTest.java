package dev.triagerules.authoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triagerules.base.Problem;
import dev.triagerules.engine.Failure;
import dev.triagerules.engine.RuleInfo;
import dev.triagerules.engine.RulePack;
import dev.triagerules.rules.Packs;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped tables are complete: every rule wins a case, every {@code contains}
 * pattern of every rule is in a case that rule wins, and every two classification rules
 * overlap in some case (all patterns are substrings, so any two can), which pins down
 * their precedence. {@code check} finds nothing to warn about.
 */
class ShippedTablesCoverageTest {
    private static final Pattern CONTAINS = Pattern.compile("reason contains \"([^\"]+)\"");

    @ParameterizedTest
    @ValueSource(strings = {"v1", "head", "junit"})
    void everyRuleEveryPatternAndEveryOverlapHasACase(String packName) throws IOException {
        RulePack pack = switch (packName) {
            case "v1" -> Packs.v1();
            case "head" -> Packs.head();
            default -> Packs.junit();
        };
        List<CaseResult> results = TableRunner.run(pack, TableLoader.load(pack.rulesDir(), new ArrayList<>()));
        List<String> missing = new ArrayList<>();
        List<RuleInfo> rules = pack.rules().rules().stream().filter(RuleInfo::classifies).toList();
        for (RuleInfo rule : rules) {
            List<String> won = results.stream().filter(r -> rule.equals(r.explanation().winner()))
                    .map(r -> Failure.foldAsciiCase(r.testCase().fields().reasonCode())).toList();
            Matcher patterns = CONTAINS.matcher(Files.readString(rule.file()));
            while (patterns.find()) {
                String pattern = patterns.group(1);
                if (won.stream().noneMatch(reason -> reason.contains(pattern))) {
                    missing.add("pattern \"" + pattern + "\" of rule " + rule.name());
                }
            }
        }
        for (int i = 0; i < rules.size(); i++) {
            for (int j = i + 1; j < rules.size(); j++) {
                RuleInfo higher = rules.get(i);
                RuleInfo lower = rules.get(j);
                boolean overlap = results.stream().anyMatch(r -> r.explanation().matching().contains(higher)
                        && r.explanation().matching().contains(lower) && higher.equals(r.explanation().winner()));
                if (!overlap) {
                    missing.add("overlap " + higher.name() + " over " + lower.name());
                }
            }
        }
        assertEquals(List.of(), missing, packName + " tables lack cases");
        List<Problem> warnings = Coverage.of(pack, results).warnings("tests/");
        assertEquals(List.of(), warnings.stream().map(Problem::toString).toList());
        assertTrue(results.stream().allMatch(CaseResult::passed));
    }
}
