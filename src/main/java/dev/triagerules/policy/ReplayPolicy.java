package dev.triagerules.policy;

import java.time.Duration;
import java.util.Map;

/**
 * How {@code triage-rules replay} runs incidents by default (policy key {@code replay}).
 * Command-line options override it.
 *
 * @param defaultTimeout  time allowed for one attempt of an incident of any class
 * @param classTimeouts   class name to its own per-attempt timeout (slow suites need more)
 * @param attempts        attempts per incident
 */
public record ReplayPolicy(Duration defaultTimeout, Map<String, Duration> classTimeouts, int attempts) {

    /** What applies when no policy file has a {@code replay} key. */
    public static final ReplayPolicy DEFAULT = new ReplayPolicy(Duration.ofMinutes(10), Map.of(), 3);

    public ReplayPolicy {
        classTimeouts = Map.copyOf(classTimeouts);
    }

    public Duration timeoutFor(String crashClass) {
        return crashClass == null ? defaultTimeout : classTimeouts.getOrDefault(crashClass, defaultTimeout);
    }
}
