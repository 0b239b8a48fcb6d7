package dev.triagerules.replay;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.triagerules.base.ExactJson;
import dev.triagerules.base.VisibleText;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the closure gate reads of one attempt transcript ({@link Transcript}, written as
 * {@code attempt-N.json}): who and what it is the attempt of, the seed its command ran with
 * ({@code env.TRIAGE_SEED}), and how it ended. Read as a
 * stream, keeping only those keys (the output, up to 128 KiB as written, is skipped), and
 * only up to a size replay never exceeds for the incident ({@link Transcript#maxBytes}).
 * Strict as every reader of the project's JSON ({@link ExactJson}): UTF-8, one JSON object,
 * no key twice, nothing after it.
 *
 * @param problems whole messages, each naming the file and, for a value, where it is
 *                 ({@code FILE:LINE:COLUMN}) and its key: a {@code schema_version} that is not
 *                 {@link Transcript#SCHEMA_VERSION} (then the only problem), keys missing or of a
 *                 type replay never writes; the values are null then
 * @param envSeed  {@code env.TRIAGE_SEED}, the seed the command ran with; null when the transcript
 *                 records none (replay sets none for a report without a seed) or one of another type
 */
public record AttemptTranscript(String incidentId, Integer attempt, Integer attemptsPlanned, String command,
        String seed, String envSeed, Integer exitCode,
        Boolean timedOut, Boolean notRunnable, List<String> problems, IncidentReplay.Places places) {

    /** The keys read; every other is skipped unread. */
    private static final Set<String> READ = Set.of("schema_version", "incident_id", "attempt", "attempts_planned",
            "command", "seed",
            "exit_code", "timed_out", "not_runnable");

    public AttemptTranscript {
        problems = List.copyOf(problems);
    }

    /** The one key of {@code env} read; every other variable is skipped unread. */
    private static final String ENV_SEED = "TRIAGE_SEED";

    /** {@code FILE:LINE:COLUMN} of the value of {@code key} ({@code env/TRIAGE_SEED} for one inside env). */
    public String place(String key) {
        return places.of("/" + key);
    }

    /**
     * Reads a transcript of at most {@code maxBytes} bytes; an IOException when it cannot be
     * read, is larger, or is no JSON object, whose message says so ({@code not JSON at line
     * 3, column 5: ...}, {@code 9000000 bytes, more than ...: not read}).
     */
    public static AttemptTranscript read(Path file, long maxBytes) throws IOException {
        long size = Files.size(file);
        if (size > maxBytes) {
            throw new IOException(tooLarge(size, maxBytes));
        }
        Map<String, JsonNode> values = new HashMap<>();
        Map<String, JsonLocation> places = new HashMap<>();
        try (InputStream in = new Bounded(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS), maxBytes);
                Reader text = new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder());
                JsonParser p = ExactJson.FACTORY.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw new IOException("empty, not a JSON object");
            }
            if (first != JsonToken.START_OBJECT) {
                p.skipChildren();
                end(p);
                throw new IOException("not a JSON object");
            }
            for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                JsonToken token = p.nextToken();
                if (name.equals("env")) {
                    places.put("/env", p.currentTokenLocation());
                    values.put(name, token == JsonToken.START_OBJECT ? env(p, places) : value(p, token));
                } else if (READ.contains(name)) {
                    places.put("/" + name, p.currentTokenLocation());
                    values.put(name, value(p, token));
                } else {
                    p.skipChildren(); // a string (the output) is skipped without being built
                }
            }
            end(p);
        } catch (CharacterCodingException e) {
            throw new IOException("not UTF-8 text", e);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new IOException("not JSON" + (at == null ? "" : " at line " + at.getLineNr() + ", column "
                    + at.getColumnNr()) + ": " + e.getOriginalMessage(), e);
        }
        return from(values, new IncidentReplay.Places(file, Map.copyOf(places)));
    }

    /** Why a file of {@code size} bytes is not read as a transcript of an incident bounded by {@code maxBytes}. */
    public static String tooLarge(long size, long maxBytes) {
        return size + " bytes, more than replay writes for a transcript of this incident (at most " + maxBytes
                + "): not read";
    }

    private static void end(JsonParser p) throws IOException {
        if (p.nextToken() != null) {
            throw new JsonParseException(p, "text after the transcript's JSON value", p.currentTokenLocation());
        }
    }

    /**
     * The {@code env} object at the parser, holding only its {@value #ENV_SEED} (when it has
     * one) and noting where that is; the other variables are skipped.
     */
    private static JsonNode env(JsonParser p, Map<String, JsonLocation> places) throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode env = JsonNodeFactory.instance.objectNode();
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
            JsonToken token = p.nextToken();
            if (name.equals(ENV_SEED)) {
                places.put("/env/" + ENV_SEED, p.currentTokenLocation());
                env.set(name, value(p, token));
            } else {
                p.skipChildren();
            }
        }
        return env;
    }

    /** The value at the parser as a node; an object or array is skipped and stands as an empty one (its type). */
    private static JsonNode value(JsonParser p, JsonToken token) throws IOException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (token) {
            case START_OBJECT -> {
                p.skipChildren();
                yield nodes.objectNode();
            }
            case START_ARRAY -> {
                p.skipChildren();
                yield nodes.arrayNode();
            }
            case VALUE_STRING -> nodes.textNode(p.getText());
            case VALUE_NUMBER_INT -> nodes.numberNode(p.getBigIntegerValue());
            case VALUE_NUMBER_FLOAT -> nodes.numberNode(p.getDecimalValue());
            case VALUE_TRUE, VALUE_FALSE -> nodes.booleanNode(token == JsonToken.VALUE_TRUE);
            default -> nodes.nullNode();
        };
    }

    private static AttemptTranscript from(Map<String, JsonNode> root, IncidentReplay.Places places) {
        List<String> problems = new ArrayList<>();
        JsonNode schema = root.get("schema_version");
        if (schema == null || !Transcript.SCHEMA_VERSION.equals(schema.textValue())) {
            problems.add(places.of("/schema_version") + ": schema_version is " + (schema == null ? "missing"
                    : VisibleText.inMessage(schema.toString())) + ", expected \"" + Transcript.SCHEMA_VERSION
                    + "\" (the attempt transcript that triage-rules replay writes)");
            return new AttemptTranscript(null, null, null, null, null, null, null, null, null, problems, places);
        }
        com.fasterxml.jackson.databind.node.ObjectNode object = JsonNodeFactory.instance.objectNode();
        root.forEach(object::set);
        // Every key checked, listed in file order (a hand-edited file may have any order).
        ProblemsInFileOrder found = new ProblemsInFileOrder(places);
        String incidentId = found.at("/incident_id",
                p -> IncidentReplay.Recorded.text(object, "incident_id", false, places, p));
        Integer attempt = found.at("/attempt", p -> integer(object, "attempt", places, p));
        Integer attemptsPlanned = found.at("/attempts_planned", p -> integer(object, "attempts_planned", places, p));
        String command = found.at("/command", p -> IncidentReplay.Recorded.text(object, "command", true, places, p));
        String seed = found.at("/seed", p -> IncidentReplay.Recorded.seed(object.get("seed"), places, p));
        String envSeed = found.at("/env/" + ENV_SEED, p -> envSeed(object.get("env"), places, p));
        Integer exitCode = found.at("/exit_code", p -> integer(object, "exit_code", places, p));
        Boolean timedOut = found.at("/timed_out", p -> bool(object, "timed_out", places, p));
        Boolean notRunnable = found.at("/not_runnable", p -> notRunnable(object, "not_runnable", "/not_runnable",
                places, p));
        return new AttemptTranscript(incidentId, attempt, attemptsPlanned, command, seed, envSeed, exitCode,
                timedOut, notRunnable, found.inFileOrder(), places);
    }

    /**
     * {@code env.TRIAGE_SEED} as replay writes it, a string (the seed as the command got it);
     * null when there is no {@code env} or no {@value #ENV_SEED} in it, or, with the problem
     * noted, when either is of a type replay never writes.
     */
    private static String envSeed(JsonNode env, IncidentReplay.Places places, List<String> problems) {
        if (env == null) {
            return null;
        }
        if (!env.isObject()) {
            problems.add(places.of("/env") + ": env must be an object (found " + ClosureGate.typeFound(env) + ")");
            return null;
        }
        JsonNode seed = env.get(ENV_SEED);
        if (seed == null || seed.isTextual()) {
            return seed == null ? null : seed.textValue();
        }
        problems.add(places.of("/env/" + ENV_SEED) + ": env." + ENV_SEED + " must be a string (found "
                + ClosureGate.typeFound(seed) + ")");
        return null;
    }

    /**
     * {@code parent.key} as a 32-bit integer, as replay writes attempt numbers and exit
     * statuses; null, with the problem noted as {@code shownAs}, when missing or of another type.
     */
    static Integer integer(JsonNode parent, String key, String shownAs, String pointer, IncidentReplay.Places places,
            List<String> problems) {
        JsonNode value = parent.get(key);
        if (value == null) {
            problems.add(places.file() + ": " + shownAs + " is missing");
        } else if (value.isIntegralNumber() && value.canConvertToInt()) {
            return value.intValue();
        } else {
            problems.add(places.of(pointer) + ": " + shownAs + " must be an integer ("
                    + (value.isNumber() ? "found " + value : "found " + ClosureGate.typeFound(value)) + ")");
        }
        return null;
    }

    /** {@code parent.key} as true or false; null, with the problem noted, when missing or of another type. */
    static Boolean bool(JsonNode parent, String key, String shownAs, String pointer, IncidentReplay.Places places,
            List<String> problems) {
        JsonNode value = parent.get(key);
        if (value == null) {
            problems.add(places.file() + ": " + shownAs + " is missing");
        } else if (value.isBoolean()) {
            return value.booleanValue();
        } else {
            problems.add(places.of(pointer) + ": " + shownAs + " must be true or false (found "
                    + ClosureGate.typeFound(value) + ")");
        }
        return null;
    }

    /**
     * {@code not_runnable} as {@link #bool} reads it. Missing beside an exit status and a
     * timed_out, it is a replay made before replay recorded it: the problem says so, and what
     * to do, as {@code --replays} says of such a summary.
     */
    static Boolean notRunnable(JsonNode parent, String shownAs, String pointer, IncidentReplay.Places places,
            List<String> problems) {
        if (!parent.has("not_runnable") && parent.has("exit_code") && parent.has("timed_out")) {
            problems.add(places.file() + ": " + shownAs + " is missing: made by a triage-rules older than"
                    + " not_runnable; replay again");
            return null;
        }
        return bool(parent, "not_runnable", shownAs, pointer, places, problems);
    }

    private static Integer integer(JsonNode root, String key, IncidentReplay.Places places, List<String> problems) {
        return integer(root, key, key, "/" + key, places, problems);
    }

    private static Boolean bool(JsonNode root, String key, IncidentReplay.Places places, List<String> problems) {
        return bool(root, key, key, "/" + key, places, problems);
    }

    /** Fails a read that goes past {@code limit} bytes: the file grew after its size was checked. */
    private static final class Bounded extends FilterInputStream {
        private final long limit;
        private long read;

        Bounded(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count(Math.max(n, 0));
            return n;
        }

        private void count(int n) throws IOException {
            read += n;
            if (read > limit) {
                throw new IOException(tooLarge(read, limit) + " (it grew while it was read)");
            }
        }
    }
}
