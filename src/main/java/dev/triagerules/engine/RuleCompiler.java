package dev.triagerules.engine;

import dev.triagerules.base.Problem;
import dev.triagerules.policy.StoredPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.drools.compiler.builder.impl.KnowledgeBuilderImpl;
import org.drools.compiler.compiler.DescrBuildError;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.QueryDescr;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsError;
import org.drools.drl.parser.DroolsParserException;
import org.drools.drl.parser.ParserError;
import org.drools.kiesession.rulebase.KnowledgeBaseFactory;
import org.drools.kiesession.rulebase.InternalKnowledgeBase;
import org.kie.api.KieBase;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.api.io.Resource;
import org.kie.api.io.ResourceType;
import org.kie.internal.builder.KnowledgeBuilderFactory;
import org.kie.internal.builder.KnowledgeBuilderResult;
import org.kie.internal.builder.ResultSeverity;
import org.kie.internal.builder.conf.LanguageLevelOption;
import org.kie.internal.io.ResourceFactory;

/** Compiles every {@code *.drl} under a rules folder into one KIE base, locating every problem. */
public final class RuleCompiler {
    private RuleCompiler() {
    }

    /**
     * The rules of {@code cacheKey} from the cache, or compiled (and then cached when a
     * cache is given); null when they do not compile (the problems say why).
     */
    public static CompiledRules compile(List<Path> files, List<Problem> problems, RuleCache cache,
            String cacheKey) {
        if (cache != null) {
            Optional<Collection<KiePackage>> cached = cache.load(cacheKey);
            if (cached.isPresent()) {
                return fromCache(cached.get(), files);
            }
        }
        return compileAndStore(files, problems, cache, cacheKey, null);
    }

    /** The rules of packages the cache kept for these files. */
    static CompiledRules fromCache(Collection<KiePackage> packages, List<Path> files) {
        return new CompiledRules(packages, files, true);
    }

    /**
     * The rules of a cache entry for these files: known by its summary at once, its packages
     * deserialized when the KIE base is built (an entry stored without a summary: now).
     */
    static CompiledRules fromCache(RuleCache.Entry entry, List<Path> files) {
        return entry.summary() == null ? fromCache(entry.packages(), files)
                : new CompiledRules(entry.summary(), entry::packages, entry.sessionPackages(), files, true);
    }

    /**
     * The rules compiled, and then stored in {@code cache} (when given) with the policy
     * loaded with them; null when they do not compile (the problems say why).
     */
    static CompiledRules compileAndStore(List<Path> files, List<Problem> problems, RuleCache cache, String cacheKey,
            StoredPolicy policy) {
        Path dir = files.get(0).getParent();
        KnowledgeBuilderImpl builder = (KnowledgeBuilderImpl) KnowledgeBuilderFactory.newKnowledgeBuilder();
        // Each file is parsed here, once, rather than inside builder.add(): the relation
        // check reads the same descriptors the compiler then builds (as addPackageFromDrl does).
        List<Parsed> parsed = new ArrayList<>();
        for (Path file : files) {
            parsed.add(parse(builder, file));
        }
        List<PerFailureCheck.ParsedFile> parsedCleanly = parsed.stream()
                .filter(Parsed::parsedCleanly)
                .map(p -> new PerFailureCheck.ParsedFile(p.file(), p.descr()))
                .toList();
        List<Problem> refused = new ArrayList<>(PerFailureCheck.check(parsedCleanly));
        refused.addAll(ClassAnnotationCheck.check(parsedCleanly));
        for (Parsed file : parsed) {
            // One resource per file, so every message names its own file.
            file.errors().forEach(builder::addBuilderResult);
            if (file.parsedCleanly()) {
                builder.addPackage(file.descr());
            }
        }
        Map<String, Path> asGiven = byCanonicalPath(files);
        Map<Path, PackageDescr> descrs = new HashMap<>();
        parsed.forEach(file -> descrs.put(file.file(), file.descr()));
        boolean failed = false;
        int firstCompileProblem = problems.size();
        for (KnowledgeBuilderResult result : builder.getResults(ResultSeverity.ERROR, ResultSeverity.WARNING)) {
            for (Problem problem : toProblems(dir, result, asGiven, descrs, builder)) {
                failed |= problem.isError();
                problems.add(problem);
            }
        }
        // Drools lists a file's problems in the order its passes found them (consequences
        // before imports); an author reads them in the file's order, file by file.
        problems.subList(firstCompileProblem, problems.size()).sort(Comparator
                .comparingInt((Problem problem) -> files.indexOf(problem.file())).thenComparing(Problem.IN_FILE_ORDER));
        problems.addAll(refused);
        if (failed || !refused.isEmpty()) {
            return null;
        }
        Collection<KiePackage> packages = builder.getKnowledgePackages();
        RulesSummary summary = RulesSummary.of(packages);
        Map<String, Collection<KiePackage>> sessions = Map.of();
        if (cache != null) {
            sessions = sessionPackages(files, packages);
            cache.store(cacheKey, packages, sessions, summary, policy);
        }
        Map<String, Callable<Collection<KiePackage>>> sessionReaders = new HashMap<>();
        sessions.forEach((kind, sessionPackages) -> sessionReaders.put(kind, () -> sessionPackages));
        CompiledRules rules = new CompiledRules(summary, () -> packages, sessionReaders, files, false);
        rules.buildKieBase(Failure.class);
        return rules;
    }

