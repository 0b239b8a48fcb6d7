package dev.triagerules.cli;

import picocli.CommandLine.Option;

/** {@code -q, --quiet} (a picocli mixin). */
final class QuietOption {
    @Option(names = {"-q", "--quiet"},
            description = "Print less on stderr: no progress, no summary table; problems and what needs"
                    + " attention still show.")
    boolean quiet;
}
