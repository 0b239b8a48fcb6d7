package dev.triagerules.engine;

import dev.triagerules.base.Problem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.drools.drl.ast.descr.AccumulateDescr;
import org.drools.drl.ast.descr.AndDescr;
import org.drools.drl.ast.descr.BaseDescr;
import org.drools.drl.ast.descr.CollectDescr;
import org.drools.drl.ast.descr.ConditionalElementDescr;
import org.drools.drl.ast.descr.ExistsDescr;
import org.drools.drl.ast.descr.ForallDescr;
import org.drools.drl.ast.descr.FromDescr;
import org.drools.drl.ast.descr.GroupByDescr;
import org.drools.drl.ast.descr.ImportDescr;
import org.drools.drl.ast.descr.NotDescr;
import org.drools.drl.ast.descr.OrDescr;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.PatternDescr;
import org.drools.drl.ast.descr.PatternSourceDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.ast.descr.WindowReferenceDescr;

/**
 * Refuses rules that relate failures to each other. The {@link Classifier} puts failures
 * into sessions of {@value Classifier#DEFAULT_BATCH} and classifies each distinct failure
 * only once, so a rule that joins two failures, or looks at failures through {@code not},
 * {@code exists}, {@code forall}, {@code accumulate}, {@code collect} or a window, would
 * see an arbitrary part of them and silently answer wrongly (a count-based rule counted 9
 * where one session of all failures counts 60). A {@link Failure} joined with facts of
 * other types (a policy) is fine, and so is {@code eval}.
 *
 * <p>It reads the parsed rule descriptors, resolving each pattern's type as Drools does
 * (imports, the package, {@code java.lang}); a pattern of a supertype of {@link Failure}
 * ({@code Object}) matches failures too, so it counts as one. An {@link Incident} is a
 * failure's fact too (the routing rule inserts one per classified failure): a rule joining
 * a Failure with an Incident, or looking at Incidents through {@code not} and the rest,
 * relates failures just the same.
 */
final class PerFailureCheck {
    private static final String WHY = "rules must judge each failure on its own: failures are classified in"
            + " sessions of " + Classifier.DEFAULT_BATCH + " and each distinct failure only once, so a rule that"
            + " relates failures to each other sees an arbitrary part of them and silently answers wrongly";

    /** One parsed rule file. */
    record ParsedFile(Path file, PackageDescr descr) {
    }

    private static final String FAILURE = "Failure";
    private static final String INCIDENT = "Incident";

    private final ClassLoader loader;
    private final Map<String, Boolean> matchesFailureByClassName = new HashMap<>();
    private final List<Problem> problems = new ArrayList<>();
    private Path file;
    private RuleDescr rule;
    private TypeNames names;

    private PerFailureCheck(ClassLoader loader) {
        this.loader = loader;
    }

    /** An error for every rule or query of {@code files} that relates failures, located at the pattern. */
    static List<Problem> check(List<ParsedFile> files) {
        PerFailureCheck check = new PerFailureCheck(Failure.class.getClassLoader());
        // Drools shares imports and rules between all files of one package: so do we.
        Map<String, Set<String>> importsByPackage = new HashMap<>();
        Map<String, Map<String, RuleDescr>> rulesByPackage = new HashMap<>();
        for (ParsedFile parsed : files) {
            String name = parsed.descr().getName();
            Set<String> imports = importsByPackage.computeIfAbsent(name, n -> new LinkedHashSet<>());
            parsed.descr().getImports().stream().map(ImportDescr::getTarget).forEach(imports::add);
            Map<String, RuleDescr> rules = rulesByPackage.computeIfAbsent(name, n -> new HashMap<>());
            parsed.descr().getRules().forEach(rule -> rules.putIfAbsent(rule.getName(), rule));
        }
        for (ParsedFile parsed : files) {
            String name = parsed.descr().getName();
            check.file = parsed.file();
            check.names = new TypeNames(name, importsByPackage.get(name));
            for (RuleDescr rule : parsed.descr().getRules()) {
                check.rule = rule;
                check.checkRule(rule, rulesByPackage.get(name));
            }
        }
        return List.copyOf(check.problems);
    }

