package dev.triagerules.authoring;

import dev.triagerules.engine.Incident;
import dev.triagerules.engine.RuleExplainer.Explanation;
import dev.triagerules.engine.RuleInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** What the pack made of one test case, and whether that is what the case expects. */
public record CaseResult(TestCase testCase, Explanation explanation) {

    public boolean passed() {
        return mismatches().isEmpty();
    }

    /** The checked fields whose value differs, as {@code field} names, in a fixed order. */
    public List<String> mismatches() {
        Expectation expect = testCase.expect();
        List<String> fields = new ArrayList<>();
        check(fields, "class", expect.crashClass(), Incident::getCrashClass);
        check(fields, "severity", expect.severity(), Incident::getSeverity);
        check(fields, "owner", expect.owner(), Incident::getOwnerHint);
        if (expect.rule() != null && !Objects.equals(expect.rule(), ruleName())) {
            fields.add("rule");
        }
        return fields;
    }

    private void check(List<String> fields, String field, String expected, Function<Incident, String> actual) {
        Incident incident = explanation.incident();
        if (expected != null && (incident == null || !expected.equals(actual.apply(incident)))) {
            fields.add(field);
        }
    }

    private String ruleName() {
        return explanation.winner() == null ? null : explanation.winner().name();
    }

    /**
     * {@code case NAME: expected class X, got Y (rule R at FILE:LINE)}; with several fields wrong,
     * each is listed: {@code expected class X, severity S, got class Y, severity T (rule R ...)}.
     */
    public String describeFailure(Function<RuleInfo, String> ruleLocation) {
        List<String> wrong = mismatches();
        Expectation expect = testCase.expect();
        Incident incident = explanation.incident();
        List<String> expected = new ArrayList<>();
        List<String> got = new ArrayList<>();
        for (String field : wrong) {
            String want = switch (field) {
                case "class" -> expect.crashClass();
                case "severity" -> expect.severity();
                case "owner" -> expect.owner();
                default -> expect.rule();
            };
            String have = incident == null && !field.equals("rule") ? null : switch (field) {
                case "class" -> incident.getCrashClass();
                case "severity" -> incident.getSeverity();
                case "owner" -> incident.getOwnerHint();
                default -> ruleName();
            };
            boolean named = wrong.size() > 1 || !field.equals("class");
            expected.add(named ? field + " " + want : want);
            got.add(have == null ? (named ? field + " none" : "none") : named ? field + " " + have : have);
        }
        RuleInfo winner = explanation.winner();
        String by = winner != null ? "rule " + winner.name() + " at " + ruleLocation.apply(winner)
                : "no rule: " + explanation.error();
        return "case " + testCase.name() + ": expected " + String.join(", ", expected) + ", got "
                + String.join(", ", got) + " (" + by + ")";
    }
}
