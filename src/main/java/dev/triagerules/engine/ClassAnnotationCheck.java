package dev.triagerules.engine;

import dev.triagerules.base.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.drools.drl.ast.descr.RuleDescr;

/**
 * Refuses a rule that classifies a failure without naming the class it assigns: {@code
 * classify(drools)} takes the class from the rule's {@code @class("...")}, so without one
 * the rule compiles and then fails every run it fires in. Found where it is written (its
 * consequence calls {@code classify(}), so that {@code check} reports it, and a run stops
 * before reading input; {@link Failure#classify} still refuses it at run time.
 */
final class ClassAnnotationCheck {
    private static final Pattern CALLS_CLASSIFY = Pattern.compile("\\bclassify\\s*\\(");

    private ClassAnnotationCheck() {
    }

    /** An error at every rule of {@code files} whose consequence calls classify( and that has no @class. */
    static List<Problem> check(List<PerFailureCheck.ParsedFile> files) {
        List<Problem> problems = new ArrayList<>();
        for (PerFailureCheck.ParsedFile parsed : files) {
            for (RuleDescr rule : parsed.descr().getRules()) {
                Object consequence = rule.getConsequence();
                if (rule.isQuery() || consequence == null || rule.getAnnotation(Failure.CLASS_METADATA) != null
                        || !CALLS_CLASSIFY.matcher(consequence.toString()).find()) {
                    continue;
                }
                // Descriptor columns count from 0, ours from 1.
                problems.add(Problem.error(parsed.file(), rule.getLine(), rule.getColumn() + 1, "rule \""
                        + rule.getName() + "\" calls classify(drools) but has no @" + Failure.CLASS_METADATA
                        + "(\"...\") annotation: a classification rule names the class it assigns, e.g. @"
                        + Failure.CLASS_METADATA + "(\"autograd_state\")"));
            }
        }
        return List.copyOf(problems);
    }
}
