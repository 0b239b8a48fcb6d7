package dev.triagerules.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --rules} and {@code --policy} of the commands that load a rule pack (a picocli
 * mixin). A command's own options win; else the ones given to the top command before it
 * ({@code triage-rules --rules X check}, which picocli hands to the top command); else the
 * bundled pack, named relative to the working folder when it is inside it, so that every
 * message reads {@code rules/x.drl} rather than an absolute path.
 */
final class PackOptions {
    @Option(names = "--rules", paramLabel = "DIR",
            description = "Folder of *.drl rules, with test tables in DIR/tests (default: the bundled rules/).")
    Path rules;

    @Option(names = "--policy", paramLabel = "DIR",
            description = "Folder of *.yaml policy (default: the bundled policy/).")
    Path policy;

    Path rulesDir(TriageRulesCommand parent) {
        return rules != null ? rules : parent != null && parent.rules != null ? parent.rules
                : Path.of(Display.path(Home.defaultRules()));
    }

    Path policyDir(TriageRulesCommand parent) {
        return policy != null ? policy : parent != null && parent.policy != null ? parent.policy
                : Path.of(Display.path(Home.defaultPolicy()));
    }
}
