package dev.triagerules.input.junit;

import dev.triagerules.base.TextLimit;
import dev.triagerules.base.Unsigned128;
import dev.triagerules.input.LogEntry;
import dev.triagerules.input.junit.TestCaseResult.Problem;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps a JUnit test case onto a log entry as the {@code junit} policy says. A test case
 * that failed, or failed before passing on a rerun, becomes a failed entry (its first
 * failure); a passing one a passing entry; a skipped one none.
 */
public final class JunitMapper {
    /** The schema_version of entries made from JUnit XML. */
    public static final String SCHEMA_VERSION = "junit-xml";

    private static final Pattern ATTACHMENT = Pattern.compile("\\[\\[ATTACHMENT\\|([^\\]\\r\\n]+)]]");
    private static final int MAX_ATTACHMENTS = 32;

    private final JunitPolicy policy;
    private final Runner forcedRunner;
    private final List<FieldTemplate> packet;
    private final List<FieldTemplate> suite;
    private final List<FieldTemplate> scenario;
    private final List<FieldTemplate> fixture;
    private final List<FieldTemplate> mode;
    private final List<FieldTemplate> reasonCode;
    private final Map<String, List<FieldTemplate>> replay;

    public JunitMapper(JunitPolicy policy) {
        this.policy = policy;
        this.forcedRunner = policy.runner() == null ? null : Runner.of(policy.runner());
        this.packet = FieldTemplate.parseAll(policy.packet());
        this.suite = FieldTemplate.parseAll(policy.suite());
        this.scenario = FieldTemplate.parseAll(policy.scenario());
        this.fixture = FieldTemplate.parseAll(policy.fixture());
        this.mode = FieldTemplate.parseAll(policy.mode());
        this.reasonCode = FieldTemplate.parseAll(policy.reasonCode());
        Map<String, List<FieldTemplate>> templates = new HashMap<>();
        policy.replay().forEach((runner, list) -> templates.put(runner, FieldTemplate.parseAll(list)));
        this.replay = templates;
    }

    /** The runner the policy forces, else the one recognised in the report. */
    public Runner runner(TestCaseResult result) {
        return forcedRunner != null ? forcedRunner : result.runner();
    }

    /** The entry of a test case; null when it was skipped. */
    public LogEntry entry(TestCaseResult result) {
        if (result.status() == TestCaseResult.Status.SKIPPED) {
            return null;
        }
        Problem failure = result.firstFailure();
        Function<String, String> values = values(result, failure);
        String outcome = failure == null ? "pass"
                : policy.outcomes().get(failure.kind().isError() ? "error" : "failure");
        String reason = failure == null ? "" : text(reasonCode, values);
        if (reason.length() > policy.maxReasonChars()) {
            reason = TextLimit.cut(reason, policy.maxReasonChars());
        }
        List<FieldTemplate> replayTemplates = replay.getOrDefault(runner(result).key(), List.of());
        String replayCommand = FieldTemplate.first(replayTemplates, replayValues(values), ShellQuote::quote);
        return new LogEntry(SCHEMA_VERSION, Unsigned128.of(timestampMillis(result.timestamp())), text(suite, values),
                text(scenario, values), text(fixture, values), text(packet, values), text(mode, values),
                seed(result), envFingerprint(result), artifactRefs(result, failure), replayCommand == null ? ""
                        : replayCommand, outcome, reason);
    }

    private static String text(List<FieldTemplate> templates, Function<String, String> values) {
        String rendered = FieldTemplate.first(templates, values, value -> value);
        return rendered == null ? "" : rendered;
    }

    private Function<String, String> values(TestCaseResult result, Problem failure) {
        return placeholder -> switch (placeholder) {
            case "runner" -> runner(result).key();
            case "suite" -> result.suite();
            case "suite_file" -> result.suiteFile();
            case "classname" -> result.classname();
            case "classname_path" -> result.classname().replace('.', '/');
            case "name" -> result.name();
            case "method" -> method(result.name());
            case "file" -> result.file();
            case "line" -> result.sourceLine();
            case "type" -> failure == null ? "" : failure.type();
            case "message" -> failure == null ? "" : failure.message();
            case "failure" -> failure == null ? "" : failureText(failure);
            case "kind" -> failure == null ? "" : failure.kind().element();
            case "timestamp" -> result.timestamp();
            default -> placeholder.startsWith("property:")
                    ? result.properties().getOrDefault(placeholder.substring("property:".length()), "") : "";
        };
    }

