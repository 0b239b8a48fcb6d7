package dev.triagerules.base;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Locations in YAML files a user wrote (policy, test tables), so that every problem reads
 * {@code file:line:column}: records bound by Jackson keep no locations, so a second,
 * streaming pass finds where each key and list element starts.
 *
 * <p>Paths name keys and list indices joined by {@code /}: {@code classes/x/owner_hint},
 * {@code cases/3} (the element's first token), {@code cases/3/expect}.
 */
public final class YamlLocations {
    private static final JsonFactory YAML = new YAMLFactory();

    private YamlLocations() {
    }

    /** Where every key and every list element of the file starts, by path; empty parts past a syntax error. */
    public static Map<String, JsonLocation> of(Path file) {
        try (JsonParser p = YAML.createParser(file.toFile())) {
            return of(p);
        } catch (IOException e) {
            return Map.of(); // the binding pass reports why the file cannot be read
        }
    }

    /** As {@link #of(Path)}, for a file's content already read. */
    public static Map<String, JsonLocation> of(byte[] content) {
        try (JsonParser p = YAML.createParser(content)) {
            return of(p);
        } catch (IOException e) {
            return Map.of();
        }
    }

    private static Map<String, JsonLocation> of(JsonParser p) {
        Map<String, JsonLocation> locations = new HashMap<>();
        try {
            Deque<String> path = new ArrayDeque<>(); // segments of the container we are in
            Deque<int[]> arrayIndex = new ArrayDeque<>(); // next element index, per open container
            Deque<Boolean> inArray = new ArrayDeque<>();
            String pendingKey = null;
            JsonToken token;
            while ((token = p.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME) {
                    pendingKey = p.currentName();
                    locations.putIfAbsent(join(path, pendingKey), p.currentTokenLocation());
                    continue;
                }
                String segment = null;
                if (!inArray.isEmpty() && inArray.peek()) {
                    segment = String.valueOf(arrayIndex.peek()[0]++);
                    locations.putIfAbsent(join(path, segment), p.currentTokenLocation());
                } else if (pendingKey != null) {
                    segment = pendingKey;
                }
                pendingKey = null;
                if (token.isStructStart()) {
                    boolean top = inArray.isEmpty();
                    inArray.push(token == JsonToken.START_ARRAY);
                    arrayIndex.push(new int[1]);
                    if (!top) {
                        path.addLast(segment);
                    }
                } else if (token.isStructEnd()) {
                    inArray.pop();
                    arrayIndex.pop();
                    if (!inArray.isEmpty()) {
                        path.pollLast();
                    }
                }
            }
        } catch (IOException e) {
            // The binding pass reports the syntax error; the keys before it are found.
        }
        return locations;
    }

    /** The path of a binding error, as {@link #of} spells it: {@code cases/3/expect/colour}. */
    public static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()))
                .collect(Collectors.joining("/"));
    }

    /** The path of a binding error as a message starts with it, {@code cases[3].expect: }; empty at the top. */
    public static String prefix(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        return path.isEmpty() ? "" : path + ": ";
    }

    /** An unknown key, located at the key itself, with the keys that are known. */
    public static Problem unknownKey(Path file, UnrecognizedPropertyException e) {
        return unknownKey(file, of(file), e);
    }

    /** As {@link #unknownKey(Path, UnrecognizedPropertyException)}, for a file's content already read. */
    public static Problem unknownKey(Path file, byte[] content, UnrecognizedPropertyException e) {
        return unknownKey(file, of(content), e);
    }

    private static Problem unknownKey(Path file, Map<String, JsonLocation> locations, UnrecognizedPropertyException e) {
        JsonLocation at = locations.getOrDefault(path(e), e.getLocation());
        String known = e.getKnownPropertyIds() == null ? "" : " (expected one of: "
                + e.getKnownPropertyIds().stream().map(Object::toString).sorted()
                .collect(Collectors.joining(", ")) + ")";
        return error(file, at, "unknown key \"" + e.getPropertyName() + "\"" + known);
    }

    public static Problem error(Path file, JsonLocation at, String message) {
        return at == null ? Problem.error(file, 0, 0, message)
                : Problem.error(file, at.getLineNr(), at.getColumnNr(), message);
    }

    public static SourceLocation at(Path file, JsonLocation location) {
        return location == null ? new SourceLocation(file, 0, 0)
                : new SourceLocation(file, location.getLineNr(), location.getColumnNr());
    }

    private static String join(Deque<String> path, String last) {
        return path.isEmpty() ? last : String.join("/", path) + "/" + last;
    }
}
