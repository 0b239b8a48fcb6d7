package dev.triagerules.engine;

import dev.triagerules.base.Await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import org.drools.base.definitions.rule.impl.RuleImpl;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsParserException;
import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.api.runtime.KieSession;

/**
 * A compiled rules folder: the KIE bases sessions are made from, the files it came from,
 * and its rules in precedence order (highest salience first).
 *
 * <p>Each kind of session ({@link SessionFact}) is made from a KIE base of the rules that
 * can fire in it, when the cache entry keeps one: a classification session needs 7 of the
 * bundled pack's 30 rules, and deserializing and building the other 23 was on every run's
 * critical path. Other kinds, and rules compiled without a cache, use the whole pack.
 */
public final class CompiledRules {
    private final FutureTask<KieBase> kieBase;
    private final Map<String, FutureTask<KieBase>> sessionBases;
    private final List<Path> files;
    private final boolean fromCache;
    private final RulesSummary summary;
    private List<RuleInfo> rules;

    /**
     * The rules of {@code packages}; their KIE base is built by {@link #buildKieBase(Class)},
     * or by the first {@link #kieBase()}, on whichever thread comes first. What the pack's
     * cross-check reads is taken from the packages now, so that it need not wait for it.
     */
    CompiledRules(Collection<KiePackage> packages, List<Path> files, boolean fromCache) {
        this(RulesSummary.of(packages), () -> packages, Map.of(), files, fromCache);
    }

    /**
     * Rules known by their summary, whose packages {@code packages} gives when the KIE base
     * is built (a cached entry deserializes them then); {@code sessions} gives, by the class
     * name of a session kind, the packages of the rules that can fire in it, where they are
     * fewer than all.
     */
    CompiledRules(RulesSummary summary, Callable<Collection<KiePackage>> packages,
            Map<String, Callable<Collection<KiePackage>>> sessions, List<Path> files, boolean fromCache) {
        this.files = List.copyOf(files);
        this.fromCache = fromCache;
        this.summary = summary;
        this.kieBase = new FutureTask<>(() -> RuleCompiler.kieBase(packages.call()));
        Map<String, FutureTask<KieBase>> bases = new HashMap<>();
        sessions.forEach((kind, section) ->
                bases.put(kind, new FutureTask<>(() -> RuleCompiler.kieBase(section.call()))));
        this.sessionBases = Map.copyOf(bases);
    }

    /** Builds the KIE base of sessions of {@code kind} here, unless another thread is building it or has. */
    void buildKieBase(Class<?> kind) {
        base(kind).run();
    }

    /** The KIE base of the whole pack, built here if no other thread has started it; waits for one that has. */
    public KieBase kieBase() {
        return built(kieBase);
    }

    /** The KIE base of sessions of {@code kind}: the rules that can fire in one (maybe all of them). */
    public KieBase kieBase(Class<?> kind) {
        return built(base(kind));
    }

    /**
     * A new session of {@code kind}, which refuses facts of other kinds (its KIE base may
     * lack the rules over them). The caller disposes of it.
     */
    public KieSession newSession(Class<?> kind) {
        return SessionKinds.guard(kieBase(kind).newKieSession(), kind);
    }

    private FutureTask<KieBase> base(Class<?> kind) {
        return sessionBases.getOrDefault(kind.getName(), kieBase);
    }

    private static KieBase built(FutureTask<KieBase> base) {
        base.run(); // does nothing once started
        return Await.result(base, "the KIE base"); // as if it had been built here
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
        return summary.assertableClasses();
    }

    /** Whether two rules assigning different classes share a salience (cheap: no DRL parse). */
    public boolean hasSharedClassificationSalience() {
        return summary.sharedClassificationSalience();
    }

    /**
     * Whether some rule has a pattern over facts of {@code type} (at any depth of its
     * conditions). Known before the KIE base is built, or the packages even read.
     */
    public boolean matchesFactType(Class<?> type) {
        return summary.matchedFactTypes().contains(type.getName());
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
