package dev.triagerules.replay;

import dev.triagerules.base.SourceLocation;
import dev.triagerules.policy.ReplayPolicy;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Decides whether a {@code replay_command} from a report may run, and as what. A report is
 * untrusted input: its commands would otherwise run as the invoking user. A command runs
 * only when it has the strict form of {@link CommandWords} and matches, whole, one of the
 * policy's {@code replay.allow} patterns; it then runs as its words, without a shell. With
 * {@code --allow-any-command} every command runs as {@code sh -c COMMAND}, as the user asked.
 */
public final class CommandGuard {
    private final List<Pattern> allow;
    private final SourceLocation allowDefinedAt;
    private final boolean allowAny;

    /** Either the words to run, or why the command is refused. */
    public record Decision(List<String> argv, String refusal) {
        public boolean allowed() {
            return refusal == null;
        }
    }

    public CommandGuard(List<Pattern> allow, SourceLocation allowDefinedAt, boolean allowAny) {
        this.allow = List.copyOf(allow);
        this.allowDefinedAt = allowDefinedAt;
        this.allowAny = allowAny;
    }

    public static CommandGuard of(ReplayPolicy policy, boolean allowAny) {
        return new CommandGuard(policy.allow(), policy.allowDefinedAt(), allowAny);
    }

    public boolean allowsAny() {
        return allowAny;
    }

    public Decision check(String command) {
        if (allowAny) {
            return new Decision(List.of("sh", "-c", command), null);
        }
        CommandWords.Parsed words = CommandWords.parse(command);
        if (!words.ok()) {
            return new Decision(List.of(), words.problem());
        }
        if (allow.isEmpty()) {
            return new Decision(List.of(), "the policy has no replay.allow patterns, so no command runs"
                    + " (add patterns, or use --allow-any-command for a report you trust)");
        }
        for (Pattern pattern : allow) {
            if (pattern.matcher(command).matches()) {
                return new Decision(words.argv(), null);
            }
        }
        return new Decision(List.of(), "matches none of the " + allow.size() + " replay.allow pattern(s)"
                + (allowDefinedAt == null ? "" : " (" + allowDefinedAt + ")"));
    }
}
