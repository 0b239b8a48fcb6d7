package dev.triagerules.policy;

import dev.triagerules.base.EntryProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The masks of policy ({@code masks}), compiled: reason codes that differ only in numbers,
 * addresses, temporary paths or ids mask to one text, so they fold into one incident (as
 * LUCI Analysis masks digits, long hex and base64 runs before clustering).
 *
 * <p>{@link #apply} is a pure function of the text: each mask, in policy order, replaces
 * every match in what the masks before it left.
 */
public record ReasonMasks(List<Pattern> patterns, List<String> replacements) {
    // A record (its replacements already quoted, as of() makes them) so that the compiled-rules
    // cache keeps it with the rest of the policy (base.RecordTree).

    /** No masks: reason codes stay as logged and ids keep the upstream form. */
    public static final ReasonMasks NONE = new ReasonMasks(List.of(), List.of());

    public ReasonMasks {
        patterns = List.copyOf(patterns);
        replacements = List.copyOf(replacements);
    }

    /**
     * Compiles the masks; throws {@link IllegalArgumentException} naming the first bad one
     * (its 0-based index) and what is wrong ({@link #problems} names them all).
     */
    public static ReasonMasks of(List<Mask> masks) {
        if (masks == null || masks.isEmpty()) {
            return NONE;
        }
        List<EntryProblem> problems = problems(masks);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(problems.get(0).message());
        }
        List<Pattern> patterns = new ArrayList<>(masks.size());
        List<String> replacements = new ArrayList<>(masks.size());
        for (Mask mask : masks) {
            patterns.add(Pattern.compile(mask.pattern()));
            replacements.add(Matcher.quoteReplacement(mask.replacement()));
        }
        return new ReasonMasks(List.copyOf(patterns), List.copyOf(replacements));
    }

    /** What is wrong with each mask, located by its path in the policy ({@code masks/2/pattern}); empty when fine. */
    public static List<EntryProblem> problems(List<Mask> masks) {
        List<EntryProblem> problems = new ArrayList<>();
        for (int i = 0; masks != null && i < masks.size(); i++) {
            Mask mask = masks.get(i);
            String path = "masks/" + i;
            if (mask == null || mask.pattern() == null || mask.pattern().isEmpty()) {
                problems.add(EntryProblem.atValue(path + "/pattern", "masks[" + i + "] needs a pattern"));
                continue;
            }
            if (mask.replacement() == null) {
                problems.add(EntryProblem.atValue(path + "/replacement", "masks[" + i + "] needs a replacement"));
                continue;
            }
            Pattern pattern;
            try {
                pattern = Pattern.compile(mask.pattern());
            } catch (PatternSyntaxException e) {
                problems.add(EntryProblem.atValue(path + "/pattern", "masks[" + i + "].pattern is no regular"
                        + " expression: " + e.getDescription() + " near index " + e.getIndex()));
                continue;
            }
            if (pattern.matcher("").matches()) {
                problems.add(EntryProblem.atValue(path + "/pattern", "masks[" + i + "].pattern \"" + mask.pattern()
                        + "\" matches the empty text, so it would insert its replacement everywhere"));
            }
        }
        return problems;
    }

    /** Whether any mask is declared. */
    public boolean enabled() {
        return !patterns.isEmpty();
    }

    /** The text with every mask applied in order; the text itself when none is declared. */
    public String apply(String text) {
        String masked = text;
        for (int i = 0; i < patterns.size(); i++) {
            masked = patterns.get(i).matcher(masked).replaceAll(replacements.get(i));
        }
        return masked;
    }

    /** How many masks there are. */
    public int size() {
        return patterns.size();
    }
}
