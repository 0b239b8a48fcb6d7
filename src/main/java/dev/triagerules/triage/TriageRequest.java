package dev.triagerules.triage;

import dev.triagerules.base.OutputSet;
import dev.triagerules.engine.ClassifiedEntry;
import dev.triagerules.engine.RulePack;
import dev.triagerules.input.EntryOutcome;
import dev.triagerules.input.InputFiles;
import dev.triagerules.input.RunSource;
import dev.triagerules.input.junit.InputFormat;
import dev.triagerules.input.junit.JunitRunSource;
import dev.triagerules.input.junit.JunitSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One triage to run: the runs to read, the rule pack, and how. Built with
 * {@link #forInputs} or {@link #forRuns}; everything but the runs and the pack has a
 * default.
 */
public final class TriageRequest {
    private final List<RunSource> runs;
    private final RulePack pack;
    private final String packetFilter;
    private final VerdictOptions verdicts;
    private final Path quarantine;
    private final boolean skipInvalidLines;
    private final OutputSet outputs;
    private final TriageProgress progress;
    private final Consumer<ClassifiedEntry> classified;
    private final Consumer<EntryOutcome> outcomes;
    private final LedgerRecording ledger;
    private final JunitSession junit;

    private TriageRequest(Builder builder) {
        this.runs = builder.runs;
        this.pack = Objects.requireNonNull(builder.pack, "a triage request needs a rule pack");
        this.packetFilter = builder.packetFilter;
        this.verdicts = builder.verdicts;
        this.quarantine = builder.quarantine;
        this.skipInvalidLines = builder.skipInvalidLines || builder.quarantine != null;
        this.outputs = builder.outputs;
        this.progress = builder.progress;
        this.classified = builder.classified;
        this.outcomes = builder.outcomes;
        this.ledger = builder.ledger;
        this.junit = builder.junit;
    }

    /**
     * The runs of {@code --input} values, in order: a file or {@code -} (stdin) is one run, a
     * folder or a glob the logs it names (see {@link InputFiles}). The report names the first.
     */
    public static Builder forInputs(List<String> inputs) {
        return new Builder(InputFiles.runs(inputs));
    }

    /**
     * As {@link #forInputs(List)}, with JUnit XML too: {@code format} {@code auto} tells each
     * input's format by its content; {@code jsonl} or {@code junit} forces it. A JUnit report,
     * a folder of them, or the reports a glob matches, is one run.
     */
    public static Builder forInputs(List<String> inputs, String format) {
        JunitSession junit = new JunitSession();
        Builder builder = new Builder(RunSources.of(inputs, format, junit));
        builder.junit = junit;
        return builder;
    }

    /** Refuses a {@code format} {@link #forInputs(List, String)} does not know, before any input is looked at. */
    public static void requireKnownFormat(String format) {
        InputFormat.forced(format);
    }

    /** Runs read in this order; the report names the first. */
    public static Builder forRuns(List<RunSource> runs) {
        return new Builder(runs);
    }

    public List<RunSource> runs() {
        return runs;
    }

    public RulePack pack() {
        return pack;
    }

    /** Only failures of this packet are triaged (every entry is still counted); null for all. */
    public String packetFilter() {
        return packetFilter;
    }

    public VerdictOptions verdicts() {
        return verdicts;
    }

    /** Where lines that are not valid entries go, and the run goes on; empty: see {@link #skipsInvalidLines}. */
    public Optional<Path> quarantine() {
        return Optional.ofNullable(quarantine);
    }

    /** Whether a line that is not a valid entry is skipped and counted (kept in the quarantine, if any), or stops. */
    public boolean skipsInvalidLines() {
        return skipInvalidLines;
    }

    /** The set the quarantine joins, committed by the caller; empty: the triage commits it when it succeeds. */
    public Optional<OutputSet> outputs() {
        return Optional.ofNullable(outputs);
    }

    public TriageProgress progress() {
        return progress;
    }

    /** Receives every classified failure, in input order, before it is folded. */
    public Consumer<ClassifiedEntry> classified() {
        return classified;
    }

    /** Receives every selected valid entry's outcome, passing or not, in input order; null: none asked for. */
    public Consumer<EntryOutcome> outcomes() {
        return outcomes;
    }

    /** The ledger this triage records into; empty: none. */
    public Optional<LedgerRecording> ledger() {
        return Optional.ofNullable(ledger);
    }

    /** What the JUnit runs share (mapping, reruns, test locations). */
    JunitSession junit() {
        return junit;
    }

    /** Whether any run is JUnit XML. */
    boolean hasJunitRuns() {
        return runs.stream().anyMatch(run -> run instanceof JunitRunSource);
    }

    /** Sets what a request holds; {@link #build} checks it. */
    public static final class Builder {
        private final List<RunSource> runs;
        private RulePack pack;
        private String packetFilter;
        private VerdictOptions verdicts = VerdictOptions.NONE;
        private Path quarantine;
        private boolean skipInvalidLines;
        private OutputSet outputs;
        private TriageProgress progress = TriageProgress.NONE;
        private Consumer<ClassifiedEntry> classified = entry -> { };
        private Consumer<EntryOutcome> outcomes;
        private LedgerRecording ledger;
        private JunitSession junit = new JunitSession();

        private Builder(List<RunSource> runs) {
            this.runs = List.copyOf(runs);
            if (this.runs.isEmpty()) {
                throw new IllegalArgumentException("a triage needs at least one run");
            }
        }

        public List<RunSource> runs() {
            return runs;
        }

        /** Required: the rules and policy to classify with. */
        public Builder pack(RulePack pack) {
            this.pack = Objects.requireNonNull(pack);
            junit.bind(pack.policy().junit());
            return this;
        }

        public Builder packetFilter(String packetFilter) {
            this.packetFilter = packetFilter;
            return this;
        }

        public Builder verdicts(VerdictOptions verdicts) {
            this.verdicts = Objects.requireNonNull(verdicts);
            return this;
        }

        /** @param quarantine null: an invalid line stops the triage, unless {@link #skipInvalidLines} */
        public Builder quarantine(Path quarantine) {
            this.quarantine = quarantine;
            return this;
        }

        /**
         * Invalid lines (and JUnit XML reports that cannot be read) are skipped and counted
         * as with a quarantine, but kept nowhere: for a triage that writes nothing, such as
         * explain's, which must fold the same entries as the report it explains.
         */
        public Builder skipInvalidLines() {
            this.skipInvalidLines = true;
            return this;
        }

        /**
         * The outputs of the command that runs the triage: the quarantine is written into
         * this set and replaced only when the command commits it, with its other outputs.
         * null (the default): the quarantine is put in place when the triage succeeds.
         */
        public Builder outputs(OutputSet outputs) {
            this.outputs = outputs;
            return this;
        }

        public Builder progress(TriageProgress progress) {
            this.progress = Objects.requireNonNull(progress);
            return this;
        }

        public Builder classified(Consumer<ClassifiedEntry> classified) {
            this.classified = Objects.requireNonNull(classified);
            return this;
        }

        /**
         * Every entry's outcome (a passing entry as hashes, without its strings), in input
         * order; the runs are then read with outcomes, which costs a large log 12-25 % more.
         */
        public Builder outcomes(Consumer<EntryOutcome> outcomes) {
            this.outcomes = Objects.requireNonNull(outcomes);
            return this;
        }

        /**
         * Records the triage as one run of a ledger, begun with {@link LedgerRecording#start}:
         * each incident gets its lifecycle, and the verdict rules see the ledger's runs. The
         * pack must have lifecycle rules. null: no ledger.
         */
        public Builder ledger(LedgerRecording ledger) {
            this.ledger = ledger;
            return this;
        }

        public TriageRequest build() {
            return new TriageRequest(this);
        }
    }
}
