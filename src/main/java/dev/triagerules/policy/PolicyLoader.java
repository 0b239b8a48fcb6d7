package dev.triagerules.policy;

import static dev.triagerules.base.YamlLocations.at;
import static dev.triagerules.base.YamlLocations.error;

import dev.triagerules.input.junit.JunitPolicy;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.triagerules.base.EntryProblem;
import dev.triagerules.base.Problem;
import dev.triagerules.base.SourceLocation;
import dev.triagerules.base.YamlFile;
import dev.triagerules.base.YamlLocations;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads every {@code *.yaml} / {@code *.yml} file of a policy folder and merges them.
 * Each top-level key ({@code severity_order}, {@code escalation}, {@code classes}) may be
 * split across files, but nothing may be defined twice; the optional {@code replay} key
 * lives whole in one file. Every problem found is reported,
 * located at file:line:column.
 */
public final class PolicyLoader {
    private static final Pattern CLASS_NAME = Pattern.compile("[a-z][a-z0-9_]*");
    /** Made on first use: a run whose policy comes from the compiled-rules cache never loads Jackson's YAML. */
    private static final class Yaml {
        static final ObjectMapper MAPPER = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /** One policy file as written. Every key is optional so policy can be split across files. */
    record PolicyFile(
            @JsonProperty("severity_order") List<String> severityOrder,
            @JsonProperty("escalation") Map<String, Escalation> escalation,
            @JsonProperty("classes") Map<String, ClassEntry> classes,
            @JsonProperty("replay") ReplayEntry replay,
            @JsonProperty("tickets") TicketsPolicy tickets,
            @JsonProperty("flake") FlakePolicy flake,
            @JsonProperty("junit") JunitPolicy junit,
            @JsonProperty("masks") List<Mask> masks,
            @JsonProperty("annotations") AnnotationsPolicy annotations,
            @JsonProperty("lifecycle") LifecyclePolicy lifecycle) {
    }

    /**
     * {@code replay: {default_timeout: 10m, class_timeouts: {oracle_infra: 30m}, attempts: 3,
     * allow: [regex, ...], env: [PATH, LC_*, ...]}}.
     */
    record ReplayEntry(
            @JsonProperty("default_timeout") String defaultTimeout,
            @JsonProperty("class_timeouts") Map<String, String> classTimeouts,
            @JsonProperty("attempts") Integer attempts,
            @JsonProperty("allow") List<String> allow,
            @JsonProperty("env") List<String> env) {
    }

    /** An environment variable name, or a prefix ending in '*'. */
    private static final Pattern ENV_RULE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*\\*?");

    record ClassEntry(
            @JsonProperty("severity") String severity,
            @JsonProperty("owner_hint") String ownerHint) {
    }

    private PolicyLoader() {
    }

    /** Loads the policy, adding every problem to {@code problems}; null when it could not be built. */
    public static Policy load(Path dir, List<Problem> problems) {
        return load(dir, problems, (file, content) -> { });
    }