    /**
     * The values a replay command may insert: file paths only when relative and inside
     * their folder, so a command from a report never names a path outside the checkout.
     */
    private static Function<String, String> replayValues(Function<String, String> values) {
        return placeholder -> {
            String value = values.apply(placeholder);
            if (placeholder.equals("file") || placeholder.equals("suite_file")) {
                String contained = containedPath(value);
                return contained == null ? "" : contained;
            }
            return value;
        };
    }

    /** The test method without a parameter list or index: {@code foo()} and {@code foo[1]} are {@code foo}. */
    static String method(String name) {
        int end = name.length();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '(' || c == '[') {
                end = i;
                break;
            }
        }
        return name.substring(0, end);
    }

    /**
     * The failure's type and message, as {@code type: message}; one alone when the other
     * is empty, and the message alone when it already starts with the type (Gradle, pytest).
     */
    static String failureText(Problem failure) {
        String type = failure.type();
        String message = failure.message();
        if (type.isEmpty() || message.startsWith(type)) {
            return message;
        }
        return message.isEmpty() ? type : type + ": " + message;
    }

    private long seed(TestCaseResult result) {
        Long seed = namedSeed(result);
        return seed == null ? 0 : seed;
    }

    /** Whether the test case names its seed (an unsigned 64-bit number in the policy's seed property). */
    boolean hasSeed(TestCaseResult result) {
        return namedSeed(result) != null;
    }

    private Long namedSeed(TestCaseResult result) {
        String text = result.properties().get(policy.seedProperty());
        if (text == null) {
            return null;
        }
        try {
            return Long.parseUnsignedLong(text.strip());
        } catch (NumberFormatException e) {
            return null; // a seed that is no unsigned 64-bit number is left out, not guessed
        }
    }

    private String envFingerprint(TestCaseResult result) {
        StringBuilder env = new StringBuilder();
        for (String name : policy.envProperties()) {
            String value = result.properties().get(name);
            if (value != null) {
                if (env.length() > 0) {
                    env.append(' ');
                }
                env.append(name).append('=').append(value);
            }
        }
        return env.toString();
    }

    /**
     * The report file, then each attachment named in the output ({@code [[ATTACHMENT|path]]},
     * the Jenkins convention) that stays inside the report's folder: an absolute path or one
     * that climbs out with {@code ..} is left out.
     */
    private static List<String> artifactRefs(TestCaseResult result, Problem failure) {
        Set<String> refs = new LinkedHashSet<>();
        refs.add(result.report());
        List<String> outputs = new ArrayList<>(List.of(result.systemOut().head(), result.systemErr().head()));
        if (failure != null) {
            outputs.add(failure.systemOut().head());
            outputs.add(failure.systemErr().head());
        }
        for (String output : outputs) {
            Matcher m = ATTACHMENT.matcher(output);
            while (m.find() && refs.size() <= MAX_ATTACHMENTS) {
                String safe = containedPath(m.group(1).strip());
                if (safe != null) {
                    refs.add(safe);
                }
            }
        }
        return List.copyOf(refs);
    }

    /**
     * The path normalised, with {@code /} between its names, when it is relative and stays
     * below its folder; null otherwise. A backslash separates names too: reports written on
     * Windows use it, and there {@code ..\\..\\x} (which Linux reads as one odd name) climbs
     * out as well.
     */
    static String containedPath(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.startsWith("\\") || path.contains("\0")
                || (path.length() > 1 && path.charAt(1) == ':')) {
            return null;
        }
        try {
            Path normal = Path.of(path.replace('\\', '/')).normalize();
            if (normal.isAbsolute() || normal.startsWith("..") || normal.toString().isEmpty()) {
                return null;
            }
            return normal.toString();
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /** Milliseconds since the epoch of an ISO-8601 timestamp (no zone: UTC); 0 when absent or unreadable. */
    static long timestampMillis(String timestamp) {
        if (timestamp.isEmpty()) {
            return 0;
        }
        try {
            return Math.max(0, OffsetDateTime.parse(timestamp).toInstant().toEpochMilli());
        } catch (DateTimeParseException e) {
            try {
                return Math.max(0, LocalDateTime.parse(timestamp).toInstant(ZoneOffset.UTC).toEpochMilli());
            } catch (DateTimeParseException again) {
                return 0;
            }
        }
    }
}
