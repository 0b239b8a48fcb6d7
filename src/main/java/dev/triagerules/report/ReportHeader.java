package dev.triagerules.report;

import dev.triagerules.engine.FileSetDigest;
import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run a report describes, as {@link ReportFile} read it from the keys around the
 * incidents. Every key is optional (upstream reports lack ours): a key that is missing,
 * null or of the wrong type is null here, and the readers show what there is.
 *
 * @param generatedUnixMs          {@code generated_unix_ms}
 * @param packetFilter             {@code packet_filter}
 * @param classCounts              failed entries per class ({@code class_counts}), in file order
 * @param severityCounts           failed entries per severity ({@code severity_counts}), in the policy's
 *                                 order: most severe first
 * @param invalidReports           {@code invalid_reports}: JUnit XML reports skipped (the key is there only when
 *                                 some were)
 * @param inputs                   {@code inputs}: the runs read when verdicts were judged
 * @param rules                    digest of the rule files ({@code triage_rules.rules})
 * @param policy                   digest of the policy files ({@code triage_rules.policy})
 * @param determinismCounts        incidents per flaky-or-deterministic verdict
 * @param resolvedIncidents        {@code resolved_incidents}: ids the ledger saw resolved in this run; null
 *                                 when no ledger was used
 */
public record ReportHeader(
        BigInteger generatedUnixMs,
        String packetFilter,
        Long totalEntries,
        Long failedEntries,
        Map<String, Long> classCounts,
        Long incidentCount,
        Map<String, Long> severityCounts,
        Long escalatedIncidents,
        Long invalidLines,
        Long invalidReports,
        String quarantinePath,
        List<String> inputs,
        String toolVersion,
        FileSetDigest rules,
        FileSetDigest policy,
        Map<String, Long> determinismCounts,
        Long gatingExcludedIncidents,
        List<String> resolvedIncidents) {

    public ReportHeader {
        classCounts = classCounts == null ? null : Collections.unmodifiableMap(
                new LinkedHashMap<>(classCounts));
        severityCounts = severityCounts == null ? null : Collections.unmodifiableMap(
                new LinkedHashMap<>(severityCounts));
        determinismCounts = determinismCounts == null ? null : Collections.unmodifiableMap(
                new LinkedHashMap<>(determinismCounts));
        inputs = inputs == null ? null : List.copyOf(inputs);
        resolvedIncidents = resolvedIncidents == null ? null : List.copyOf(resolvedIncidents);
    }
}
