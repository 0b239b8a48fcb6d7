package dev.triagerules.replay;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The environment a replay command inherits: only the variables the policy names
 * ({@code replay.env}; {@code NAME} or a prefix {@code NAME*}), never the rest of the
 * invoking shell's, where tokens and keys live. Replay adds its own TRIAGE_* on top.
 */
public final class ReplayEnvironment {
    private ReplayEnvironment() {
    }

    /** The allowed variables of {@code parent}, by name. */
    public static Map<String, String> inherited(List<String> allowed, Map<String, String> parent) {
        Map<String, String> env = new TreeMap<>();
        parent.forEach((name, value) -> {
            if (allowed.stream().anyMatch(rule -> matches(rule, name))) {
                env.put(name, value);
            }
        });
        return env;
    }

    static boolean matches(String rule, String name) {
        return rule.endsWith("*") ? name.startsWith(rule.substring(0, rule.length() - 1)) : rule.equals(name);
    }
}