    /**
     * For each kind of session some rule is over ({@link SessionKinds}) and that cannot fire
     * every rule, the packages of the rules that can fire in it: the files compiled again
     * without the others (a copy of the packages with rules removed keeps most of their
     * compiled data: 77 of 77 kB, against 21 kB compiled anew for classification). A cache
     * miss pays it once (254-entry log: 1.12x wall, 1.17x CPU, 8 pairs); every cached run
     * with failures then reads and builds a KIE base of 7 rules instead of 30 (0.90x CPU on
     * that log, 0.95x on 300,000 entries). Empty when any does not compile alone: every
     * kind then uses the whole pack.
     */
    static Map<String, Collection<KiePackage>> sessionPackages(List<Path> files, Collection<KiePackage> packages) {
        Map<Class<?>, Set<String>> keptByKind = new LinkedHashMap<>();
        for (Class<?> kind : SessionKinds.kindsMatched(packages)) {
            Set<String> kept = new HashSet<>();
            int all = 0;
            for (KiePackage kiePackage : packages) {
                for (Rule rule : kiePackage.getRules()) {
                    all++;
                    if (SessionKinds.canFireIn(rule, kind)) {
                        kept.add(kiePackage.getName() + "\0" + rule.getName());
                    }
                }
            }
            if (kept.size() < all) {
                keptByKind.put(kind, kept);
            }
        }
        // Each kind on a thread of its own: on 2 cores a miss costs 0.16 s more instead of 0.27 s.
        List<Map.Entry<Class<?>, Set<String>>> kinds = List.copyOf(keptByKind.entrySet());
        List<Collection<KiePackage>> compiled = kinds.parallelStream()
                .map(kind -> compileOnly(files, kind.getValue())).toList();
        Map<String, Collection<KiePackage>> sessions = new LinkedHashMap<>();
        for (int i = 0; i < kinds.size(); i++) {
            if (compiled.get(i) == null) {
                return Map.of();
            }
            sessions.put(kinds.get(i).getKey().getName(), compiled.get(i));
        }
        return sessions;
    }

