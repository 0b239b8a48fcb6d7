package dev.triagerules.cli;

import dev.triagerules.base.Problem;
import dev.triagerules.base.UserError;
import dev.triagerules.policy.Policy;
import dev.triagerules.policy.PolicyLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --policy DIR}, as every command that reads policy takes it (a picocli mixin). */
final class PolicyOption {
    @Option(names = "--policy", paramLabel = "DIR",
            description = "Folder of *.yaml policy (default: the bundled policy/).")
    Path policy;

    /** For a subcommand: as {@link RulesOption#dir}. */
    Path dir(TriageRulesCommand top) {
        return policy != null ? policy : top != null && top.policy.policy != null ? top.policy.policy
                : Path.of(Display.path(Home.defaultPolicy()));
    }

    /** For the top command: as {@link RulesOption#dirAsFound}. */
    Path dirAsFound() {
        return policy != null ? policy : Home.defaultPolicy();
    }

    /** The policy alone (for commands without rules); every problem stops with exit 1. */
    Policy load(TriageRulesCommand top) {
        List<Problem> problems = new ArrayList<>();
        Policy loaded = PolicyLoader.load(dir(top), problems);
        if (loaded == null) {
            throw new UserError(problems.stream().filter(Problem::isError).toList());
        }
        return loaded;
    }
}