    /**
     * Loads the policy as {@link #load(Path, List)}, handing each file's bytes to
     * {@code parsed} as they are read: each file is read once, so a digest of those bytes
     * describes exactly what was parsed (the compiled-rules cache keeps the policy under it).
     */
    public static Policy load(Path dir, List<Problem> problems, BiConsumer<Path, byte[]> parsed) {
        List<Path> files = policyFiles(dir, problems);
        if (files == null) {
            return null;
        }
        int errorsBefore = errorCount(problems);
        List<String> severityOrder = null;
        SourceLocation severityOrderAt = null;
        Map<String, Escalation> escalation = new LinkedHashMap<>();
        Map<String, SourceLocation> escalationAt = new HashMap<>();
        Map<String, ClassEntry> classes = new TreeMap<>();
        Map<String, SourceLocation> classAt = new TreeMap<>();
        ReplayEntry replay = null;
        Path replayFile = null;
        SourceLocation replayAt = null;
        TicketsPolicy tickets = TicketsPolicy.DEFAULT;
        SourceLocation ticketsAt = null;
        FlakePolicy flake = FlakePolicy.DEFAULT;
        SourceLocation flakeAt = null;
        JunitPolicy junit = JunitPolicy.DEFAULT;
        SourceLocation junitAt = null;
        ReasonMasks masks = ReasonMasks.NONE;
        SourceLocation masksAt = null;
        AnnotationsPolicy annotations = AnnotationsPolicy.DEFAULT;
        SourceLocation annotationsAt = null;
        LifecyclePolicy lifecycle = LifecyclePolicy.DEFAULT;
        SourceLocation lifecycleAt = null;
        Path annotationsFile = null;
        boolean unreadable = false;
        Map<Path, YamlLocations> locations = new HashMap<>();
        for (Path file : files) {
            byte[] content = read(file, problems);
            if (content == null) {
                unreadable = true;
                continue;
            }
            parsed.accept(file, content);
            int errorsBeforeFile = errorCount(problems);
            int firstProblem = problems.size();
            YamlFile yaml = YamlFile.read(Yaml.MAPPER, file, content, problems);
            PolicyFile parsedFile = yaml == null ? null : parse(file, yaml, problems);
            if (errorCount(problems) > errorsBeforeFile) {
                unreadable = true; // a key left out may be one the checks after this loop need
            }
            if (parsedFile == null) {
                continue;
            }
            YamlLocations keys = yaml.locations();
            locations.put(file, keys);
            if (parsedFile.severityOrder() != null) {
                SourceLocation here = at(file, keys.key("severity_order"));
                if (severityOrder != null) {
                    problems.add(error(file, keys.key("severity_order"),
                            "severity_order is defined twice (first at " + severityOrderAt + ")"));
                } else {
                    severityOrder = parsedFile.severityOrder();
                    severityOrderAt = here;
                    checkSeverityOrder(file, keys, severityOrder, problems);
                }
            }
            if (parsedFile.escalation() != null) {
                parsedFile.escalation().forEach((severity, rule) -> {
                    JsonLocation at = keys.key("escalation/" + severity);
                    if (rule == null) {
                        problems.add(error(file, at, "escalation \"" + severity + "\" is empty"));
                    } else if (escalation.putIfAbsent(severity, rule) != null) {
                        problems.add(error(file, at, "escalation for \"" + severity
                                + "\" is defined twice (first at " + escalationAt.get(severity) + ")"));
                    } else {
                        escalationAt.put(severity, at(file, at));
                    }
                });
            }
            if (parsedFile.classes() != null) {
                parsedFile.classes().forEach((name, entry) -> {
                    JsonLocation at = keys.key("classes/" + name);
                    if (!CLASS_NAME.matcher(name).matches()) {
                        problems.add(error(file, at, "class name \"" + name
                                + "\" must be lowercase letters, digits and _ (starting with a letter)"));
                    } else if (entry == null || blank(entry.severity()) || blank(entry.ownerHint())) {
                        problems.add(error(file, at, "class \"" + name + "\" needs a severity and an owner_hint"));
                    } else if (classes.putIfAbsent(name, entry) != null) {
                        problems.add(error(file, at, "class \"" + name + "\" is defined twice (first at "
                                + classAt.get(name) + ")"));
                    } else {
                        classAt.put(name, at(file, at));
                    }
                });
            }
            if (parsedFile.replay() != null) {
                if (replay != null) {
                    problems.add(error(file, keys.key("replay"), "replay is defined twice (first at "
                            + replayAt + ")"));
                } else {
                    replay = parsedFile.replay();
                    replayFile = file;
                    replayAt = at(file, keys.key("replay"));
                }
            }
            if (parsedFile.tickets() != null) {
                if (ticketsAt != null) {
                    problems.add(error(file, keys.key("tickets"), "tickets is defined twice (first at "
                            + ticketsAt + ")"));
                } else if (parsedFile.tickets().maxNewPerRun() < 0) {
                    problems.add(error(file, keys.value("tickets/max_new_per_run"),
                            "tickets.max_new_per_run must be 0 or more, got " + parsedFile.tickets().maxNewPerRun()));
                } else {
                    tickets = parsedFile.tickets();
                    ticketsAt = at(file, keys.key("tickets"));
                }
            }
            if (parsedFile.flake() != null) {
                if (flakeAt != null) {
                    problems.add(error(file, keys.key("flake"), "flake is defined twice (first at " + flakeAt + ")"));
                } else {
                    parsedFile.flake().problems().forEach(problem ->
                            problems.add(error(file, keys.of(problem), problem.message())));
                    flake = parsedFile.flake();
                    flakeAt = at(file, keys.key("flake"));
                }
            }
            if (parsedFile.junit() != null) {
                if (junitAt != null) {
                    problems.add(error(file, keys.key("junit"), "junit is defined twice (first at " + junitAt + ")"));
                } else {
                    parsedFile.junit().problems().forEach(problem ->
                            problems.add(error(file, keys.of(problem), problem.message())));
                    junit = parsedFile.junit();
                    junitAt = at(file, keys.key("junit"));
                }
            }
            if (parsedFile.masks() != null) {
                if (masksAt != null) {
                    problems.add(error(file, keys.key("masks"), "masks is defined twice (first at " + masksAt + ")"));
                } else {
                    List<EntryProblem> maskProblems = ReasonMasks.problems(parsedFile.masks());
                    maskProblems.forEach(problem -> problems.add(error(file, keys.of(problem), problem.message())));
                    if (maskProblems.isEmpty()) {
                        masks = ReasonMasks.of(parsedFile.masks());
                    }
                    masksAt = at(file, keys.key("masks"));
                }
            }
            if (parsedFile.annotations() != null) {
                if (annotationsAt != null) {
                    problems.add(error(file, keys.key("annotations"), "annotations is defined twice (first at "
                            + annotationsAt + ")"));
                } else {
                    annotations = parsedFile.annotations();
                    annotationsAt = at(file, keys.key("annotations"));
                    annotationsFile = file;
                }
            }
            if (parsedFile.lifecycle() != null) {
                if (lifecycleAt != null) {
                    problems.add(error(file, keys.key("lifecycle"), "lifecycle is defined twice (first at "
                            + lifecycleAt + ")"));
                } else {
                    parsedFile.lifecycle().problems().forEach(problem ->
                            problems.add(error(file, keys.of(problem), problem.message())));
                    lifecycle = parsedFile.lifecycle();
                    lifecycleAt = at(file, keys.key("lifecycle"));
                }
            }
            problems.subList(firstProblem, problems.size()).sort(Problem.IN_FILE_ORDER);
        }
        if (severityOrder == null && unreadable) {
            return null; // the file that failed may define it: its own error says enough
        }
        if (severityOrder == null) {
            problems.add(Problem.error(dir, 0, 0, "no policy file defines severity_order"
                    + " (e.g. severity_order: [critical, high, medium, low])"));
            return null;
        }
        for (Map.Entry<String, SourceLocation> e : escalationAt.entrySet()) {
            if (!severityOrder.contains(e.getKey())) {
                problems.add(e.getValue().error("escalation names severity \"" + e.getKey()
                        + "\", which is not in severity_order (" + severityOrderAt + ")"));
            }
        }
        if (annotationsFile != null) {
            Path file = annotationsFile;
            YamlLocations keys = locations.get(file);
            annotations.problems(severityOrder).forEach(problem ->
                    problems.add(error(file, keys.of(problem), problem.message())));
        }
        Map<String, ClassPolicy> policies = new LinkedHashMap<>();
        for (Map.Entry<String, ClassEntry> e : classes.entrySet()) {
            String severity = e.getValue().severity();
            if (!severityOrder.contains(severity)) {
                problems.add(classAt.get(e.getKey()).error("class \"" + e.getKey() + "\" has severity \""
                        + severity + "\", which is not in severity_order " + severityOrder
                        + " (" + severityOrderAt + ")"));
            }
            policies.put(e.getKey(), new ClassPolicy(e.getKey(), severity, e.getValue().ownerHint(),
                    escalation.get(severity)));
        }
        int firstReplayProblem = problems.size();
        ReplayPolicy replayPolicy = replay == null ? ReplayPolicy.DEFAULT
                : replayPolicy(replay, replayFile, locations.get(replayFile), classes.keySet(), problems);
        problems.subList(firstReplayProblem, problems.size()).sort(Problem.IN_FILE_ORDER);
        if (errorCount(problems) > errorsBefore) {
            return null;
        }
        return new Policy(List.copyOf(severityOrder), policies, files, Map.copyOf(classAt), replayPolicy, tickets,
                flake, junit, masks, annotations, lifecycle);
    }

