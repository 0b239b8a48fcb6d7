package dev.triagerules.engine;

import java.nio.charset.StandardCharsets;

/**
 * The upstream incident id: {@code "triage64:"} and 16 hex digits of a 64-bit FNV-1a
 * variant over the UTF-8 bytes of each part, with {@code 0xff} mixed in after each part
 * so that ("ab","c") and ("a","bc") differ.
 */
public final class IncidentId {
    private static final long OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private IncidentId() {
    }

    /** The prefix of ids made from masked reason codes, so they never equal an upstream id. */
    public static final String MASKED_PREFIX = "triage64m:";

    public static String of(String packetId, String suiteId, String scenarioId, String mode, String reasonCode,
            String crashClass) {
        return "triage64:" + hex(packetId, suiteId, scenarioId, mode, reasonCode, crashClass);
    }

    /**
     * The id of an incident folded by masked reason code: the same hash over the masked
     * code, under {@link #MASKED_PREFIX}.
     */
    public static String masked(String packetId, String suiteId, String scenarioId, String mode,
            String maskedReasonCode, String crashClass) {
        return MASKED_PREFIX + hex(packetId, suiteId, scenarioId, mode, maskedReasonCode, crashClass);
    }

    private static String hex(String packetId, String suiteId, String scenarioId, String mode, String reasonCode,
            String crashClass) {
        long hash = OFFSET_BASIS;
        for (String part : new String[] {packetId, suiteId, scenarioId, mode, reasonCode, crashClass}) {
            for (byte b : part.getBytes(StandardCharsets.UTF_8)) {
                hash = (hash ^ (b & 0xff)) * PRIME;
            }
            hash = (hash ^ 0xff) * PRIME;
        }
        String hex = Long.toHexString(hash);
        return "0".repeat(16 - hex.length()) + hex;
    }
}
