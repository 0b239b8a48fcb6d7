package dev.triagerules.base;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
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
 * streaming pass finds where each key, list element and value starts.
 *
 * <p>Paths name keys and list indices joined by {@code /}: {@code classes/x/owner_hint},
 * {@code cases/3} (the element's first token), {@code cases/3/expect}; the whole document is
 * {@code ""}.
 */
public final class YamlLocations {
    private static final JsonFactory YAML = new YAMLFactory();

    /** Where each key starts; for a list element, where the element starts. */
    private final Map<String, JsonLocation> keys;
    /** Where each value starts: the scalar, or the first token of a mapping or list. */
    private final Map<String, JsonLocation> values;

    private YamlLocations(Map<String, JsonLocation> keys, Map<String, JsonLocation> values) {
        this.keys = keys;
        this.values = values;
    }

    /** The locations of a file; empty parts past a syntax error. */
    public static YamlLocations of(Path file) {
        try (JsonParser p = YAML.createParser(file.toFile())) {
            return of(p);
        } catch (IOException e) {
            return new YamlLocations(Map.of(), Map.of()); // the binding pass reports why the file cannot be read
        }
    }

    /** As {@link #of(Path)}, for a file's content already read. */
    public static YamlLocations of(byte[] content) {
        try (JsonParser p = YAML.createParser(content)) {
            return of(p);
        } catch (IOException e) {
            return new YamlLocations(Map.of(), Map.of());
        }
    }

    private static YamlLocations of(JsonParser p) {
        Map<String, JsonLocation> keys = new HashMap<>();
        Map<String, JsonLocation> values = new HashMap<>();
        try {
            Deque<String> path = new ArrayDeque<>(); // segments of the container we are in
            Deque<int[]> arrayIndex = new ArrayDeque<>(); // next element index, per open container
            Deque<Boolean> inArray = new ArrayDeque<>();
            String pendingKey = null;
            JsonToken token;
            while ((token = p.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME) {
                    pendingKey = p.currentName();
                    keys.putIfAbsent(join(path, pendingKey), p.currentTokenLocation());
                    continue;
                }
                String segment = null;
                if (!inArray.isEmpty() && inArray.peek()) {
                    segment = String.valueOf(arrayIndex.peek()[0]++);
                    keys.putIfAbsent(join(path, segment), p.currentTokenLocation());
                } else if (pendingKey != null) {
                    segment = pendingKey;
                }
                pendingKey = null;
                if (!token.isStructEnd()) {
                    values.putIfAbsent(segment == null ? "" : join(path, segment), p.currentTokenLocation());
                }
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
        return new YamlLocations(keys, values);
    }

    /**
     * Where the key at {@code path} starts (for a list element, the element); a path not in
     * the file (a key left out, a single value read as a list) takes the nearest enclosing
     * one. Null when nothing encloses it.
     */
    public JsonLocation key(String path) {
        return nearest(keys, path);
    }

    /** Where the value at {@code path} starts, or the nearest enclosing one, as {@link #key}. */
    public JsonLocation value(String path) {
        return nearest(values, path);
    }

    /** Whether the file has a key or list element at {@code path}. */
    public boolean has(String path) {
        return keys.containsKey(path);
    }

    /** Where {@code problem} is: at its entry's key or at its value. */
    public JsonLocation of(EntryProblem problem) {
        return problem.aboutKey() ? key(problem.path()) : value(problem.path());
    }

    private static JsonLocation nearest(Map<String, JsonLocation> locations, String path) {
        String at = path;
        while (true) {
            JsonLocation location = locations.get(at);
            if (location != null || at.isEmpty()) {
                return location;
            }
            int slash = at.lastIndexOf('/');
            at = slash < 0 ? "" : at.substring(0, slash);
        }
    }

    /** The path of a binding error, as {@link #of} spells it: {@code cases/3/expect/colour}. */
    public static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : String.valueOf(ref.getIndex()))
                .collect(Collectors.joining("/"));
    }

    /**
     * The path of a binding error as a message starts with it, {@code cases[3].expect: }, after
     * {@code label}, the name of the part that was bound ({@code cases[3]}, or empty for the
     * document); empty at the top.
     */
    public static String prefix(String label, JsonMappingException e) {
        String path = label + e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? "." + ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining());
        path = path.startsWith(".") ? path.substring(1) : path;
        return path.isEmpty() ? "" : path + ": ";
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
