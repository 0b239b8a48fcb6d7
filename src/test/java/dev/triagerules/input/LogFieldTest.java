package dev.triagerules.input;

import static org.assertj.core.api.Assertions.assertThat;

import dev.triagerules.base.Unsigned128;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The schema is defined once: {@link LogEntry}'s components are the {@link LogField}s, in order. */
class LogFieldTest {

    @Test
    void logEntryHasOneComponentPerFieldInSchemaOrder() {
        List<String> components = Arrays.stream(LogEntry.class.getRecordComponents())
                .map(RecordComponent::getName).toList();
        List<String> fields = Arrays.stream(LogField.values()).map(field -> camelCase(field.jsonName())).toList();
        assertThat(components).isEqualTo(fields);
    }

    @Test
    void componentTypesFollowTheFieldKinds() {
        RecordComponent[] components = LogEntry.class.getRecordComponents();
        for (LogField field : LogField.values()) {
            Class<?> expected = switch (field.kind()) {
                case STRING -> String.class;
                case UNSIGNED_64 -> long.class;
                case UNSIGNED_128 -> Unsigned128.class;
                case STRING_LIST -> List.class;
            };
            assertThat(components[field.ordinal()].getType()).as(field.jsonName()).isEqualTo(expected);
        }
    }

    @Test
    void onlyPassIsNotAFailure() {
        assertThat(LogEntry.isFailure("pass")).isFalse();
        assertThat(LogEntry.isFailure("fail")).isTrue();
        assertThat(LogEntry.isFailure("PASS")).isTrue();
        assertThat(LogEntry.isFailure("pass ")).isTrue();
        assertThat(LogEntry.isFailure("")).isTrue();
    }

    private static String camelCase(String snake) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
