package dev.triagerules.engine;

import dev.triagerules.base.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.FutureTask;
import org.drools.base.base.ClassObjectType;
import org.drools.base.definitions.rule.impl.RuleImpl;
import org.drools.base.rule.Pattern;
import org.drools.base.rule.RuleConditionElement;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsParserException;
import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;

/**
 * A compiled rules folder: the KIE base sessions are made from, the files it came from,
 * and its rules in precedence order (highest salience first).
 */
public final class CompiledRules {
    private final FutureTask<KieBase> kieBase;
    private final List<Path> files;
    private final boolean fromCache;
    private final Set<String> assertableClasses;
    private final boolean sharedClassificationSalience;
    private final Set<String> matchedFactTypes;
    private List<RuleInfo> rules;

    /**
     * The rules of {@code packages}; their KIE base is built by {@link #buildKieBase()},
     * or by the first {@link #kieBase()}, on whichever thread comes first. What the pack's
     * cross-check reads is taken from the packages now, so that it need not wait for it.
     */
    CompiledRules(Collection<KiePackage> packages, List<Path> files, boolean fromCache) {
        this.files = List.copyOf(files);
        this.fromCache = fromCache;
        this.assertableClasses = assertableClasses(packages);
        this.sharedClassificationSalience = sharedClassificationSalience(packages);
        this.matchedFactTypes = matchedFactTypes(packages);
        this.kieBase = new FutureTask<>(() -> RuleCompiler.kieBase(packages));
    }

    /** Builds the KIE base here, unless another thread is building it or has built it. */
    void buildKieBase() {
        kieBase.run();
    }

    /** The KIE base, built here if no other thread has started it; waits for one that has. */
    public KieBase kieBase() {
        kieBase.run(); // does nothing once started
        return Await.result(kieBase, "the KIE base"); // as if it had been built here
    }

    public List<Path> files() {
        return files;
    }

    /** Whether the packages came from the compiled-rules cache rather than the DRL compiler. */
    public boolean fromCache() {
        return fromCache;
    }

    /** Every class some rule can assign. */
    public Set<String> assertableClasses() {
        return assertableClasses;
    }

    /** Whether two rules assigning different classes share a salience (cheap: no DRL parse). */
    public boolean hasSharedClassificationSalience() {
        return sharedClassificationSalience;
    }

    /**
     * Whether some rule has a pattern over facts of {@code type} (at any depth of its
     * conditions). Read from the packages, so it need not wait for the KIE base.
     */
    public boolean matchesFactType(Class<?> type) {
        return matchedFactTypes.contains(type.getName());
    }

    private static Set<String> matchedFactTypes(Collection<KiePackage> packages) {
        Set<String> types = new java.util.HashSet<>();
        java.util.Deque<RuleConditionElement> pending = new java.util.ArrayDeque<>();
        for (KiePackage kiePackage : packages) {
            for (Rule rule : kiePackage.getRules()) {
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
        return Collections.unmodifiableSet(types);
    }

    private static Set<String> assertableClasses(Collection<KiePackage> packages) {
        Set<String> classes = new TreeSet<>();
        for (KiePackage kiePackage : packages) {
            for (Rule rule : kiePackage.getRules()) {
                Object crashClass = rule.getMetaData().get(Failure.CLASS_METADATA);
                if (crashClass != null) {
                    classes.add(crashClass.toString());
                }
            }
        }
        return Collections.unmodifiableSet(classes);
    }

    private static boolean sharedClassificationSalience(Collection<KiePackage> packages) {
        java.util.Map<Integer, String> classBySalience = new java.util.HashMap<>();
        for (KiePackage kiePackage : packages) {
            for (Rule rule : kiePackage.getRules()) {
                Object crashClass = rule.getMetaData().get(Failure.CLASS_METADATA);
                if (crashClass != null) {
                    String earlier = classBySalience.putIfAbsent(((RuleImpl) rule).getSalienceValue(),
                            crashClass.toString());
                    if (earlier != null && !earlier.equals(crashClass.toString())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /**
     * Every rule with its file and line, highest salience first. Lines come from parsing
     * the DRL again (the compiled rules do not keep them), so this is done on first use
     * only: triage needs it only to report a problem.
     */
    public synchronized List<RuleInfo> rules() {
        if (rules == null) {
            rules = describe();
        }
        return rules;
    }

    private List<RuleInfo> describe() {
        Map<String, Integer> lines = ruleLines();
        List<RuleInfo> described = new ArrayList<>();
        for (KiePackage kiePackage : kieBase().getKiePackages()) {
            for (Rule rule : kiePackage.getRules()) {
                RuleImpl impl = (RuleImpl) rule;
                Object crashClass = rule.getMetaData().get(Failure.CLASS_METADATA);
                Path file = fileOf(impl);
                described.add(new RuleInfo(rule.getName(), crashClass == null ? null : crashClass.toString(),
                        impl.getSalienceValue(), file, lines.getOrDefault(file + "\0" + rule.getName(), 0)));
            }
        }
        described.sort(Comparator.comparingInt(RuleInfo::salience).reversed()
                .thenComparing(r -> String.valueOf(r.file())).thenComparingInt(RuleInfo::line));
        return List.copyOf(described);
    }

    /** The rule's file among ours (a cached package may name it as another run spelled it). */
    private Path fileOf(RuleImpl rule) {
        if (rule.getResource() == null || rule.getResource().getSourcePath() == null) {
            return null;
        }
        String source = rule.getResource().getSourcePath();
        for (Path file : files) {
            if (RuleCompiler.canonicalPath(file).equals(source) || file.toString().equals(source)) {
                return file;
            }
        }
        return Path.of(source);
    }

    private Map<String, Integer> ruleLines() {
        Map<String, Integer> lines = new HashMap<>();
        for (Path file : files) {
            try {
                PackageDescr descr = new DrlParser().parse(null, Files.readString(file));
                if (descr != null) {
                    for (RuleDescr rule : descr.getRules()) {
                        lines.put(file + "\0" + rule.getName(), rule.getLine());
                    }
                }
            } catch (IOException | DroolsParserException e) {
                // It compiled already; without lines, messages name only the file.
            }
        }
        return lines;
    }
}
