package dev.triagerules.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Trees of records and plain values written and read back; what it cannot keep is refused, never guessed. */
class RecordTreeTest {
    private static final Path FOLDER = Path.of("some", "policy");

    enum Colour { RED, GREEN }

    record Leaf(String name, int count, long big, double share, boolean flag, Integer boxed, Colour colour) {
    }

    record Tree(List<Leaf> leaves, Map<String, Duration> timeouts, Set<String> tags, Path file, Problem warning,
            Leaf missing, Constants constant) {
        Tree {
            timeouts = new TreeMap<>(timeouts); // a compact constructor runs again on reading
        }
    }

    /** Not a record: kept only as one of its constants. */
    static final class Constants {
        public static final Constants NONE = new Constants();
    }

    record Normalising(List<String> values) {
        Normalising {
            values = values == null || values.isEmpty() ? List.of("default") : List.copyOf(values);
        }
    }

    @Test
    void recordsAndValuesReadBackEqual() throws IOException {
        Tree tree = new Tree(
                List.of(new Leaf("a", 1, 1L << 40, 0.8, true, null, Colour.GREEN),
                        new Leaf("b\u00e9\u4e2d", -1, -2, Double.NaN, false, 7, Colour.RED)),
                Map.of("slow", Duration.ofMinutes(30), "odd", Duration.ofSeconds(1, 5)),
                Set.of("x", "y"), FOLDER.resolve("classes.yaml"),
                Problem.warning(FOLDER.resolve("empty.yaml"), 2, 3, "policy file is empty"), null, Constants.NONE);
        Object back = roundTrip(tree, FOLDER, FOLDER);
        assertThat(back).isEqualTo(tree);
        assertThat(((Tree) back).constant()).isSameAs(Constants.NONE);
    }

    @Test
    void orderIsKeptAndCollectionsComeBackUnmodifiable() throws IOException {
        Map<String, Integer> ordered = new LinkedHashMap<>();
        ordered.put("z", 1);
        ordered.put("a", 2);
        List<Object> withNull = new ArrayList<>(Arrays.asList("first", null, "last"));
        @SuppressWarnings("unchecked")
        List<Object> back = (List<Object>) roundTrip(List.of(ordered, withNull), FOLDER, FOLDER);
        assertThat(List.copyOf(((Map<?, ?>) back.get(0)).keySet())).isEqualTo(List.of("z", "a"));
        assertThat(back.get(1)).isEqualTo(Arrays.asList("first", null, "last"));
        assertThatThrownBy(() -> back.add("more")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void patternsKeepTheirFlags() throws IOException {
        Pattern pattern = Pattern.compile("cargo test [a-z_]+", Pattern.CASE_INSENSITIVE);
        Pattern back = (Pattern) roundTrip(pattern, FOLDER, FOLDER);
        assertThat(back.pattern()).isEqualTo(pattern.pattern());
        assertThat(back.flags()).isEqualTo(pattern.flags());
    }

    @Test
    void pathsAreKeptByNameAndReadBackInTheFolderGiven() throws IOException {
        Path elsewhere = Path.of("/tmp", "x", "..", "policy");
        assertThat(roundTrip(List.of(FOLDER.resolve("a.yaml"), FOLDER), FOLDER, elsewhere))
                .isEqualTo(List.of(elsewhere.resolve("a.yaml"), elsewhere));
        assertThat(roundTrip(Path.of("a.yaml"), Path.of(""), Path.of("p"))).isEqualTo(Path.of("p", "a.yaml"));
    }

    @Test
    void aCompactConstructorRunsOnReading() throws IOException {
        assertThat(roundTrip(new Normalising(List.of()), FOLDER, FOLDER)).isEqualTo(new Normalising(List.of("default")));
    }

    @Test
    void whatItCannotKeepIsRefused() {
        for (Object value : List.of(new Object(), new StringBuilder("x"), List.of(new java.util.Date(0)),
                new Constants(), FOLDER.resolve("sub").resolve("a.yaml"), Path.of("/elsewhere/a.yaml"), 'c',
                new java.awt.Point(1, 2))) {
            assertThatThrownBy(() -> write(value, FOLDER)).as(String.valueOf(value))
                    .isInstanceOf(RecordTree.NotStorableException.class);
        }
    }

    @Test
    void onlyThisToolsClassesAreRebuilt() throws IOException {
        byte[] bytes = write(new Leaf("a", 1, 2, 3, true, null, Colour.RED), FOLDER);
        String ours = Leaf.class.getName();
        byte[] foreign = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace(ours, "java.util.Date" + "x".repeat(ours.length() - "java.util.Date".length()))
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> read(foreign, FOLDER)).isInstanceOf(IOException.class)
                .hasMessageContaining("is not a class of this tool");
        assertThatThrownBy(() -> read(new byte[] {99}, FOLDER)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a record tree");
        assertThatThrownBy(() -> read(Arrays.copyOf(bytes, bytes.length - 3), FOLDER)).isInstanceOf(IOException.class);
    }

    private static Object roundTrip(Object value, Path writtenIn, Path readIn) throws IOException {
        return read(write(value, writtenIn), readIn);
    }

    private static byte[] write(Object value, Path folder) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            RecordTree.write(out, value, folder);
        }
        return bytes.toByteArray();
    }

    private static Object read(byte[] bytes, Path folder) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return RecordTree.read(in, folder);
        }
    }
}