    private void checkRule(RuleDescr rule, Map<String, RuleDescr> rulesOfPackage) {
        if (rule.getLhs() == null) {
            return;
        }
        if (rule.isQuery()) {
            // A query sees the whole session; the tool runs none, and a rule calling one relates failures.
            for (PatternDescr pattern : failurePatternsWithin(rule.getLhs())) {
                refuse(pattern, "query \"" + rule.getName() + "\" matches " + factKind(pattern));
            }
            return;
        }
        List<PatternDescr> joined = new ArrayList<>(inheritedFailurePatterns(rule, rulesOfPackage));
        joined.addAll(joinedFailurePatterns(rule.getLhs(), true));
        if (joined.size() > 1) {
            PatternDescr first = joined.get(0);
            for (PatternDescr other : joined.subList(1, joined.size())) {
                String second = FAILURE.equals(factKind(other)) ? "a second Failure"
                        : "a second failure's fact, an Incident";
                refuse(other, "rule \"" + rule.getName() + "\" matches " + second + " (the first at line "
                        + first.getLine() + ")");
            }
        }
    }

    /** The Failure patterns a parent rule ({@code extends}) adds to this one's conditions. */
    private List<PatternDescr> inheritedFailurePatterns(RuleDescr rule, Map<String, RuleDescr> rulesOfPackage) {
        List<PatternDescr> inherited = new ArrayList<>();
        Set<String> seen = new HashSet<>(Set.of(rule.getName()));
        RuleDescr parent = rule.hasParent() ? rulesOfPackage.get(rule.getParentName()) : null;
        while (parent != null && seen.add(parent.getName()) && parent.getLhs() != null) {
            inherited.addAll(0, joinedFailurePatterns(parent.getLhs(), false));
            parent = parent.hasParent() ? rulesOfPackage.get(parent.getParentName()) : null;
        }
        return inherited;
    }

    /**
     * The Failure patterns that one match of these conditions binds together (for an
     * {@code or}, its branch with the most). With {@code report}, Failures inside
     * constructs that look at many facts are refused on the way.
     */
    private List<PatternDescr> joinedFailurePatterns(BaseDescr descr, boolean report) {
        if (descr instanceof OrDescr or) {
            List<PatternDescr> most = List.of();
            for (BaseDescr branch : or.getDescrs()) {
                List<PatternDescr> joined = joinedFailurePatterns(branch, report);
                most = joined.size() > most.size() ? joined : most;
            }
            return most;
        }
        Optional<String> overMany = overManyFacts(descr);
        if (overMany.isPresent()) {
            if (report) {
                refuseWithin(descr, overMany.get());
            }
            return List.of();
        }
        if (descr instanceof PatternDescr pattern) {
            PatternSourceDescr source = pattern.getSource();
            if (source instanceof AccumulateDescr accumulate) {
                if (report && accumulate.getInput() != null) {
                    refuseWithin(accumulate.getInput(), accumulate instanceof GroupByDescr ? "groupby" : "accumulate");
                }
                return List.of();
            }
            if (source instanceof CollectDescr collect) {
                if (report && collect.getInputPattern() != null) {
                    refuseWithin(collect.getInputPattern(), "collect");
                }
                return List.of();
            }
            if (!matchesSessionFailures(pattern)) {
                return List.of();
            }
            if (source instanceof WindowReferenceDescr || !pattern.getBehaviors().isEmpty()) {
                if (report) {
                    refuse(pattern, "rule \"" + rule.getName() + "\" matches " + factKind(pattern) + " over a window");
                }
                return List.of();
            }
            return List.of(pattern);
        }
        if (descr instanceof ConditionalElementDescr element) { // and, or anything else that combines conditions
            List<PatternDescr> joined = new ArrayList<>();
            for (BaseDescr child : element.getDescrs()) {
                joined.addAll(joinedFailurePatterns(child, report));
            }
            return joined;
        }
        return List.of(); // eval, named consequences, conditional branches
    }

    private static Optional<String> overManyFacts(BaseDescr descr) {
        if (descr instanceof NotDescr) {
            return Optional.of("not");
        }
        if (descr instanceof ExistsDescr) {
            return Optional.of("exists");
        }
        if (descr instanceof ForallDescr) {
            return Optional.of("forall");
        }
        return Optional.empty();
    }