    /** Checks the {@code replay} key; missing parts take their {@link ReplayPolicy#DEFAULT} values. */
    private static ReplayPolicy replayPolicy(ReplayEntry entry, Path file, YamlLocations keys,
            Set<String> classNames, List<Problem> problems) {
        ReplayPolicy defaults = ReplayPolicy.DEFAULT;
        Duration defaultTimeout = defaults.defaultTimeout();
        if (entry.defaultTimeout() != null) {
            defaultTimeout = duration(entry.defaultTimeout(), "replay.default_timeout", file,
                    keys.value("replay/default_timeout"), problems);
        }
        Map<String, Duration> classTimeouts = new TreeMap<>();
        if (entry.classTimeouts() != null) {
            entry.classTimeouts().forEach((name, text) -> {
                String path = "replay/class_timeouts/" + name;
                if (!classNames.contains(name)) {
                    problems.add(error(file, keys.key(path), "replay.class_timeouts names class \"" + name
                            + "\", which no policy file defines"));
                }
                Duration timeout = duration(text, "replay.class_timeouts." + name, file, keys.value(path), problems);
                if (timeout != null) {
                    classTimeouts.put(name, timeout);
                }
            });
        }
        int attempts = defaults.attempts();
        if (entry.attempts() != null) {
            attempts = entry.attempts();
            if (attempts < 1) {
                problems.add(error(file, keys.value("replay/attempts"), "replay.attempts must be at least 1, got "
                        + attempts));
            } else if (attempts > ReplayPolicy.MAX_ATTEMPTS) {
                problems.add(error(file, keys.value("replay/attempts"), "replay.attempts must be at most "
                        + ReplayPolicy.MAX_ATTEMPTS + ", got " + attempts));
            }
        }
        List<Pattern> allow = new ArrayList<>();
        if (entry.allow() != null) {
            for (int i = 0; i < entry.allow().size(); i++) {
                String regex = entry.allow().get(i);
                JsonLocation at = keys.value("replay/allow/" + i);
                if (regex == null || regex.isBlank()) {
                    problems.add(error(file, at, "replay.allow[" + i + "] is empty"));
                    continue;
                }
                try {
                    allow.add(Pattern.compile(regex));
                } catch (PatternSyntaxException e) {
                    problems.add(error(file, at, "replay.allow[" + i + "] is not a regular expression: "
                            + e.getDescription() + " near index " + e.getIndex()));
                }
            }
        }
        List<String> env = ReplayPolicy.DEFAULT_ENV;
        if (entry.env() != null) {
            env = new ArrayList<>();
            for (int i = 0; i < entry.env().size(); i++) {
                String rule = entry.env().get(i);
                JsonLocation at = keys.value("replay/env/" + i);
                if (rule == null || !ENV_RULE.matcher(rule).matches()) {
                    problems.add(error(file, at, "replay.env[" + i + "] must be a variable name or a prefix"
                            + " ending in *, got " + (rule == null ? "nothing" : "\"" + rule + "\"")));
                } else {
                    env.add(rule);
                }
            }
        }
        SourceLocation allowAt = entry.allow() == null ? null : at(file, keys.key("replay/allow"));
        return defaultTimeout == null ? null
                : new ReplayPolicy(defaultTimeout, classTimeouts, attempts, allow, allowAt, env);
    }

