package dev.triagerules.policy;

import dev.triagerules.base.SourceLocation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How {@code triage-rules replay} runs incidents by default (policy key {@code replay}).
 * Command-line options override it.
 *
 * @param defaultTimeout  time allowed for one attempt of an incident of any class
 * @param classTimeouts   class name to its own per-attempt timeout (slow suites need more)
 * @param attempts        attempts per incident
 * @param allow           {@code replay.allow}: a command runs only if it matches one of these whole
 *                        (and has the strict form of words that needs no shell); none: nothing runs
 * @param allowDefinedAt  where {@code replay.allow} is, for messages; null when no policy file has it
 * @param env             {@code replay.env}: the variables (or {@code PREFIX*}) a command inherits
 */
public record ReplayPolicy(Duration defaultTimeout, Map<String, Duration> classTimeouts, int attempts,
        List<Pattern> allow, SourceLocation allowDefinedAt, List<String> env) {

    /**
     * Inherited when the policy has no {@code replay.env}: where programs and their toolchains
     * are, the locale and time zone. Not {@code CARGO_*} or the like as a whole: a registry
     * token (CARGO_REGISTRY_TOKEN) lives there too.
     */
    public static final List<String> DEFAULT_ENV = List.of("PATH", "HOME", "USER", "LANG", "LANGUAGE", "LC_*",
            "TMPDIR", "TZ", "CARGO_HOME", "CARGO_TARGET_DIR", "RUSTUP_HOME", "RUSTUP_TOOLCHAIN", "RUST_BACKTRACE",
            "JAVA_HOME");

    /**
     * The most attempts replay makes of one incident ({@code --attempts}, policy
     * {@code replay.attempts}). A limit of its own so that a replay.json has one: the gate
     * reads no replay.json larger than replay could have written (see
     * {@code IncidentReplay.maxBytes}), and a planted one of gigabytes is not read.
     */
    public static final int MAX_ATTEMPTS = 1000;

    /** What applies when no policy file has a {@code replay} key: no command is allowed. */
    public static final ReplayPolicy DEFAULT = new ReplayPolicy(Duration.ofMinutes(10), Map.of(), 3, List.of(),
            null, DEFAULT_ENV);

    public ReplayPolicy {
        classTimeouts = Map.copyOf(classTimeouts);
        allow = List.copyOf(allow);
        env = List.copyOf(env);
    }

    public Duration timeoutFor(String crashClass) {
        return crashClass == null ? defaultTimeout : classTimeouts.getOrDefault(crashClass, defaultTimeout);
    }
}
