package dev.triagerules.cli;

import dev.triagerules.authoring.CaseResult;
import dev.triagerules.authoring.Coverage;
import dev.triagerules.authoring.TableLoader;
import dev.triagerules.authoring.TableRunner;
import dev.triagerules.authoring.TestTable;
import dev.triagerules.base.Problem;
import dev.triagerules.engine.RulePack;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code triage-rules check}: every problem of a rules + policy pack and its test tables, at once. */
@Command(name = "check",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        header = "Checks rules, policy and test tables; prints every problem at once.",
        description = {
            "Compiles every DRL, loads and validates the policy, cross-checks them and runs the rule test"
                + " tables (<rules>/tests/*.yaml), then prints every problem, one a line, as"
                + " file:line:column: error|warning: message, and a summary line.",
            "",
            "Errors: DRL that does not compile; YAML (policy or table) that does not parse or has an"
                + " unknown key; a class a rule can assign with no policy; a severity not in severity_order."
                + " Warnings: a policy class no rule assigns; two classification rules of equal salience"
                + " (load order would decide between them); a rule the test cases show is fully shadowed"
                + " by a higher-precedence rule; a rule no test case exercises.",
        },
        footerHeading = "%n",
        footer = "Exit codes: 0 clean (or warnings only), 1 errors (or warnings with --strict), 2 bad usage.")
final class CheckCommand implements Callable<Integer> {

    @CommandLine.Mixin
    RulesOption rules;

    @CommandLine.Mixin
    PolicyOption policy;

    @Option(names = "--strict", description = "Exit 1 on warnings too.")
    boolean strict;

    @CommandLine.ParentCommand
    TriageRulesCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        Path rulesDir = rules.dir(parent);
        Path policyDir = policy.dir(parent);
        List<Problem> problems = new ArrayList<>();
        RulePack pack = RulePack.load(rulesDir, policyDir, problems);

        int errorsBeforeTables = errors(problems);
        List<Path> tableFiles = TableLoader.tableFiles(rulesDir, problems);
        List<TestTable> tables = TableLoader.load(rulesDir, problems);
        boolean tablesLoaded = errors(problems) == errorsBeforeTables;
        int cases = tables.stream().mapToInt(table -> table.cases().size()).sum();
        if (pack != null && tablesLoaded && !tables.isEmpty()) {
            List<CaseResult> results = TableRunner.run(pack, tables);
            problems.addAll(Coverage.of(pack, results).warnings(Display.dir(TableLoader.testsDir(rulesDir))));
        }

        PrintWriter out = spec.commandLine().getOut();
        for (Problem problem : problems) {
            out.println(Display.problem(problem));
        }
        int errors = errors(problems);
        int warnings = problems.size() - errors;
        String rulesSummary = count(ruleFileCount(rulesDir), "rule file")
                + (pack != null ? ", " + count(pack.rules().assertableClasses().size(), "class") : "");
        String tablesSummary = tableFiles.isEmpty() ? "no test tables"
                : count(tableFiles.size(), "table") + ", " + count(cases, "case");
        out.println(Display.dir(rulesDir) + " (" + rulesSummary + "), " + Display.dir(policyDir) + " ("
                + count(policyFileCount(policyDir), "file") + "), " + Display.dir(TableLoader.testsDir(rulesDir))
                + " (" + tablesSummary + "): " + count(errors, "error") + ", " + count(warnings, "warning"));
        out.flush();
        return errors > 0 || (strict && warnings > 0) ? 1 : 0;
    }

    private static int errors(List<Problem> problems) {
        return (int) problems.stream().filter(Problem::isError).count();
    }

    private static String count(long n, String noun) {
        String plural = noun.endsWith("s") ? noun + "es" : noun + "s";
        return n + " " + (n == 1 ? noun : plural);
    }

    private static long ruleFileCount(Path dir) {
        return countFiles(dir, true, ".drl");
    }

    private static long policyFileCount(Path dir) {
        return countFiles(dir, false, ".yaml", ".yml");
    }

    private static long countFiles(Path dir, boolean recursive, String... suffixes) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = recursive ? Files.walk(dir) : Files.list(dir)) {
            return files.filter(Files::isRegularFile).filter(p -> {
                String name = p.getFileName().toString();
                return Stream.of(suffixes).anyMatch(name::endsWith);
            }).count();
        } catch (IOException e) {
            return 0;
        }
    }
}