    private static Duration duration(String text, String key, Path file, JsonLocation at,
            List<Problem> problems) {
        try {
            return DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add(error(file, at, key + ": " + e.getMessage()));
            return null;
        }
    }

    /** The policy files of a folder ({@code *.yaml}, {@code *.yml}), sorted; null (with a problem) when none. */
    public static List<Path> policyFiles(Path dir, List<Problem> problems) {
        if (!Files.isDirectory(dir)) {
            problems.add(Problem.error(dir, 0, 0, "policy folder does not exist"));
            return null;
        }
        try (Stream<Path> listing = Files.list(dir)) {
            List<Path> files = listing
                    .filter(p -> Files.isRegularFile(p))
                    .filter(p -> p.getFileName().toString().endsWith(".yaml")
                            || p.getFileName().toString().endsWith(".yml"))
                    .sorted()
                    .collect(Collectors.toList());
            if (files.isEmpty()) {
                problems.add(Problem.error(dir, 0, 0, "policy folder has no *.yaml files"));
                return null;
            }
            return files;
        } catch (IOException e) {
            problems.add(Problem.error(dir, 0, 0, "cannot list policy folder: " + e.getMessage()));
            return null;
        }
    }

    /** A file's bytes, opened as Jackson opens a File (so a read error says what it said before). */
    private static byte[] read(Path file, List<Problem> problems) {
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            return in.readAllBytes();
        } catch (IOException e) {
            problems.add(Problem.error(file, 0, 0, "cannot read: " + e.getMessage()));
            return null;
        }
    }

    /** The keys of one policy file that could be bound; null when the file holds nothing or is no mapping. */
    private static PolicyFile parse(Path file, YamlFile yaml, List<Problem> problems) {
        if (yaml.isEmpty()) {
            problems.add(Problem.warning(file, 0, 0, "policy file is empty"));
            return null;
        }
        return yaml.bindByKey(Yaml.MAPPER.readerFor(PolicyFile.class), JsonMappingException::getOriginalMessage,
                problems);
    }

    private static void checkSeverityOrder(Path file, YamlLocations keys, List<String> order,
            List<Problem> problems) {
        if (order.isEmpty()) {
            problems.add(error(file, keys.value("severity_order"), "severity_order is empty"));
        }
        for (int i = 0; i < order.size(); i++) {
            if (order.subList(0, i).contains(order.get(i))) {
                problems.add(error(file, keys.value("severity_order/" + i), "severity_order lists a severity twice: "
                        + order));
                break;
            }
        }
        for (int i = 0; i < order.size(); i++) {
            if (blank(order.get(i))) {
                problems.add(error(file, keys.value("severity_order/" + i), "severity_order has an empty severity"));
                break;
            }
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static int errorCount(List<Problem> problems) {
        return (int) problems.stream().filter(Problem::isError).count();
    }
}
