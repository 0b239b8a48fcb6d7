package dev.triagerules.tickets;

import dev.triagerules.base.UserError;
import dev.triagerules.report.ReportFile;
import dev.triagerules.report.ReportedIncident;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What tickets need of a report's incidents, checked before anything is filed: an id,
 * class, severity and owner hint on every incident, each id once, and every other key the
 * tickets show absent or usable. A report that fails is refused whole (a {@link UserError}
 * naming the incident and key), never filed in part.
 *
 * <p>Tickets take what they can: a number or boolean where text belongs is used as its
 * text, and an unsigned 64-bit number may be quoted. Missing values get the tickets'
 * defaults: no artifact refs or paths, one occurrence, last seen at 0.
 */
public final class TicketIncidents {
    /** Keys every incident must have, non-blank, in the order they are checked. */
    private static final List<String> REQUIRED = List.of("incident_id", "class", "severity", "owner_hint");
    /** Keys that may be absent but must be usable when present, in the order they are checked. */
    private static final List<String> CHECKED = List.of("packet_id", "suite_id", "scenario_id", "mode", "reason_code",
            "masked_reason_code", "replay_command", "artifact_refs", "seed", "env_fingerprint", "occurrences", "last_seen_unix_ms", "rule",
            "fixture_id", "escalation", "escalation.linked_bead_id", "escalation.artifact_paths",
            "determinism.verdict");
    private static final BigInteger MAX_OCCURRENCES = BigInteger.valueOf(Long.MAX_VALUE);

    private TicketIncidents() {
    }

    /** The report with its incidents (in report order) as tickets use them; a UserError if one falls short. */
    public static ReportFile requireComplete(ReportFile report) {
        List<ReportedIncident> complete = new ArrayList<>();
        for (ReportedIncident incident : report.incidents()) {
            complete.add(new Checked(report.path(), incident).complete()); // ReportFile refused repeated ids
        }
        return report.withIncidents(complete);
    }

    /** One incident, checked key by key in report order. */
    private record Checked(Path report, ReportedIncident incident) {

        ReportedIncident complete() {
            Map<String, String> text = new LinkedHashMap<>();
            for (String key : REQUIRED) {
                String value = text(key, found(key));
                if (value == null) {
                    throw refusal(key, "is missing");
                }
                if (value.isBlank()) {
                    throw refusal(key, "is empty");
                }
                text.put(key, value);
            }
            List<String> artifactRefs = null;
            ReportedIncident.Escalation escalation = null;
            for (String key : CHECKED) {
                switch (key) {
                    case "artifact_refs" -> artifactRefs = strings(key, incident.artifactRefs());
                    case "seed", "occurrences", "last_seen_unix_ms" -> requireUnsigned(key);
                    case "escalation" -> escalation = escalation();
                    case "escalation.linked_bead_id", "escalation.artifact_paths" -> {
                        // checked with the escalation
                    }
                    default -> text.put(key, text(key, found(key)));
                }
            }
            String verdict = text.get("determinism.verdict");
            Map<String, ReportedIncident.Problem> unchecked = new LinkedHashMap<>(incident.problems());
            unchecked.keySet().removeAll(REQUIRED);
            unchecked.keySet().removeAll(CHECKED);
            return new ReportedIncident(incident.index(), text.get("incident_id"), text.get("class"),
                    text.get("severity"), text.get("owner_hint"), text.get("packet_id"), text.get("suite_id"),
                    text.get("scenario_id"), text.get("mode"), text.get("reason_code"), text.get("replay_command"),
                    artifactRefs,
                    // Valid, so plain digits ("7" is seed 7; ReportFile refused "007").
                    incident.seed() == null ? null : new BigInteger(incident.seed()).toString(),
                    text.get("env_fingerprint"),
                    incident.occurrences() == null ? BigInteger.ONE : incident.occurrences().min(MAX_OCCURRENCES),
                    incident.lastSeenUnixMs() == null ? BigInteger.ZERO : incident.lastSeenUnixMs(),
                    text.get("rule"), text.get("fixture_id"), incident.firstSeenLine(), escalation,
                    verdict == null || verdict.isBlank() ? null : verdict, unchecked)
                    .withMaskedReasonCode(text.get("masked_reason_code"));
        }

        /** The text of a key: the report's string, or the text of a number or boolean found there. */
        private String text(String key, String found) {
            ReportedIncident.Problem problem = incident.problems().get(key);
            if (problem == null || !problem.message().equals("must be a string")) {
                return found;
            }
            if (!problem.value().isValueNode()) {
                throw refusal(key, problem.message());
            }
            return problem.value().asText();
        }

        /** A list of strings; elements that are not strings are used as their text. */
        private List<String> strings(String key, List<String> found) {
            ReportedIncident.Problem problem = incident.problems().get(key);
            if (problem == null) {
                return found == null ? List.of() : found;
            }
            if (!problem.value().isArray()) {
                throw refusal(key, problem.message());
            }
            List<String> strings = new ArrayList<>();
            problem.value().forEach(element -> strings.add(element.asText()));
            return strings;
        }

        /** Refused unless the key is absent or an unsigned 64-bit integer (a number or decimal text). */
        private void requireUnsigned(String key) {
            ReportedIncident.Problem problem = incident.problems().get(key);
            if (problem != null) {
                throw refusal(key, problem.message());
            }
        }

        private ReportedIncident.Escalation escalation() {
            ReportedIncident.Problem problem = incident.problems().get("escalation");
            if (problem != null) {
                throw refusal("escalation", problem.message());
            }
            ReportedIncident.Escalation escalation = incident.escalation();
            if (escalation == null) {
                return null;
            }
            return new ReportedIncident.Escalation(escalation.escalateImmediately(),
                    text("escalation.linked_bead_id", escalation.linkedBeadId()),
                    strings("escalation.artifact_paths", escalation.artifactPaths()),
                    escalation.replayTranscriptRequired());
        }

        private String found(String key) {
            return switch (key) {
                case "incident_id" -> incident.incidentId();
                case "class" -> incident.crashClass();
                case "severity" -> incident.severity();
                case "owner_hint" -> incident.ownerHint();
                case "packet_id" -> incident.packetId();
                case "suite_id" -> incident.suiteId();
                case "scenario_id" -> incident.scenarioId();
                case "mode" -> incident.mode();
                case "reason_code" -> incident.reasonCode();
                case "masked_reason_code" -> incident.maskedReasonCode();
                case "replay_command" -> incident.replayCommand();
                case "env_fingerprint" -> incident.envFingerprint();
                case "rule" -> incident.rule();
                case "fixture_id" -> incident.fixtureId();
                case "determinism.verdict" -> incident.determinismVerdict();
                default -> null; // not text: checked on its own
            };
        }

        /**
         * {@code report: incidents[3] (triage64:...): "key" problem}. A key inside escalation
         * or determinism is named alone and without the incident's id, as it always was.
         */
        private UserError refusal(String key, String problem) {
            boolean nested = key.contains(".");
            String id = nested ? null : incident.incidentId(); // only when the report has it as a string
            return new UserError(report + ": incidents[" + incident.index() + "]" + (id != null ? " (" + id + ")" : "")
                    + ": \"" + key.substring(key.lastIndexOf('.') + 1) + "\" " + problem);
        }
    }
}
