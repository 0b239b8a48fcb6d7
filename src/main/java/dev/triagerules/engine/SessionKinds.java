package dev.triagerules.engine;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.drools.base.base.ClassObjectType;
import org.drools.base.base.ObjectType;
import org.drools.base.definitions.rule.impl.RuleImpl;
import org.drools.base.rule.EntryPointId;
import org.drools.base.rule.GroupElement;
import org.drools.base.rule.Pattern;
import org.drools.base.rule.RuleConditionElement;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.api.event.rule.DefaultRuleRuntimeEventListener;
import org.kie.api.event.rule.ObjectInsertedEvent;
import org.kie.api.runtime.KieSession;

/**
 * Which kinds of session ({@link SessionFact}) a rule can fire in, read off its conditions:
 * a rule whose positive patterns need a fact of one kind can fire only in sessions of that
 * kind; one that needs no such fact, in every kind. Anything this cannot see through (a
 * {@code from} or {@code accumulate} source, {@code not}, {@code exists}, {@code eval}, ...)
 * counts as possible, so a rule is left out of a kind's KIE base only when a fact it needs
 * cannot be in such a session: the tool inserts none, and {@link #guard} refuses rules that
 * would.
 */
final class SessionKinds {
    private static final ClassValue<Optional<Class<?>>> KIND = new ClassValue<>() {
        @Override
        protected Optional<Class<?>> computeValue(Class<?> type) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                if (c.getDeclaredAnnotation(SessionFact.class) != null) {
                    return Optional.of(c);
                }
            }
            return Optional.empty();
        }
    };

    private SessionKinds() {
    }

    /** The session kind whose facts {@code type} is, if it is one. */
    static Optional<Class<?>> kindOf(Class<?> type) {
        return KIND.get(type);
    }

    /** Every kind of session fact some pattern of these rules is over, at any depth. */
    static Set<Class<?>> kindsMatched(Collection<KiePackage> packages) {
        Set<Class<?>> kinds = new LinkedHashSet<>();
        for (KiePackage kiePackage : packages) {
            for (Rule rule : kiePackage.getRules()) {
                if (rule instanceof RuleImpl impl) {
                    collectKinds(impl.getLhs(), kinds);
                }
            }
        }
        return kinds;
    }

    private static void collectKinds(RuleConditionElement element, Set<Class<?>> kinds) {
        if (element instanceof Pattern pattern) {
            patternKind(pattern).ifPresent(kinds::add);
        }
        element.getNestedElements().forEach(nested -> collectKinds(nested, kinds));
    }

    /**
     * Whether a rule can fire in a session of {@code kind} (with the conditions of the rule
     * it extends, if any). Queries are kept in every kind: they never fire, and a rule that
     * calls one needs it.
     */
    static boolean canFireIn(Rule rule, Class<?> kind) {
        return !(rule instanceof RuleImpl impl) || impl.isQuery()
                || canFireIn(impl.getLhs(), kind) && (impl.getParent() == null || canFireIn(impl.getParent(), kind));
    }

    private static boolean canFireIn(RuleConditionElement element, Class<?> kind) {
        if (element instanceof Pattern pattern) {
            Optional<Class<?>> needs = isFromWorkingMemory(pattern) ? patternKind(pattern) : Optional.empty();
            return needs.isEmpty() || needs.get() == kind;
        }
        if (element instanceof GroupElement group) {
            if (group.isAnd()) {
                return group.getChildren().stream().allMatch(child -> canFireIn(child, kind));
            }
            if (group.isOr()) {
                return group.getChildren().stream().anyMatch(child -> canFireIn(child, kind));
            }
        }
        return true; // not, exists, forall, eval, ...: may hold without any fact
    }

    /** A pattern over the session's facts, not over a from, accumulate or collect source. */
    private static boolean isFromWorkingMemory(Pattern pattern) {
        return pattern.getSource() == null || pattern.getSource() instanceof EntryPointId;
    }

    private static Optional<Class<?>> patternKind(Pattern pattern) {
        ObjectType type = pattern.getObjectType();
        return type instanceof ClassObjectType classType && classType.getClassType() != null
                ? kindOf(classType.getClassType()) : Optional.empty();
    }

    /**
     * Makes {@code session}, a session of {@code kind}, refuse facts of another kind: its KIE
     * base may lack the rules over them, and the tool never puts them there itself.
     */
    static KieSession guard(KieSession session, Class<?> kind) {
        session.addEventListener(new DefaultRuleRuntimeEventListener() {
            @Override
            public void objectInserted(ObjectInsertedEvent event) {
                Optional<Class<?>> inserted = kindOf(event.getObject().getClass());
                if (inserted.isPresent() && inserted.get() != kind) {
                    throw new IllegalStateException((event.getRule() == null ? "a fact"
                            : "rule \"" + event.getRule().getName() + "\" inserted a fact") + " of type "
                            + inserted.get().getSimpleName() + " into a session of " + kind.getSimpleName()
                            + " facts; " + inserted.get().getSimpleName() + " facts come from the tool only,"
                            + " into sessions of their own");
                }
            }
        });
        return session;
    }
}
