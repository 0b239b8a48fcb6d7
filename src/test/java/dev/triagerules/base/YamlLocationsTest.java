package dev.triagerules.base;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one YAML-with-locations helper of policy files and test tables: every key and list element located. */
class YamlLocationsTest {
    private static final String YAML = """
            classes:
              oracle_infra:
                severity: medium
            cases:
              - name: first
                expect: {class: a}
              - name: second
                expect:
                  class: b
                  colour: red
            """;

    @TempDir
    Path dir;

    record Expect(@JsonProperty("class") String crashClass) {
    }

    record Case(@JsonProperty("name") String name, @JsonProperty("expect") Expect expect) {
    }

    record Table(@JsonProperty("classes") Map<String, Map<String, String>> classes,
            @JsonProperty("cases") List<Case> cases) {
    }

    @Test
    void locatesKeysAndListElementsByIndex() throws IOException {
        Path file = write(YAML);
        var locations = YamlLocations.of(file);
        assertThat(locations.get("classes/oracle_infra/severity").getLineNr()).isEqualTo(3);
        assertThat(locations.get("cases/0").getLineNr()).isEqualTo(5);
        assertThat(locations.get("cases/1").getLineNr()).isEqualTo(7);
        assertThat(locations.get("cases/1/expect/colour").getLineNr()).isEqualTo(10);
        assertThat(locations.get("cases/1/expect/colour").getColumnNr()).isEqualTo(7);
        assertThat(locations).doesNotContainKey("cases/[]/expect/colour");
    }

    @Test
    void anUnknownKeyInAListElementIsReportedAtTheKeyWithThePathOfItsElement() throws IOException {
        Path file = write(YAML);
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        UnrecognizedPropertyException e = org.junit.jupiter.api.Assertions.assertThrows(
                UnrecognizedPropertyException.class, () -> mapper.readValue(file.toFile(), Table.class));
        assertThat(YamlLocations.path(e)).isEqualTo("cases/1/expect/colour");
        assertThat(YamlLocations.prefix(e)).isEqualTo("cases[1].expect.colour: ");
        assertThat(YamlLocations.unknownKey(file, e).toString())
                .isEqualTo(file + ":10:7: error: unknown key \"colour\" (expected one of: class)");
    }

    @Test
    void aSyntaxErrorKeepsTheKeysBeforeIt() throws IOException {
        Path file = write("severity_order: [a, b]\nescalation: {a: [\n");
        assertThat(YamlLocations.of(file)).containsKeys("severity_order", "escalation");
    }

    private Path write(String text) throws IOException {
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, text);
        return file;
    }
}
