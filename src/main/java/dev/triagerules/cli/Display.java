package dev.triagerules.cli;

import dev.triagerules.base.Problem;
import dev.triagerules.engine.RuleInfo;
import java.nio.file.Path;

/**
 * Paths as the authoring commands print them: absolute paths inside the current folder
 * (e.g. the bundled rules/ found through the launcher) shortened to relative ones, so
 * messages read {@code rules/dispatch-routing.drl:8}; anything else as given.
 */
final class Display {
    private Display() {
    }

    static String path(Path path) {
        if (path == null) {
            return "?";
        }
        if (path.isAbsolute()) {
            Path cwd = Path.of("").toAbsolutePath();
            Path normal = path.normalize();
            if (normal.startsWith(cwd) && !normal.equals(cwd)) {
                return cwd.relativize(normal).toString();
            }
        }
        return path.toString();
    }

    /** A folder with a trailing separator: {@code rules/}. */
    static String dir(Path dir) {
        String shown = path(dir);
        return shown.endsWith("/") ? shown : shown + "/";
    }

    static Problem problem(Problem problem) {
        return problem.file() == null ? problem : new Problem(Path.of(path(problem.file())), problem.line(),
                problem.column(), problem.severity(), problem.message());
    }

    /** {@code rules/dispatch-routing.drl:8}. */
    static String location(RuleInfo rule) {
        return rule.line() > 0 ? path(rule.file()) + ":" + rule.line() : path(rule.file());
    }
}
