package dev.triagerules.input.junit;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.triagerules.base.EntryProblem;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * How a JUnit XML test case becomes a log entry (policy key {@code junit}, read by
 * {@code policy.PolicyLoader}; the record lives with the reader it configures). Every key is
 * optional: what is missing takes the default below, which works for the reports of
 * Surefire, Failsafe, Gradle, pytest, go, nextest and mocha as they are.
 *
 * <p>Fields are templates ({@link FieldTemplate}): text with {@code {placeholder}}s. A field
 * may list several; the first whose placeholders all have a value wins, so
 * {@code [ "{property:packet}", "{suite}" ]} reads "the packet property, else the suite name".
 *
 * @param runner        force the runner instead of recognising it by content (surefire, failsafe,
 *                      gradle, pytest, go, nextest, mocha, junit); null to recognise
 * @param packet        packet_id
 * @param suite         suite_id
 * @param scenario      scenario_id
 * @param fixture       fixture_id
 * @param mode          mode
 * @param reasonCode    reason_code
 * @param seedProperty  the property holding the seed (unsigned 64-bit decimal)
 * @param envProperties properties whose {@code name=value} make the env fingerprint, in this order
 * @param replay        replay command templates per runner; inserted values are shell-quoted, and
 *                      {@code {file}}/{@code {suite_file}} count only when relative and inside their folder
 * @param outcomes      the outcome of a {@code failure} and of an {@code error}
 * @param maxReasonChars reason codes are cut to this many characters
 */
public record JunitPolicy(
        @JsonProperty("runner") String runner,
        @JsonProperty("packet") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> packet,
        @JsonProperty("suite") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> suite,
        @JsonProperty("scenario") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        List<String> scenario,
        @JsonProperty("fixture") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        List<String> fixture,
        @JsonProperty("mode") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> mode,
        @JsonProperty("reason_code") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        List<String> reasonCode,
        @JsonProperty("seed_property") String seedProperty,
        @JsonProperty("env_properties") List<String> envProperties,
        @JsonProperty("replay") Map<String, List<String>> replay,
        @JsonProperty("outcomes") Map<String, String> outcomes,
        @JsonProperty("max_reason_chars") Integer maxReasonChars) {

    /** The runners {@code runner} and {@code replay} may name. */
    public static final Set<String> RUNNERS = Arrays.stream(Runner.values()).map(Runner::key)
            .collect(Collectors.toUnmodifiableSet());

    /** Replay commands per runner, when policy names none. */
    public static final Map<String, List<String>> DEFAULT_REPLAY = defaultReplay();

    /** What applies when no policy file has a {@code junit} key. */
    public static final JunitPolicy DEFAULT = new JunitPolicy(null, null, null, null, null, null, null, null, null,
            null, null, null);

    public JunitPolicy {
        packet = orDefault(packet, "{property:packet}", "{suite}", "{runner}");
        suite = orDefault(suite, "{classname}", "{suite}");
        scenario = orDefault(scenario, "{name}");
        fixture = orDefault(fixture, "{file}", "{suite_file}", "");
        mode = orDefault(mode, "{property:mode}", "{runner}");
        reasonCode = orDefault(reasonCode, "{failure}", "{kind}");
        seedProperty = seedProperty == null ? "seed" : seedProperty;
        envProperties = envProperties == null ? List.of("java.version", "os.name", "os.arch", "go.version")
                : List.copyOf(envProperties);
        Map<String, List<String>> replayTemplates = new TreeMap<>(DEFAULT_REPLAY);
        if (replay != null) {
            replay.forEach((runnerKey, templates) -> replayTemplates.put(runnerKey,
                    templates == null ? List.of() : List.copyOf(templates)));
        }
        replay = Collections.unmodifiableMap(replayTemplates);
        Map<String, String> outcomeNames = new LinkedHashMap<>(Map.of("failure", "fail", "error", "error"));
        if (outcomes != null) {
            outcomeNames.putAll(outcomes);
        }
        outcomes = Collections.unmodifiableMap(outcomeNames);
        maxReasonChars = maxReasonChars == null ? 500 : maxReasonChars;
    }

    private static List<String> orDefault(List<String> given, String... defaults) {
        return given == null || given.isEmpty() ? List.of(defaults) : List.copyOf(given);
    }

    private static Map<String, List<String>> defaultReplay() {
        Map<String, List<String>> replay = new TreeMap<>();
        replay.put("surefire", List.of("mvn test -Dtest={classname}#{method}"));
        replay.put("failsafe", List.of("mvn verify -Dit.test={classname}#{method}"));
        replay.put("gradle", List.of("gradle test --tests {classname}.{method}"));
        replay.put("pytest", List.of("pytest {file}::{name}", "pytest {classname_path}.py::{name}"));
        replay.put("go", List.of("go test -run ^{name}$ {classname}"));
        replay.put("nextest", List.of("cargo nextest run {name}"));
        replay.put("mocha", List.of("npx mocha {suite_file} --grep {name}", "npx mocha --grep {name}"));
        replay.put("junit", List.of());
        return Collections.unmodifiableMap(replay);
    }

    /** Problems with the values, as messages naming the key; empty when fine. */
    public List<EntryProblem> problems() {
        Set<String> runners = new TreeSet<>(RUNNERS);
        List<EntryProblem> problems = new ArrayList<>();
        if (runner != null && !runners.contains(runner)) {
            problems.add(EntryProblem.atValue("junit/runner", "junit.runner: unknown runner \"" + runner
                    + "\"; one of " + runners));
        }
        check("packet", packet, problems);
        check("suite", suite, problems);
        check("scenario", scenario, problems);
        check("fixture", fixture, problems);
        check("mode", mode, problems);
        check("reason_code", reasonCode, problems);
        replay.forEach((runnerKey, templates) -> {
            if (!runners.contains(runnerKey)) {
                problems.add(EntryProblem.atKey("junit/replay/" + runnerKey, "junit.replay: unknown runner \""
                        + runnerKey + "\"; one of " + runners));
            }
            check("replay/" + runnerKey, templates, problems);
        });
        for (String key : outcomes.keySet()) {
            if (!key.equals("failure") && !key.equals("error")) {
                problems.add(EntryProblem.atKey("junit/outcomes/" + key, "junit.outcomes: unknown key \"" + key
                        + "\"; expected failure or error"));
            }
        }
        outcomes.forEach((key, outcome) -> {
            if (outcome == null || outcome.isEmpty() || outcome.equals("pass")) {
                problems.add(EntryProblem.atValue("junit/outcomes/" + key, "junit.outcomes." + key
                        + " must name a failing outcome (not empty, not \"pass\")"));
            }
        });
        if (maxReasonChars < 1) {
            problems.add(EntryProblem.atValue("junit/max_reason_chars", "junit.max_reason_chars must be at least 1,"
                    + " got " + maxReasonChars));
        }
        return problems;
    }

    /** Checks the templates of one key ({@code scenario}, {@code replay/go}), each located as written. */
    private static void check(String key, List<String> templates, List<EntryProblem> problems) {
        for (int i = 0; i < templates.size(); i++) {
            try {
                FieldTemplate.parse(templates.get(i));
            } catch (IllegalArgumentException e) {
                // A single template written without a list has no element i: the key's value is it.
                problems.add(EntryProblem.atValue("junit/" + key + "/" + i, "junit." + key.replace('/', '.') + ": "
                        + e.getMessage()));
            }
        }
    }
}
