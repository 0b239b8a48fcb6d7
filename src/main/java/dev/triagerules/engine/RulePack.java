package dev.triagerules.engine;

import dev.triagerules.Problem;
import dev.triagerules.UserError;
import dev.triagerules.policy.Policy;
import dev.triagerules.policy.PolicyLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Rules and policy that passed validation together: every class a rule can assign has a
 * policy entry whose severity is in the severity order. Sessions made from it classify
 * failures into incidents.
 */
public final class RulePack {
    private final Path rulesDir;
    private final Path policyDir;
    private final CompiledRules rules;
    private final Policy policy;

    private RulePack(Path rulesDir, Path policyDir, CompiledRules rules, Policy policy) {
        this.rulesDir = rulesDir;
        this.policyDir = policyDir;
        this.rules = rules;
        this.policy = policy;
    }

    /** Loads and cross-checks a pack; any error stops with every problem found. */
    public static RulePack load(Path rulesDir, Path policyDir) {
        List<Problem> problems = new ArrayList<>();
        RulePack pack = load(rulesDir, policyDir, problems);
        if (pack == null) {
            throw new UserError(problems.stream().filter(Problem::isError).toList());
        }
        return pack;
    }

    /** Loads a pack, adding every error and warning to {@code problems}; null when there are errors. */
    public static RulePack load(Path rulesDir, Path policyDir, List<Problem> problems) {
        Policy policy = PolicyLoader.load(policyDir, problems);
        CompiledRules rules = RuleCompiler.compile(rulesDir, problems);
        if (policy == null || rules == null) {
            return null;
        }
        boolean consistent = crossCheck(rules, policy, problems);
        return consistent ? new RulePack(rulesDir, policyDir, rules, policy) : null;
    }

    private static boolean crossCheck(CompiledRules rules, Policy policy, List<Problem> problems) {
        boolean consistent = true;
        for (RuleInfo rule : rules.rules()) {
            if (rule.classifies() && !policy.classes().containsKey(rule.crashClass())) {
                problems.add(Problem.error(rule.file(), rule.line(), 0, "rule \"" + rule.name()
                        + "\" assigns class \"" + rule.crashClass() + "\", which has no entry in the policy ("
                        + describe(policy.files()) + "); add it under classes:"));
                consistent = false;
            }
        }
        Set<String> assertable = rules.assertableClasses();
        policy.classes().keySet().stream().filter(name -> !assertable.contains(name)).forEach(name ->
                problems.add(policy.classSources().get(name).warning("policy class \"" + name
                        + "\" is assigned by no rule in " + describe(rules.files()))));
        return consistent;
    }

    private static String describe(List<Path> files) {
        return files.size() == 1 ? files.get(0).toString()
                : String.join(", ", files.stream().map(Path::toString).toList());
    }

    public Path rulesDir() {
        return rulesDir;
    }

    public Path policyDir() {
        return policyDir;
    }

    public CompiledRules rules() {
        return rules;
    }

    public Policy policy() {
        return policy;
    }
}
