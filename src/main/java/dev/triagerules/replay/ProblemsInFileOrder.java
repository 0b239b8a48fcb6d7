package dev.triagerules.replay;

import com.fasterxml.jackson.core.JsonLocation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * The problems found in one JSON file (a replay.json, an attempt transcript), each kept with
 * the place of the value it is about, and listed in file order whatever order they were
 * checked in: a user fixing them goes down the file once. A problem about a missing key is
 * placed at the object that lacks it (a replay.json's top level first).
 */
final class ProblemsInFileOrder {
    private record Found(int line, int column, int order, String message) {
    }

    private static final Comparator<Found> IN_FILE_ORDER = Comparator.comparingInt(Found::line)
            .thenComparingInt(Found::column).thenComparingInt(Found::order);

    private final IncidentReplay.Places places;
    private final List<Found> found = new ArrayList<>();

    ProblemsInFileOrder(IncidentReplay.Places places) {
        this.places = places;
    }

    /** Runs a check that notes its problems in the list it is given, placing them at {@code pointer}. */
    <T> T at(String pointer, Function<List<String>, T> check) {
        List<String> messages = new ArrayList<>();
        T value = check.apply(messages);
        messages.forEach(message -> add(pointer, message));
        return value;
    }

    /** One problem about the value at {@code pointer} (or, when there is none, the nearest object holding it). */
    void add(String pointer, String message) {
        JsonLocation at = null;
        for (String p = pointer; at == null; p = p.substring(0, p.lastIndexOf('/'))) {
            at = places.values().get(p);
            if (p.isEmpty()) {
                break;
            }
        }
        found.add(at == null ? new Found(0, 0, found.size(), message)
                : new Found(at.getLineNr(), at.getColumnNr(), found.size(), message));
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    int size() {
        return found.size();
    }

    /** Every problem, in file order (two at one place in the order they were found). */
    List<String> inFileOrder() {
        return found.stream().sorted(IN_FILE_ORDER).map(Found::message).toList();
    }
}
