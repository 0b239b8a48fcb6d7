package dev.triagerules.engine;

import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** A value as text, records component by component, so that trees holding patterns (no equals) compare. */
final class Deep {
    private Deep() {
    }

    static String describe(Object value) {
        if (value instanceof Pattern pattern) {
            return "/" + pattern.pattern() + "/" + pattern.flags();
        }
        if (value instanceof Record record) {
            StringBuilder text = new StringBuilder(record.getClass().getSimpleName()).append('(');
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                try {
                    component.getAccessor().setAccessible(true);
                    text.append(component.getName()).append('=')
                            .append(describe(component.getAccessor().invoke(record))).append(", ");
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
            return text.append(')').toString();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, String> sorted = new TreeMap<>();
            map.forEach((k, v) -> sorted.put(describe(k), describe(v)));
            return sorted.toString();
        }
        if (value instanceof Collection<?> collection) {
            return collection.stream().map(Deep::describe).collect(Collectors.joining(", ", "[", "]"));
        }
        return String.valueOf(value);
    }
}
