package dev.triagerules.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.kie.api.KieBase;

/**
 * A compiled rules folder: the KIE base sessions are made from, the files it came from,
 * and its rules in precedence order (highest salience first).
 */
public record CompiledRules(KieBase kieBase, List<Path> files, List<RuleInfo> rules) {

    /** Every class some rule can assign. */
    public Set<String> assertableClasses() {
        Set<String> classes = new TreeSet<>();
        for (RuleInfo rule : rules) {
            if (rule.classifies()) {
                classes.add(rule.crashClass());
            }
        }
        return classes;
    }
}
