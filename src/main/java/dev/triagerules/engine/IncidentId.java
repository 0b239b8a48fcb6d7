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

    public static String of(String packetId, String suiteId, String scenarioId, String mode, String reasonCode,
            String crashClass) {
        long hash = OFFSET_BASIS;
        for (String part : new String[] {packetId, suiteId, scenarioId, mode, reasonCode, crashClass}) {
            for (byte b : part.getBytes(StandardCharsets.UTF_8)) {
                hash = (hash ^ (b & 0xff)) * PRIME;
            }
            hash = (hash ^ 0xff) * PRIME;
        }
        String hex = Long.toHexString(hash);
        return "triage64:" + "0".repeat(16 - hex.length()) + hex;
    }
}
