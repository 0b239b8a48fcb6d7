package dev.triagerules.input.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class FieldTemplateTest {
    private static final Function<String, String> VALUES = Map.of("classname", "demo.A", "name", "t[1]",
            "property:seed", "7", "file", "")::get;

    @Test
    void placeholdersPropertiesAndBraces() {
        assertThat(FieldTemplate.parse("{classname}#{name} {property:seed} {{}x{}}").render(VALUES, v -> v))
                .isEqualTo("demo.A#t[1] 7 {x}");
    }

    @Test
    void aMissingOrEmptyValueMakesTheTemplateIncompleteSoTheNextIsTried() {
        List<FieldTemplate> templates = FieldTemplate.parseAll(List.of("{file}::{name}", "{property:packet}",
                "{classname}"));
        assertThat(FieldTemplate.first(templates, VALUES, v -> v)).isEqualTo("demo.A");
        assertThat(FieldTemplate.first(FieldTemplate.parseAll(List.of("{file}")), VALUES, v -> v)).isNull();
    }

    @Test
    void anEncoderThatRefusesAValueMakesTheTemplateIncomplete() {
        assertThat(FieldTemplate.parse("run {name}").render(VALUES, v -> null)).isNull();
        assertThat(FieldTemplate.parse("run {name}").render(VALUES, v -> "<" + v + ">")).isEqualTo("run <t[1]>");
    }

    @Test
    void badTemplatesSayWhatIsWrong() {
        assertThatThrownBy(() -> FieldTemplate.parse("{nope}")).hasMessageStartingWith("unknown placeholder {nope}");
        assertThatThrownBy(() -> FieldTemplate.parse("{name")).hasMessageStartingWith("unclosed {");
        assertThatThrownBy(() -> FieldTemplate.parse("a}")).hasMessageStartingWith("unopened }");
        assertThatThrownBy(() -> FieldTemplate.parse("{property:}")).hasMessageStartingWith("unknown placeholder");
    }
}
