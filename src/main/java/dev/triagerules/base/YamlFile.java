package dev.triagerules.base;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A YAML file a user wrote (policy, test table), read as a tree and bound part by part, so
 * that its problems come at once: Jackson stops binding at the first unknown key or value of
 * the wrong shape, so each is reported, taken out and the rest bound again; a loader binds
 * each part (a top-level key, a test case) on its own, so that a part with a problem is left
 * out (its other checks would only repeat it) and the others are checked. A syntax error
 * ends the reading: the parser cannot go on past it.
 */
public final class YamlFile {
    private final Path file;
    private final JsonNode root;
    private final YamlLocations locations;

    private YamlFile(Path file, JsonNode root, YamlLocations locations) {
        this.file = file;
        this.root = root;
        this.locations = locations;
    }

    /** The file's tree, or null when it is not YAML (the problem, on one line, is added). */
    public static YamlFile read(ObjectMapper mapper, Path file, byte[] content, List<Problem> problems) {
        try {
            return new YamlFile(file, mapper.readTree(content), YamlLocations.of(content));
        } catch (JsonProcessingException e) {
            problems.add(syntaxError(file, e));
        } catch (IOException e) {
            problems.add(Problem.error(file, 0, 0, "cannot read: " + e.getMessage()));
        }
        return null;
    }

    /** The document; null, a missing or a null node when the file holds nothing. */
    public JsonNode root() {
        return root;
    }

    public YamlLocations locations() {
        return locations;
    }

    /** Whether the file holds no document (empty, comments only, or {@code ~}). */
    public boolean isEmpty() {
        return root == null || root.isMissingNode() || root.isNull();
    }

    /**
     * Binds the document key by key, each key a part of its own ({@link #bind}): the value
     * of the keys without a problem. A document that is not a mapping is bound whole.
     */
    public <T> T bindByKey(ObjectReader reader, Function<JsonMappingException, String> describe,
            List<Problem> problems) {
        if (!(root instanceof ObjectNode document)) {
            return bind(reader, root, "", "", describe, problems);
        }
        ObjectNode bound = document.objectNode();
        document.properties().forEach(key -> {
            ObjectNode alone = document.objectNode().set(key.getKey(), key.getValue());
            if (bind(reader, alone, "", "", describe, problems) != null) {
                bound.set(key.getKey(), key.getValue());
            }
        });
        return bind(reader, bound, "", "", describe, problems); // no problem: each of its keys bound alone
    }

    /**
     * Binds {@code node}, found at {@code path} and named {@code label} in messages
     * ({@code cases/3}, {@code cases[3]}; both empty for the document). Each unknown key and
     * each value of the wrong shape is added to {@code problems} ({@code describe} saying what
     * is wrong with a value) and taken out of the tree, and the rest bound again, so that one
     * does not hide the next; null when there was any.
     */
    public <T> T bind(ObjectReader reader, JsonNode node, String path, String label,
            Function<JsonMappingException, String> describe, List<Problem> problems) {
        boolean clean = true;
        while (true) {
            try {
                T value = reader.readValue(node);
                return clean ? value : null;
            } catch (JsonMappingException e) {
                String at = join(path, YamlLocations.path(e));
                problems.add(e instanceof UnrecognizedPropertyException unknown
                        ? YamlLocations.error(file, locations.key(at), unknownKey(unknown))
                        : YamlLocations.error(file, locations.value(at), YamlLocations.prefix(label, e)
                                + describe.apply(e)));
                clean = false;
                if (!leaveOut(node, e.getPath())) {
                    return null;
                }
            } catch (IOException e) {
                problems.add(Problem.error(file, 0, 0, "cannot read: " + e.getMessage()));
                return null;
            }
        }
    }

    /**
     * Takes the key or list element at {@code refs} out of the tree (an element becomes null,
     * so that the indices of the next ones stay as written); false if there is nothing to take.
     */
    private static boolean leaveOut(JsonNode node, List<JsonMappingException.Reference> refs) {
        if (refs.isEmpty()) {
            return false;
        }
        JsonNode parent = node;
        for (JsonMappingException.Reference ref : refs.subList(0, refs.size() - 1)) {
            parent = ref.getFieldName() != null ? parent.get(ref.getFieldName()) : parent.get(ref.getIndex());
            if (parent == null) {
                return false;
            }
        }
        JsonMappingException.Reference last = refs.get(refs.size() - 1);
        if (last.getFieldName() != null) {
            return parent instanceof ObjectNode object && object.remove(last.getFieldName()) != null;
        }
        if (parent instanceof ArrayNode array && array.has(last.getIndex()) && !array.get(last.getIndex()).isNull()) {
            array.set(last.getIndex(), NullNode.getInstance());
            return true;
        }
        return false;
    }

    private static String unknownKey(UnrecognizedPropertyException e) {
        String known = e.getKnownPropertyIds() == null ? "" : " (expected one of: "
                + e.getKnownPropertyIds().stream().map(Object::toString).sorted()
                .collect(Collectors.joining(", ")) + ")";
        return "unknown key \"" + e.getPropertyName() + "\"" + known;
    }

    /**
     * SnakeYAML's own problem at its mark: Jackson's message adds the context, the quoted
     * source and a caret over several lines, and locates it at the last token read before.
     */
    private static Problem syntaxError(Path file, JsonProcessingException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYAMLException marked) {
                Mark mark = marked.getProblemMark() != null ? marked.getProblemMark() : marked.getContextMark();
                String problem = marked.getProblem() != null ? marked.getProblem() : marked.getContext();
                String message = "invalid YAML: " + String.join(" ", String.valueOf(problem).strip().split("\\s*\n\\s*"));
                return mark == null ? Problem.error(file, 0, 0, message)
                        : Problem.error(file, mark.getLine() + 1, mark.getColumn() + 1, message);
            }
        }
        String message = String.join(" ", e.getOriginalMessage().strip().split("\\s*\n\\s*"));
        return YamlLocations.error(file, e.getLocation(), "invalid YAML: " + message);
    }

    private static String join(String path, String rest) {
        return path.isEmpty() ? rest : rest.isEmpty() ? path : path + "/" + rest;
    }
}
