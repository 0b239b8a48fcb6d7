package dev.triagerules.authoring;

import dev.triagerules.engine.RuleExplainer;
import dev.triagerules.engine.RulePack;
import java.util.ArrayList;
import java.util.List;

/** Runs test cases through a pack: each case in its own fresh sessions, explained. */
public final class TableRunner {
    private TableRunner() {
    }

    public static CaseResult run(RulePack pack, TestCase testCase) {
        return new CaseResult(testCase, RuleExplainer.explain(pack, testCase.fields().failure()));
    }

    /** Every case of every table, in table and file order. */
    public static List<CaseResult> run(RulePack pack, List<TestTable> tables) {
        List<CaseResult> results = new ArrayList<>();
        for (TestTable table : tables) {
            for (TestCase testCase : table.cases()) {
                results.add(run(pack, testCase));
            }
        }
        return results;
    }
}
