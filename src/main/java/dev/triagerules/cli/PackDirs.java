package dev.triagerules.cli;

import java.nio.file.Path;

/**
 * The rules and policy folders of a subcommand: its own --rules/--policy, else the ones
 * given to the top command before it ({@code triage-rules --rules X check}, which picocli
 * hands to the top command), else the bundled pack, named relative to the working folder
 * when it is inside it, so that every message (also those naming files inside their text)
 * reads {@code rules/x.drl} rather than an absolute path.
 */
final class PackDirs {
    private PackDirs() {
    }

    static Path rules(Path own, TriageRulesCommand parent) {
        return own != null ? own : parent != null && parent.rules != null ? parent.rules
                : Path.of(Display.path(Home.defaultRules()));
    }

    static Path policy(Path own, TriageRulesCommand parent) {
        return own != null ? own : parent != null && parent.policy != null ? parent.policy
                : Path.of(Display.path(Home.defaultPolicy()));
    }
}
