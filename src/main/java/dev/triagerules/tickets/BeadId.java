package dev.triagerules.tickets;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A ticket's id comes from its incident id, so the same incident gets the same id in every
 * store: {@code <prefix>-} and the first 8 hex digits of the incident hash, lengthened two
 * digits at a time while another record already has that id.
 */
public final class BeadId {
    public static final String DEFAULT_PREFIX = "tr";
    private static final Pattern TRIAGE64 = Pattern.compile("triage64:([0-9a-f]{16})");
    private static final int SHORTEST = 8;

    private BeadId() {
    }

    public static String of(String prefix, String incidentId, Set<String> taken) {
        String hash = hash(incidentId);
        for (int length = SHORTEST; length <= hash.length(); length += 2) {
            String id = prefix + "-" + hash.substring(0, length);
            if (!taken.contains(id)) {
                return id;
            }
        }
        // Only reachable when another record carries our full-length id for another incident.
        String id = prefix + "-" + hash;
        for (int n = 2; ; n++) {
            if (!taken.contains(id + "." + n)) {
                return id + "." + n;
            }
        }
    }

    /** The hex of a triage64 id; SHA-256 of anything else (ids of other report writers). */
    static String hash(String incidentId) {
        var m = TRIAGE64.matcher(incidentId);
        if (m.matches()) {
            return m.group(1);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(incidentId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
