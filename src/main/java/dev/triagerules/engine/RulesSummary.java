package dev.triagerules.engine;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.drools.base.base.ClassObjectType;
import org.drools.base.definitions.rule.impl.RuleImpl;
import org.drools.base.rule.Pattern;
import org.drools.base.rule.RuleConditionElement;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;

/**
 * What a run needs to know of compiled rules before it has a failure to classify: the
 * cross-check with the policy and the checks of the lifecycle and verdict rules. Kept in
 * a cache entry beside the packages, so that a cached run reads it without deserializing
 * the packages (150 ms), which only the KIE base needs, and a log with no failure never.
 *
 * @param assertableClasses            every class some rule can assign
 * @param sharedClassificationSalience whether two rules assigning different classes share a salience
 * @param matchedFactTypes             the class names of every fact type some rule pattern matches
 */
record RulesSummary(Set<String> assertableClasses, boolean sharedClassificationSalience, Set<String> matchedFactTypes)
        implements Serializable {

    RulesSummary {
        assertableClasses = Collections.unmodifiableSet(new TreeSet<>(assertableClasses));
        matchedFactTypes = Collections.unmodifiableSet(new TreeSet<>(matchedFactTypes));
    }

    static RulesSummary of(Collection<KiePackage> packages) {
        Set<String> classes = new TreeSet<>();
        Map<Integer, String> classBySalience = new HashMap<>();
        boolean shared = false;
        Set<String> types = new TreeSet<>();
        Deque<RuleConditionElement> pending = new ArrayDeque<>();
        for (KiePackage kiePackage : packages) {
            for (Rule rule : kiePackage.getRules()) {
                Object crashClass = rule.getMetaData().get(Failure.CLASS_METADATA);
                if (crashClass != null) {
                    classes.add(crashClass.toString());
                    String earlier = classBySalience.putIfAbsent(((RuleImpl) rule).getSalienceValue(),
                            crashClass.toString());
                    shared |= earlier != null && !earlier.equals(crashClass.toString());
                }
                if (rule instanceof RuleImpl impl) {
                    pending.push(impl.getLhs());
                }
            }
        }
        while (!pending.isEmpty()) {
            RuleConditionElement element = pending.pop();
            if (element instanceof Pattern pattern && pattern.getObjectType() instanceof ClassObjectType objectType) {
                types.add(objectType.getClassName());
            }
            element.getNestedElements().forEach(pending::push);
        }
        return new RulesSummary(classes, shared, types);
    }
}
