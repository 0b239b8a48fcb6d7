package dev.triagerules.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A port of {@code shared/tools/golden-diff}: how conformance is judged. */
final class GoldenDiff {
    private static final Set<String> IGNORED = Set.of("generated_unix_ms", "input_log_path");

    private GoldenDiff() {
    }

    /** The first difference, or null when {@code ours} agrees with {@code ref}. */
    static String diff(JsonNode ours, JsonNode ref, String path) {
        if (ref.isObject()) {
            if (!ours.isObject()) {
                return path + ": expected an object, got " + ours;
            }
            List<String> keys = new ArrayList<>();
            ref.fieldNames().forEachRemaining(k -> {
                if (!(IGNORED.contains(k) && path.equals("$"))) {
                    keys.add(k);
                }
            });
            List<String> order = new ArrayList<>();
            ours.fieldNames().forEachRemaining(k -> {
                if (keys.contains(k)) {
                    order.add(k);
                }
            });
            if (!order.equals(keys)) {
                return path + ": key order " + order + " != " + keys;
            }
            for (String key : keys) {
                String d = diff(ours.get(key), ref.get(key), path + "." + key);
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (ref.isArray()) {
            if (!ours.isArray() || ours.size() != ref.size()) {
                return path + ": expected " + ref.size() + " items, got " + ours;
            }
            for (int i = 0; i < ref.size(); i++) {
                String d = diff(ours.get(i), ref.get(i), path + "[" + i + "]");
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        // Numbers compare as exact integers (seeds and timestamps exceed 2^63).
        if (ref.isIntegralNumber() && ours.isIntegralNumber()) {
            return ref.bigIntegerValue().equals(ours.bigIntegerValue()) ? null
                    : path + ": got " + ours + ", expected " + ref;
        }
        return ref.equals(ours) ? null : path + ": got " + ours + ", expected " + ref;
    }
}
