package dev.triagerules.cli;

import picocli.CommandLine.Option;

/** {@code -q, --quiet} (a picocli mixin). */
final class QuietOption {
    @Option(names = {"-q", "--quiet"},
            description = "Print on stderr only what is wrong or needs attention; no progress or summary.")
    boolean quiet;
}
