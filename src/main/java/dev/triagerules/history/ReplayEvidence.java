package dev.triagerules.history;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.triagerules.base.DistinctFiles;
import dev.triagerules.base.ExactJson;
import dev.triagerules.base.ExitStatus;
import dev.triagerules.base.UserError;
import dev.triagerules.base.VisibleText;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replay attempts per incident id, from the summaries {@code triage-rules replay --summary}
 * writes ({@code triage-rules-replay-summary-v1}); several summaries add up. An attempt
 * that exited 0 passed, any other exit failed; a timed-out attempt is hung and counts as
 * neither; one whose program could not be started ({@code "not_runnable": true}) did not
 * run and is not counted at all. Which attempts could not start is judged as the gate
 * judges it ({@link ExitStatus#notRunnable}), so one summary is never read two ways.
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

    /**
     * Reads one summary as a stream, keeping per incident only its counts: a summary's
     * transcript paths and other fields may be any size. The file must be UTF-8 throughout
     * and one well-formed JSON value before any field is judged. Like every other reader of
     * the project's JSON files ({@link ExactJson}), a key given twice and anything after the
     * value are errors: either would leave two readings of the file, and html --replays
     * refuses the same summary.
     */
    private static Map<String, Counts> readOne(Path file) {
        SummaryScan scan = new SummaryScan(file);
        try (Reader text = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder());
                JsonParser p = ExactJson.FACTORY.createParser(text)) {
            p.disable(JsonParser.Feature.AUTO_CLOSE_SOURCE); // the rest of the text is read after the parser ends
            try {
                scan.root(p);
                if (p.nextToken() != null) {
                    throw new JsonParseException(p, "text after the summary's JSON value", p.currentTokenLocation());
                }
            } catch (JsonProcessingException e) {
                readToEnd(text); // a byte that is not UTF-8 anywhere in the file is the error to report
                throw e;
            }
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such file");
        } catch (CharacterCodingException e) {
            throw new UserError(file + ": not a replay summary: not UTF-8 text", e);
        } catch (JsonProcessingException e) {
            // Placed as file:line:column, without Jackson's description of its input.
            JsonLocation at = e.getLocation();
            throw new UserError(file + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr())
                    + ": not a replay summary: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UserError(file + ": not a replay summary: " + e.getMessage(), e);
        }
        return scan.counts();
    }

    private static void readToEnd(Reader text) throws IOException {
        char[] buffer = new char[8192];
        while (text.read(buffer) >= 0) {
            // decoding is the check
        }
    }

    /** What one summary says, gathered token by token; {@link #counts} judges it. */
    private static final class SummaryScan {
        private final Path file;
        private JsonNode schemaVersion = MissingNode.getInstance();
        private IncidentsScan incidents = new IncidentsScan(); // none given: no incidents

        SummaryScan(Path file) {
            this.file = file;
        }

        void root(JsonParser p) throws IOException {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                p.finishToken(); // no summary, but its JSON must be well formed: a string is only read on demand
                skipValue(p);
                return;
            }
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                p.nextToken();
                if ("schema_version".equals(name)) {
                    schemaVersion = scalar(p);
                } else if ("incidents".equals(name)) {
                    incidents = new IncidentsScan();
                    incidents.read(file, p);
                } else {
                    skipValue(p);
                }
            }
        }

        Map<String, Counts> counts() {
            if (!SUMMARY_SCHEMA_VERSION.equals(schemaVersion.asText(null))) {
                throw new UserError(file + ": not a replay summary (expected schema_version \""
                        + SUMMARY_SCHEMA_VERSION + "\", as written by triage-rules replay --summary)");
            }
            if (incidents.firstProblem != null) {
                throw new UserError(incidents.firstProblem);
            }
            return incidents.byIncident;
        }
    }

    /**
     * One "incidents" value: its counts per incident id, or the first problem in it. Every
     * key read must have the type replay writes ({@code incident_id} and {@code verdict}
     * strings, {@code attempts} an array of objects, {@code exit_code} an integer,
     * {@code timed_out} and {@code not_runnable} true or false); null stands for a missing
     * key, as html --replays reads the same file. Read loosely, an id 7 was the incident "7"
     * and a timed_out "true" was false.
     */
    private static final class IncidentsScan {
        final Map<String, Counts> byIncident = new HashMap<>();
        String firstProblem;

        void read(Path file, JsonParser p) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                return; // as if missing: no incidents
            }
            if (p.currentToken() != JsonToken.START_ARRAY) {
                firstProblem = wrongType(file, p, "incidents", "an array");
                return;
            }
            for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
                if (firstProblem != null) {
                    skipValue(p);
                } else if (p.currentToken() != JsonToken.START_OBJECT) {
                    firstProblem = wrongType(file, p, "incidents[" + i + "]", "an object");
                } else {
                    firstProblem = incident(file, p, "incidents[" + i + "]");
                }
            }
        }

        /** Reads one incident's object to its end: adds its counts, or says what is wrong with it. */
        private String incident(Path file, JsonParser p, String at) throws IOException {
            String incidentId = null;
            String verdict = null;
            AttemptsScan attempts = new AttemptsScan();
            String problem = null;
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                p.nextToken();
                if (problem != null) {
                    skipValue(p);
                    continue;
                }
                switch (name) {
                    case "incident_id" -> {
                        problem = text(file, p, at + ".incident_id");
                        incidentId = problem == null ? p.getValueAsString() : null;
                    }
                    case "verdict" -> {
                        problem = text(file, p, at + ".verdict");
                        verdict = problem == null ? p.getValueAsString() : null;
                    }
                    case "attempts" -> problem = attempts.read(file, p, at + ".attempts");
                    default -> skipValue(p);
                }
            }
            if (problem == null && incidentId != null) {
                byIncident.merge(incidentId, new Counts(attempts.attempts, attempts.passes, attempts.failures,
                        attempts.hung, verdict == null ? List.of() : List.of(verdict)), Counts::plus);
            }
            return problem;
        }
    }

    /** One "attempts" value, counted. */
    private static final class AttemptsScan {
        int attempts;
        int passes;
        int failures;
        int hung;

        /** Reads the value to its end; the first problem in it, or null. */
        String read(Path file, JsonParser p, String at) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NULL) {
                return null; // as if missing: no attempts
            }
            if (p.currentToken() != JsonToken.START_ARRAY) {
                return wrongType(file, p, at, "an array");
            }
            String problem = null;
            for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
                if (problem != null) {
                    skipValue(p);
                } else {
                    problem = attempt(file, p, at + "[" + i + "]");
                }
            }
            return problem;
        }

        /**
         * Counts one attempt: one that exited 0 passed, any other exit failed, a timed-out one
         * is hung, and one whose program could not start did not run and is not counted.
         * Whether it could start is the gate's rule ({@link ExitStatus#notRunnable}): a
         * {@code not_runnable} that contradicts it is refused, and so is an attempt of a
         * summary made before replay recorded {@code not_runnable} that exited 126 or 127,
         * which may never have run: counted, a missing program made a deterministic failure.
         */
        private String attempt(Path file, JsonParser p, String at) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                return wrongType(file, p, at, "an object");
            }
            JsonLocation start = p.currentTokenLocation();
            Boolean notRunnable = null; // missing or null: a summary made before replay recorded it
            JsonLocation notRunnableAt = null;
            boolean timedOut = false;
            Integer exitCode = null;
            JsonLocation exitCodeAt = null;
            String problem = null;
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                JsonToken token = p.nextToken();
                if (problem != null) {
                    skipValue(p);
                    continue;
                }
                switch (name) {
                    case "not_runnable" -> {
                        problem = bool(file, p, at + ".not_runnable");
                        notRunnable = token.isBoolean() ? token == JsonToken.VALUE_TRUE : null;
                        notRunnableAt = p.currentTokenLocation();
                    }
                    case "timed_out" -> {
                        problem = bool(file, p, at + ".timed_out");
                        timedOut = token == JsonToken.VALUE_TRUE;
                    }
                    case "exit_code" -> {
                        if (token == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
                            exitCode = p.getIntValue();
                            exitCodeAt = p.currentTokenLocation();
                        } else if (token != JsonToken.VALUE_NULL) {
                            problem = wrongType(file, p, at + ".exit_code", AN_INTEGER);
                        }
                    }
                    default -> skipValue(p);
                }
            }
            if (problem != null) {
                return problem;
            }
            if (exitCode != null) {
                boolean replayWrites = ExitStatus.notRunnable(exitCode, timedOut);
                if (notRunnable == null && replayWrites) {
                    return place(file, exitCodeAt) + ": " + at + " exited " + exitCode + " (the shell's \""
                            + ExitStatus.meaning(exitCode) + "\") and the summary does not say whether it ran"
                            + " (no not_runnable): made by an older triage-rules; replay again";
                }
                if (notRunnable != null && notRunnable != replayWrites) {
                    return place(file, notRunnableAt) + ": " + at + ".not_runnable is " + notRunnable
                            + " but replay writes " + replayWrites + " for exit_code " + exitCode + " and timed_out "
                            + timedOut;
                }
            }
            if (Boolean.TRUE.equals(notRunnable)) {
                return null;
            }
            attempts++;
            if (timedOut) {
                hung++;
            } else if (exitCode == null) {
                return place(file, start) + ": " + at + ".exit_code is missing";
            } else if (exitCode == 0) {
                passes++;
            } else {
                failures++;
            }
            return null;
        }
    }

    private static final String AN_INTEGER = "an integer";

    /** Null when the value at the parser is a string or null; else what is wrong, the value skipped. */
    private static String text(Path file, JsonParser p, String key) throws IOException {
        JsonToken token = p.currentToken();
        return token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NULL ? null
                : wrongType(file, p, key, "a string");
    }

    /** Null when the value at the parser is true, false or null; else what is wrong, the value skipped. */
    private static String bool(Path file, JsonParser p, String key) throws IOException {
        JsonToken token = p.currentToken();
        return token.isBoolean() || token == JsonToken.VALUE_NULL ? null
                : wrongType(file, p, key, "true or false");
    }

    /**
     * A value of the wrong type, placed {@code FILE:LINE:COLUMN} and named by its key, as
     * every reader of replay files says it ({@code incidents[0].attempts[1].timed_out must be
     * true or false (found a string)}); the value is skipped.
     */
    private static String wrongType(Path file, JsonParser p, String key, String expected) throws IOException {
        JsonLocation at = p.currentTokenLocation();
        JsonNode value = scalar(p);
        return place(file, at) + ": " + key + " must be " + expected + " (found "
                + (value.isNumber() && expected.equals(AN_INTEGER) ? value.toString() : ExactJson.typeFound(value))
                + ")";
    }

    private static String place(Path file, JsonLocation at) {
        return file + ":" + at.getLineNr() + ":" + at.getColumnNr();
    }

    /**
     * The value at the parser as the tree reader made it, so that it converts as before
     * (asText, asBoolean); an object or array is skipped and stands as an empty one, whose
     * conversions do not depend on what it holds.
     */
    private static JsonNode scalar(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case START_OBJECT -> {
                skipValue(p);
                yield Json.MAPPER.createObjectNode();
            }
            case START_ARRAY -> {
                skipValue(p);
                yield Json.MAPPER.createArrayNode();
            }
            case VALUE_NULL -> NullNode.getInstance();
            default -> Json.MAPPER.readTree(p);
        };
    }

    /**
     * Skips the value at the parser, reading it as the tree reader did (an object's names
     * with nextFieldName, which reports a broken value in words of its own), so broken JSON
     * gets the message it got before.
     */
    private static void skipValue(JsonParser p) throws IOException {
        JsonToken start = p.currentToken();
        if (start == null || !start.isStructStart()) {
            return; // a scalar, or no value at all
        }
        ArrayDeque<Boolean> inObject = new ArrayDeque<>(); // per open container: is it an object
        inObject.push(start == JsonToken.START_OBJECT);
        while (!inObject.isEmpty()) {
            // in an object: the next name, then its value; no name means the object ends
            JsonToken token = inObject.peek() && p.nextFieldName() == null ? p.currentToken() : p.nextToken();
            if (token.isStructEnd()) {
                inObject.pop();
            } else if (token.isStructStart()) {
                inObject.push(token == JsonToken.START_OBJECT);
            }
        }
    }
}