    /**
     * The packages of these files with only the {@code kept} rules (package and name) and
     * every query; null when they do not compile so, or the compiler fails: the whole pack
     * compiled already, so this run goes on with it either way.
     */
    private static Collection<KiePackage> compileOnly(List<Path> files, Set<String> kept) {
        try {
            KnowledgeBuilderImpl builder = (KnowledgeBuilderImpl) KnowledgeBuilderFactory.newKnowledgeBuilder();
            for (Path file : files) {
                Parsed parsed = parse(builder, file);
                if (!parsed.parsedCleanly()) {
                    return null;
                }
                String packageName = parsed.descr().getName();
                parsed.descr().getRules().removeIf(rule -> !(rule instanceof QueryDescr)
                        && !kept.contains(packageName + "\0" + rule.getName()));
                builder.addPackage(parsed.descr());
            }
            return builder.hasErrors() ? null : builder.getKnowledgePackages();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A rule file as the DRL parser left it: its descriptor unless it did not parse. */
    private record Parsed(Path file, PackageDescr descr, List<DroolsError> errors) {
        boolean parsedCleanly() {
            return descr != null && errors.isEmpty();
        }
    }

    private static Parsed parse(KnowledgeBuilderImpl builder, Path file) {
        Resource resource = ResourceFactory.newFileResource(file.toFile());
        resource.setResourceType(ResourceType.DRL);
        DrlParser parser = new DrlParser(builder.getBuilderConfiguration().getOption(LanguageLevelOption.KEY));
        try {
            PackageDescr descr = parser.parse(resource);
            if (descr != null) {
                descr.setResource(resource);
            }
            return new Parsed(file, descr, List.copyOf(parser.getErrors()));
        } catch (DroolsParserException | IOException e) {
            return new Parsed(file, null, List.of(new ParserError(resource, "cannot read: " + e.getMessage(), 0, 0)));
        }
    }

    static KieBase kieBase(Collection<KiePackage> packages) {
        // Not KieBaseMutabilityOption.DISABLED: with it, facts of a type no rule pattern
        // matches (the Incidents the routing rule inserts) are silently not kept.
        InternalKnowledgeBase kieBase = KnowledgeBaseFactory.newKnowledgeBase();
        kieBase.addPackages(packages);
        return kieBase;
    }

    /**
     * Drools names a file resource by its canonical path; messages and {@link RuleInfo}s
     * should name it as the user gave it (e.g. relative), and rule lines are keyed that way.
     */
    private static Map<String, Path> byCanonicalPath(List<Path> files) {
        Map<String, Path> asGiven = new HashMap<>();
        for (Path file : files) {
            asGiven.put(canonicalPath(file), file);
        }
        return asGiven;
    }

    /** The path Drools gives a file resource as its source path. */
    public static String canonicalPath(Path file) {
        try {
            return file.toFile().getCanonicalPath();
        } catch (IOException e) {
            return file.toAbsolutePath().normalize().toString();
        }
    }

    private static Path asGiven(String sourcePath, Map<String, Path> asGiven) {
        return asGiven.getOrDefault(sourcePath, Path.of(sourcePath));
    }

    /** Every {@code *.drl} under a rules folder, sorted; null (with a problem) when there is none. */
    public static List<Path> ruleFiles(Path dir, List<Problem> problems) {
        if (!Files.isDirectory(dir)) {
            problems.add(Problem.error(dir, 0, 0, "rules folder does not exist"));
            return null;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> files = walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".drl"))
                    .sorted()
                    .collect(Collectors.toList());
            if (files.isEmpty()) {
                problems.add(Problem.error(dir, 0, 0, "rules folder has no *.drl files"));
                return null;
            }
            return files;
        } catch (IOException e) {
            problems.add(Problem.error(dir, 0, 0, "cannot list rules folder: " + e.getMessage()));
            return null;
        }
    }

    /**
     * The problems of one compiler result: where Drools says, unless it says the wrong line
     * (an import, a rule's consequence) and {@link CompileErrorPlaces} finds the right one.
     */
    private static List<Problem> toProblems(Path dir, KnowledgeBuilderResult result, Map<String, Path> asGiven,
            Map<Path, PackageDescr> descrs, KnowledgeBuilderImpl builder) {
        Problem problem = toProblem(dir, result, asGiven);
        if (!problem.isError() || !descrs.containsKey(problem.file())) {
            return List.of(problem);
        }
        String text;
        try {
            text = Files.readString(problem.file());
        } catch (IOException | RuntimeException e) {
            return List.of(problem); // it was read a moment ago; without it, Drools' place
        }
        List<CompileErrorPlaces.Place> places = CompileErrorPlaces.locate(result, descrs.get(problem.file()), text,
                builder);
        if (places.isEmpty()) {
            return List.of(problem);
        }
        return places.stream()
                .map(place -> Problem.error(problem.file(), place.line(), place.column(), flat(place.message())))
                .toList();
    }

    private static String flat(String message) {
        return message.strip().replaceAll("\\s*\\n\\s*", " ");
    }

    private static Problem toProblem(Path dir, KnowledgeBuilderResult result, Map<String, Path> asGiven) {
        Path file = result.getResource() == null || result.getResource().getSourcePath() == null ? dir
                : asGiven(result.getResource().getSourcePath(), asGiven);
        int line = 0;
        int column = 0;
        if (result instanceof ParserError parserError) {
            line = parserError.getRow();
            column = parserError.getCol() + 1; // the parser counts columns from 0
        } else if (result instanceof DescrBuildError buildError) {
            line = buildError.getLine();
            column = buildError.getColumn() + 1;
        } else if (result.getLines() != null && result.getLines().length > 0) {
            line = result.getLines()[0];
        }
        String message = result.getMessage().strip().replaceAll("\\s*\\n\\s*", " ");
        return result.getSeverity() == ResultSeverity.ERROR
                ? Problem.error(file, line, column, message)
                : Problem.warning(file, line, column, message);
    }
}
