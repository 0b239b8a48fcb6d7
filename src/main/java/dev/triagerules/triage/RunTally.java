package dev.triagerules.triage;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one run (one input) held: its entries, its failed entries (of the packet, with a
 * filter) and how many of them folded into each incident, by incident id in the order
 * first seen. What a step after the fold needs per run, e.g. an incident ledger.
 */
public record RunTally(String input, long entries, long failures, Map<String, Long> incidentOccurrences) {
    public RunTally {
        incidentOccurrences = Collections.unmodifiableMap(new LinkedHashMap<>(incidentOccurrences));
    }
}
