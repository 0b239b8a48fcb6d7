package dev.triagerules.authoring;

import dev.triagerules.base.Problem;
import dev.triagerules.engine.RuleInfo;
import dev.triagerules.engine.RulePack;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Which classification rules the test cases exercise: the cases each rule won (classified)
 * and the cases where it matched but a higher-precedence rule won.
 */
public final class Coverage {
    private static final int NAMES_SHOWN = 5;

    /** One classification rule: the cases it won and the cases where it matched and lost, to whom. */
    public record RuleCoverage(RuleInfo rule, List<CaseResult> won, List<CaseResult> outranked,
            Set<String> outrankedBy) {

        /** Matched in some case but won none: a higher-precedence rule always claims its failures first. */
        public boolean shadowed() {
            return won.isEmpty() && !outranked.isEmpty();
        }

        /** No case even matches it. */
        public boolean untested() {
            return won.isEmpty() && outranked.isEmpty();
        }
    }

    private final List<RuleCoverage> rules;

    private Coverage(List<RuleCoverage> rules) {
        this.rules = rules;
    }

    public static Coverage of(RulePack pack, List<CaseResult> results) {
        List<RuleCoverage> rules = new ArrayList<>();
        for (RuleInfo rule : pack.rules().rules()) {
            if (!rule.classifies()) {
                continue;
            }
            List<CaseResult> won = new ArrayList<>();
            List<CaseResult> outranked = new ArrayList<>();
            Set<String> by = new LinkedHashSet<>();
            for (CaseResult result : results) {
                if (rule.equals(result.explanation().winner())) {
                    won.add(result);
                } else if (result.explanation().matching().contains(rule)) {
                    outranked.add(result);
                    if (result.explanation().winner() != null) {
                        by.add(result.explanation().winner().name());
                    }
                }
            }
            rules.add(new RuleCoverage(rule, List.copyOf(won), List.copyOf(outranked), by));
        }
        return new Coverage(List.copyOf(rules));
    }

    /** Every classification rule of the pack, in precedence order. */
    public List<RuleCoverage> rules() {
        return rules;
    }

    /** Warnings for rules the cases show are shadowed, and for rules no case matches, located at the rule. */
    public List<Problem> warnings(String tablesDescription) {
        List<Problem> problems = new ArrayList<>();
        for (RuleCoverage coverage : rules) {
            RuleInfo rule = coverage.rule();
            if (coverage.shadowed()) {
                List<String> by = List.copyOf(coverage.outrankedBy());
                problems.add(Problem.warning(rule.file(), rule.line(), 0, "rule \"" + rule.name()
                        + "\" is fully shadowed by higher-precedence rule" + (by.size() == 1 ? " " : "s ")
                        + quoted(by) + ": it matches " + count(coverage.outranked().size(), "test case")
                        + " but wins none (cases: " + caseNames(coverage.outranked()) + ")"));
            } else if (coverage.untested()) {
                problems.add(Problem.warning(rule.file(), rule.line(), 0, "rule \"" + rule.name()
                        + "\" is exercised by no test case in " + tablesDescription));
            }
        }
        return problems;
    }

    /** Coverage lines as {@code test} prints them. */
    public List<String> lines(Function<RuleInfo, String> location) {
        List<String> lines = new ArrayList<>();
        List<String> none = new ArrayList<>();
        lines.add("coverage (test cases each classification rule won):");
        for (RuleCoverage coverage : rules) {
            RuleInfo rule = coverage.rule();
            String line = "  rule \"" + rule.name() + "\" (" + location.apply(rule) + "): "
                    + count(coverage.won().size(), "case");
            if (!coverage.outranked().isEmpty()) {
                line += ", outranked in " + coverage.outranked().size() + " more";
            }
            lines.add(line);
            if (coverage.won().isEmpty()) {
                none.add("\"" + rule.name() + "\" (" + location.apply(rule) + ")"
                        + (coverage.shadowed() ? " shadowed by " + quoted(List.copyOf(coverage.outrankedBy())) : ""));
            }
        }
        lines.add("rules with no case: " + (none.isEmpty() ? "none" : String.join(", ", none)));
        return lines;
    }

    private static String caseNames(List<CaseResult> results) {
        Set<String> names = new LinkedHashSet<>();
        for (CaseResult result : results) {
            names.add("\"" + result.testCase().name() + "\"");
        }
        List<String> shown = new ArrayList<>(names);
        if (shown.size() <= NAMES_SHOWN) {
            return String.join(", ", shown);
        }
        return String.join(", ", shown.subList(0, NAMES_SHOWN)) + " and " + (shown.size() - NAMES_SHOWN) + " more";
    }

    private static String quoted(List<String> names) {
        return String.join(", ", names.stream().map(name -> "\"" + name + "\"").toList());
    }

    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
