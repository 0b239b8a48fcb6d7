package dev.triagerules.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.triagerules.UserError;
import dev.triagerules.policy.Policy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code --fail-on SEVERITY}: the incidents that trip a CI job, those at or above a
 * severity, optionally only those not already in a baseline report.
 */
public final class SeverityGate {
    private final Policy policy;
    private final String failOn;
    private final Set<String> baseline;

    public SeverityGate(Policy policy, String failOn, Set<String> baseline) {
        this.policy = policy;
        this.failOn = failOn;
        this.baseline = baseline;
    }

    public List<FoldedIncident> tripping(TriageReport report) {
        int threshold = policy.severityRank(failOn);
        return report.incidents().stream()
                .filter(i -> policy.severityRank(i.first().getSeverity()) <= threshold)
                .filter(i -> !baseline.contains(i.incidentId()))
                .toList();
    }

    /** The incident ids of an earlier report, read without loading it whole. */
    public static Set<String> incidentIds(Path report) {
        Set<String> ids = new HashSet<>();
        try (JsonParser p = new JsonFactory().createParser(report.toFile())) {
            int depth = 0;
            boolean inIncidents = false;
            JsonToken token;
            while ((token = p.nextToken()) != null) {
                if (token.isStructStart()) {
                    depth++;
                } else if (token.isStructEnd()) {
                    depth--;
                    if (depth == 1) {
                        inIncidents = false;
                    }
                } else if (token == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    if (depth == 1 && name.equals("incidents")) {
                        inIncidents = true;
                    } else if (inIncidents && depth == 3 && name.equals("incident_id")) {
                        p.nextToken();
                        ids.add(p.getText());
                    }
                }
            }
            return ids;
        } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
            throw new UserError(report + ": no such file");
        } catch (IOException e) {
            throw new UserError(report + ": not a triage report: " + e.getMessage(), e);
        }
    }

    static boolean exists(Path path) {
        return Files.exists(path);
    }
}
