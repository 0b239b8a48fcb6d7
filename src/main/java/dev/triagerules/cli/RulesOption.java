package dev.triagerules.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --rules DIR}, as every command that reads rules takes it (a picocli mixin). */
final class RulesOption {
    @Option(names = "--rules", paramLabel = "DIR",
            description = "Folder of *.drl rules, with test tables in DIR/tests (default: the bundled rules/).")
    Path rules;

    /**
     * For a subcommand: its own {@code --rules}, else the one given to the top command
     * before it ({@code triage-rules --rules X check}, which picocli hands to the top
     * command), else the bundled rules named relative to the working folder when inside it,
     * so that messages read {@code rules/x.drl} rather than an absolute path.
     */
    Path dir(TriageRulesCommand top) {
        return rules != null ? rules : top != null && top.rules.rules != null ? top.rules.rules
                : Path.of(Display.path(Home.defaultRules()));
    }

    /**
     * For the top command: {@code --rules}, else the bundled rules as found. Not shortened:
     * the report's provenance records this path and the compiled-rules cache keys on it.
     */
    Path dirAsFound() {
        return rules != null ? rules : Home.defaultRules();
    }
}
