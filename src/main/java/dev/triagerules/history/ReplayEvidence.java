package dev.triagerules.history;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.triagerules.base.DistinctFiles;
import dev.triagerules.base.UserError;
import dev.triagerules.base.VisibleText;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replay attempts per incident id, from the summaries {@code triage-rules replay --summary}
 * writes ({@code triage-rules-replay-summary-v1}); several summaries add up. An attempt
 * that exited 0 passed, any other exit failed; a timed-out attempt is hung and counts as
 * neither; one whose program could not be started ({@code "not_runnable": true}) did not
 * run and is not counted at all.
 */
public final class ReplayEvidence {
    /** The {@code schema_version} of the summaries read here (and written by {@code replay}). */
    public static final String SUMMARY_SCHEMA_VERSION = "triage-rules-replay-summary-v1";
    public static final ReplayEvidence NONE = new ReplayEvidence(Map.of());

    /** Made on first use: most runs read no summary, and databind costs ~400 classes to start. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /** The attempts of one incident over every summary read. */
    public record Counts(int attempts, int passes, int failures, int hung, List<String> verdicts) {
        Counts plus(Counts other) {
            List<String> all = new ArrayList<>(verdicts);
            all.addAll(other.verdicts);
            return new Counts(attempts + other.attempts, passes + other.passes, failures + other.failures,
                    hung + other.hung, List.copyOf(all));
        }
    }

    private final Map<String, Counts> byIncident;

    private ReplayEvidence(Map<String, Counts> byIncident) {
        this.byIncident = byIncident;
    }

    /** Null when no summary has the incident. */
    public Counts of(String incidentId) {
        return byIncident.get(incidentId);
    }

    public boolean isEmpty() {
        return byIncident.isEmpty();
    }

    public static ReplayEvidence read(List<Path> summaries) {
        if (summaries == null || summaries.isEmpty()) {
            return NONE;
        }
        Map<String, Counts> byIncident = new HashMap<>();
        Map<Object, Path> read = new HashMap<>();
        for (Path file : summaries) {
            // The same summary twice would count its attempts twice: one failing attempt given
            // twice meets min_replay_attempts 2. Hard links and other spellings are one file.
            Object identity = DistinctFiles.inputIdentity(file);
            Path earlier = identity == null ? null : read.putIfAbsent(identity, file);
            if (earlier != null) {
                throw new UserError("--replays " + VisibleText.inMessage(file.toString()) + ": the same file as "
                        + VisibleText.inMessage(earlier.toString()) + ", already given; each summary counts once");
            }
            readOne(file).forEach((id, counts) -> byIncident.merge(id, counts, Counts::plus));
        }
        return new ReplayEvidence(byIncident);
    }

    private static Map<String, Counts> readOne(Path file) {
        String text;
        JsonNode root;
        try {
            text = Files.readString(file);
            root = Json.MAPPER.readTree(text);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file");
        } catch (CharacterCodingException e) {
            throw new UserError(file + ": not a replay summary: not UTF-8 text", e);
        } catch (IOException e) {
            throw new UserError(file + ": not a replay summary: " + e.getMessage(), e);
        }
        if (root == null || !SUMMARY_SCHEMA_VERSION.equals(root.path("schema_version").asText(null))) {
            throw new UserError(file + ": not a replay summary (expected schema_version \""
                    + SUMMARY_SCHEMA_VERSION + "\", as written by triage-rules replay --summary)");
        }
        Map<String, Counts> byIncident = new HashMap<>();
        JsonNode incidents = root.path("incidents");
        if (!incidents.isArray() && !incidents.isMissingNode()) {
            throw new UserError(file + ": not a replay summary: \"incidents\" must be an array");
        }
        int index = -1;
        for (JsonNode incident : incidents) {
            index++;
            String id = incident.path("incident_id").asText(null);
            if (id == null) {
                continue;
            }
            String at = file + incidentLine(text, index) + ": incident " + VisibleText.inMessage(id);
            JsonNode attemptList = incident.path("attempts");
            if (!attemptList.isArray() && !attemptList.isMissingNode()) {
                throw new UserError(at + ": \"attempts\" must be an array");
            }
            int attempts = 0;
            int passes = 0;
            int failures = 0;
            int hung = 0;
            for (JsonNode attempt : attemptList) {
                if (attempt.path("not_runnable").asBoolean(false)) {
                    continue;
                }
                attempts++;
                JsonNode exitCode = attempt.path("exit_code");
                if (attempt.path("timed_out").asBoolean(false)) {
                    hung++;
                } else if (!exitCode.isIntegralNumber() || !exitCode.canConvertToInt()) {
                    throw new UserError(at + ": an attempt without an integer exit_code");
                } else if (exitCode.asInt() == 0) {
                    passes++;
                } else {
                    failures++;
                }
            }
            JsonNode verdictNode = incident.path("verdict");
            if (!verdictNode.isTextual() && !verdictNode.isMissingNode() && !verdictNode.isNull()) {
                throw new UserError(at + ": \"verdict\" must be a string");
            }
            String verdict = verdictNode.isTextual() ? verdictNode.asText() : null;
            byIncident.merge(id, new Counts(attempts, passes, failures, hung,
                    verdict == null ? List.of() : List.of(verdict)), Counts::plus);
        }
        return byIncident;
    }

    /**
     * {@code ":LINE"} of where the {@code index}-th element of the top-level "incidents"
     * array starts, or "" when there is none. A tree keeps no locations, so the text is read
     * again, only for a message; the last "incidents" key counts, as in the tree.
     */
    private static String incidentLine(String text, int index) {
        try (JsonParser p = Json.MAPPER.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return "";
            }
            int line = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean incidents = "incidents".equals(p.currentName());
                JsonToken value = p.nextToken();
                if (incidents) {
                    line = 0;
                }
                if (incidents && value == JsonToken.START_ARRAY) {
                    for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
                        if (i == index) {
                            line = p.currentTokenLocation().getLineNr();
                        }
                        p.skipChildren();
                    }
                } else {
                    p.skipChildren();
                }
            }
            return line > 0 ? ":" + line : "";
        } catch (IOException e) {
            return ""; // the tree was read from this text, so this does not happen
        }
    }
}
