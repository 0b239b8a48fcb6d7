package dev.triagerules.cli;

import dev.triagerules.authoring.CaseResult;
import dev.triagerules.authoring.Coverage;
import dev.triagerules.authoring.TableLoader;
import dev.triagerules.authoring.TableRunner;
import dev.triagerules.authoring.TestTable;
import dev.triagerules.base.Problem;
import dev.triagerules.engine.RulePack;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** {@code triage-rules test}: runs the rule test tables, with per-rule coverage. */
@Command(name = "test",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Runs the rule test tables; prints failures, a summary and per-rule coverage.",
        description = {
            "Runs every case of the rule test tables (<rules>/tests/*.yaml) through the rules and"
                + " policy. Prints each failing case as 'file:line: case NAME: expected X, got Y (rule R at"
                + " FILE:LINE)', then 'N passed, N failed', then how many cases each classification rule"
                + " won and which rules won none.",
        },
        footerHeading = "%n",
        footer = "Exit codes: 0 every case passed, 1 a case failed or the pack or a table has an error, 2 bad usage.")
final class TestCommand implements Callable<Integer> {

    @CommandLine.Mixin
    RulesOption rules;

    @CommandLine.Mixin
    PolicyOption policy;

    @CommandLine.ParentCommand
    TriageRulesCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Path rulesDir = rules.dir(parent);
        Path policyDir = policy.dir(parent);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();

        List<Problem> problems = new ArrayList<>();
        RulePack pack = RulePack.load(rulesDir, policyDir, problems);
        List<Path> tableFiles = TableLoader.tableFiles(rulesDir, problems);
        List<TestTable> tables = TableLoader.load(rulesDir, problems);
        List<Problem> errors = problems.stream().filter(Problem::isError).toList();
        if (!errors.isEmpty()) {
            errors.forEach(problem -> err.println(Display.problem(problem)));
            err.flush();
            return 1;
        }
        if (tableFiles.isEmpty()) {
            err.println(Display.dir(TableLoader.testsDir(rulesDir)) + ": no test tables; add *.yaml files with"
                    + " cases (see docs/writing-rules.md)");
            err.flush();
            return 1;
        }

        List<CaseResult> results = TableRunner.run(pack, tables);
        int failed = 0;
        for (CaseResult result : results) {
            if (!result.passed()) {
                failed++;
                out.println(Display.path(result.testCase().file()) + ":" + result.testCase().line() + ": "
                        + result.describeFailure(Display::location));
            }
        }
        out.println((results.size() - failed) + " passed, " + failed + " failed");
        Coverage.of(pack, results).lines(Display::location).forEach(out::println);
        out.flush();
        return failed > 0 ? 1 : 0;
    }
}