    private void refuseWithin(BaseDescr descr, String construct) {
        for (PatternDescr pattern : failurePatternsWithin(descr)) {
            refuse(pattern, "rule \"" + rule.getName() + "\" matches " + factKind(pattern) + " inside " + construct);
        }
    }

    /** Every pattern over the session's failures anywhere within {@code descr}, sources included. */
    private List<PatternDescr> failurePatternsWithin(BaseDescr descr) {
        List<PatternDescr> found = new ArrayList<>();
        collectFailurePatterns(descr, found);
        return found;
    }

    private void collectFailurePatterns(BaseDescr descr, List<PatternDescr> found) {
        if (descr instanceof PatternDescr pattern) {
            PatternSourceDescr source = pattern.getSource();
            if (source instanceof AccumulateDescr accumulate && accumulate.getInput() != null) {
                collectFailurePatterns(accumulate.getInput(), found);
            } else if (source instanceof CollectDescr collect && collect.getInputPattern() != null) {
                collectFailurePatterns(collect.getInputPattern(), found);
            } else if (matchesSessionFailures(pattern)) {
                found.add(pattern);
            }
        } else if (descr instanceof ConditionalElementDescr element && !(descr instanceof FromDescr)) {
            for (BaseDescr child : element.getDescrs()) {
                collectFailurePatterns(child, found);
            }
        }
    }

    /**
     * Whether the pattern matches facts of the session's failures (not an expression's
     * values, not a query): a {@link Failure}, or an {@link Incident}, which the routing
     * rule inserts for each classified failure, so that matching one is matching a failure.
     */
    private boolean matchesSessionFailures(PatternDescr pattern) {
        return factKind(pattern) != null;
    }

    /** {@value #FAILURE} or {@value #INCIDENT} when the pattern matches such facts of the session; else null. */
    private String factKind(PatternDescr pattern) {
        if (pattern.isQuery() || pattern.getSource() instanceof FromDescr || pattern.getObjectType() == null) {
            return null;
        }
        // A type declared in DRL is neither: Failure and Incident are final.
        Optional<Class<?>> type = names.candidates(pattern.getObjectType()).stream()
                .map(this::load)
                .flatMap(Optional::stream)
                .findFirst();
        if (type.isEmpty()) {
            return null;
        }
        return type.get().isAssignableFrom(Failure.class) ? FAILURE
                : type.get().isAssignableFrom(Incident.class) ? INCIDENT : null;
    }

    private Optional<Class<?>> load(String className) {
        try {
            return Optional.of(Class.forName(className, false, loader));
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
    }

    private void refuse(PatternDescr pattern, String what) {
        // Descriptor columns count from 0, ours from 1.
        problems.add(Problem.error(file, pattern.getLine(), pattern.getColumn() + 1, what + ": " + WHY));
    }

    /** The class names a type name in a DRL package may stand for, in the order Drools tries them. */
    record TypeNames(String packageName, Set<String> imports) {
        List<String> candidates(String written) {
            String name = written.contains("<") ? written.substring(0, written.indexOf('<')).strip() : written.strip();
            List<String> candidates = new ArrayList<>();
            String head = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
            String tail = name.substring(head.length()).replace('.', '$'); // a nested class: Outer.Inner
            if (name.contains(".")) {
                candidates.add(name);
                candidates.addAll(nestedForms(name));
            }
            for (String target : imports) {
                if (target.equals(head) || target.endsWith("." + head)) {
                    candidates.add(target + tail);
                }
            }
            candidates.add(packageName + "." + head + tail);
            for (String target : imports) {
                if (target.endsWith(".*")) {
                    candidates.add(target.substring(0, target.length() - 1) + head + tail);
                }
            }
            candidates.add("java.lang." + head + tail);
            return candidates;
        }

        /** {@code a.b.Outer.Inner} may be the nested class {@code a.b.Outer$Inner}. */
        private static List<String> nestedForms(String name) {
            List<String> forms = new ArrayList<>();
            StringBuilder form = new StringBuilder(name);
            for (int dot = form.lastIndexOf("."); dot > 0; dot = form.lastIndexOf(".", dot - 1)) {
                form.setCharAt(dot, '$');
                forms.add(form.toString());
            }
            return forms;
        }
    }
}
