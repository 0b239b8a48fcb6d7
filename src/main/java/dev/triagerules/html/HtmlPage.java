package dev.triagerules.html;

import java.util.List;

/**
 * Everything the page template shows, already formatted: the template only lays it out
 * (and jte escapes every value). Built by {@link HtmlPageBuilder}.
 *
 * @param title  the page title
 * @param csp    the Content-Security-Policy, naming the hashes of {@code style} and {@code script}
 * @param style  the inline style sheet, byte for byte as hashed
 * @param script the inline script, byte for byte as hashed
 * @param trends null when no ledger history was given
 */
public record HtmlPage(String title, String csp, String style, String script, List<Fact> run, List<Chart> charts,
        IncidentTable table, Trends trends, String replayNote) {

    /**
     * A labelled value.
     *
     * @param items a list shown under the value (may be empty)
     * @param code  shown in a monospace font (ids, paths, digests)
     */
    public record Fact(String label, String value, List<String> items, boolean code) {
        public Fact {
            items = List.copyOf(items);
        }

        static Fact of(String label, String value) {
            return new Fact(label, value, List.of(), false);
        }

        static Fact code(String label, String value) {
            return new Fact(label, value, List.of(), true);
        }
    }

    /**
     * A horizontal stacked bar chart drawn as inline SVG.
     *
     * @param filter which table filter a click on a bar sets ({@code class} or {@code owner})
     */
    public record Chart(String id, String title, String filter, int width, int height, List<Bar> bars,
            List<Legend> legend) {
    }

    /** One bar: its label, total and one segment per severity. */
    public record Bar(String value, String label, long total, int y, int textY, int totalX, List<Segment> segments) {
    }

    /**
     * One coloured part of a bar.
     *
     * @param rank the severity's position in the policy's order (0 is the most severe), which picks the colour
     */
    public record Segment(int x, int width, int rank, String tooltip) {
    }

    public record Legend(String label, int rank) {
    }

    /**
     * The incident table.
     *
     * @param severities  the severities in policy order, for the filter (whose order the script sorts by)
     * @param detailsData null when each row's details are in the markup; for large reports, the details of
     *                    every row (JSON, raw-deflated, base64) that the script shows when a row opens
     */
    public record IncidentTable(List<Column> columns, List<Row> rows, List<Filter> filters, List<String> severities,
            String detailsData) {
    }

    /**
     * A column.
     *
     * @param numeric sorted as numbers rather than text
     */
    public record Column(String key, String label, boolean numeric) {
    }

    /** A filter menu over one column. */
    public record Filter(String column, String label, List<String> values) {
    }

    /**
     * One incident: the cells of its row (one per column) and its details.
     *
     * @param rank the severity's rank for its colour, -1 when the severity is not in the policy's list
     */
    public record Row(String id, List<String> cells, int rank, Detail detail) {
    }

    /**
     * What opens under a row.
     *
     * @param replay      the replay's attempts; null when no replay summary names the incident
     */
    public record Detail(List<Fact> facts, List<Fact> verdict, List<Fact> lifecycle, ReplayView replay,
            String replayCommand) {
    }

    /** A replay's verdict and attempts. */
    public record ReplayView(String summary, List<AttemptView> attempts) {
    }

    /**
     * One attempt.
     *
     * @param output what the page shows of its output, or null
     * @param note   about the output (cut, missing), or null
     */
    public record AttemptView(String title, String transcript, String output, String note) {
    }

    /** The ledger's history. */
    public record Trends(RunChart chart, List<String> runLabels, List<List<String>> runRows,
            List<ClassRow> classes, List<List<String>> longestOpen, List<List<String>> mostRecurring,
            List<List<String>> flakyScenarios) {
        /** The section's heading: a ledger may hold no run yet, or one. */
        public String title() {
            return switch (runLabels.size()) {
                case 0 -> "Trends";
                case 1 -> "Trends over the last run";
                default -> "Trends over the last " + runLabels.size() + " runs";
            };
        }
    }

    /**
     * Open incidents per run as columns: carried over, new and regressed stacked up, resolved
     * below the axis.
     */
    public record RunChart(int width, int height, int axisY, List<RunColumn> columns) {
    }

    public record RunColumn(int x, int width, String label, int labelY, List<Block> blocks) {
    }

    /** A coloured block of a run column; {@code kind} names its CSS class. */
    public record Block(int y, int height, String kind, String tooltip) {
    }

    /** A class's open count per run, with a sparkline. */
    public record ClassRow(String crashClass, List<String> counts, String sparkline) {
    }
}
