package dev.triagerules.base;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
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
        assertThat(locations.key("classes/oracle_infra/severity").getLineNr()).isEqualTo(3);
        assertThat(locations.key("cases/0").getLineNr()).isEqualTo(5);
        assertThat(locations.key("cases/1").getLineNr()).isEqualTo(7);
        assertThat(locations.key("cases/1/expect/colour").getLineNr()).isEqualTo(10);
        assertThat(locations.key("cases/1/expect/colour").getColumnNr()).isEqualTo(7);
        assertThat(locations.has("cases/[]/expect/colour")).isFalse();
    }

    @Test
    void locatesEveryValueTheScalarOrTheListItemItself() throws IOException {
        var locations = YamlLocations.of(write("""
                replay:
                  allow:
                    # a comment
                    - 'make test'
                    - "cargo ("
                  env: [PATH, 'A-B']
                junit:
                  scenario: "{nmae}"
                """));
        assertThat(at(locations.value("replay/allow/1"))).isEqualTo("5:7");
        assertThat(at(locations.value("replay/env/1"))).isEqualTo("6:15");
        assertThat(at(locations.key("junit/scenario"))).isEqualTo("8:3");
        assertThat(at(locations.value("junit/scenario"))).isEqualTo("8:13");
        assertThat(at(locations.value(""))).isEqualTo("1:1");
    }

    @Test
    void aPathNotInTheFileTakesTheNearestEnclosingOne() throws IOException {
        var locations = YamlLocations.of(write("junit:\n  scenario: \"{nmae}\"\n"));
        assertThat(at(locations.value("junit/scenario/0"))).as("a single value read as a list").isEqualTo("2:13");
        assertThat(at(locations.key("junit/suite"))).isEqualTo("1:1");
        assertThat(locations.has("junit/suite")).isFalse();
    }

    @Test
    void anUnknownKeyInAListElementIsReportedAtTheKeyWithThePathOfItsElement() throws IOException {
        Path file = write(YAML);
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        UnrecognizedPropertyException e = org.junit.jupiter.api.Assertions.assertThrows(
                UnrecognizedPropertyException.class, () -> mapper.readValue(file.toFile(), Table.class));
        assertThat(YamlLocations.path(e)).isEqualTo("cases/1/expect/colour");
        assertThat(YamlLocations.prefix("", e)).isEqualTo("cases[1].expect.colour: ");
        assertThat(YamlLocations.prefix("tables[2]", e)).isEqualTo("tables[2].cases[1].expect.colour: ");
        assertThat(at(YamlLocations.of(file).key(YamlLocations.path(e)))).isEqualTo("10:7");
    }

    @Test
    void aSyntaxErrorKeepsTheKeysBeforeIt() throws IOException {
        Path file = write("severity_order: [a, b]\nescalation: {a: [\n");
        assertThat(YamlLocations.of(file).has("severity_order")).isTrue();
        assertThat(YamlLocations.of(file).has("escalation")).isTrue();
    }

    private static String at(JsonLocation location) {
        return location.getLineNr() + ":" + location.getColumnNr();
    }

    private Path write(String text) throws IOException {
        Path file = dir.resolve("t.yaml");
        Files.writeString(file, text);
        return file;
    }
}
