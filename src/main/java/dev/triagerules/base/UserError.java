package dev.triagerules.base;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Something the user gave us is wrong (input, rules, policy, paths). The message is
 * complete and meant for the terminal; the CLI prints it and exits 1.
 */
public class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<Problem> problems;

    public UserError(String message) {
        super(message);
        this.problems = List.of();
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
        this.problems = List.of();
    }

    /** Several located problems reported at once (e.g. every DRL compile error). */
    public UserError(List<Problem> problems) {
        super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
