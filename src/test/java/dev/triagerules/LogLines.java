package dev.triagerules;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Builds log lines for tests: a valid entry with the fields a test cares about changed. */
public final class LogLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LogLines() {
    }

    public static String entry(String scenario, String outcome, String reasonCode) {
        return entry("FT-P2C-002", scenario, "strict", outcome, reasonCode, 7);
    }

    public static String entry(String packet, String scenario, String mode, String outcome, String reasonCode,
            long seed) {
        ObjectNode node = JSON.createObjectNode();
        node.put("schema_version", "ft-conformance-log-v1");
        node.put("ts_unix_ms", 1771275651615L);
        node.put("suite_id", "dispatch_key");
        node.put("scenario_id", scenario);
        node.put("fixture_id", "dispatch_key_cases.json");
        node.put("packet_id", packet);
        node.put("mode", mode);
        node.put("seed", seed);
        node.put("env_fingerprint", "det64:1a5adcb7cc17c7fa");
        node.putArray("artifact_refs").add("artifacts/" + packet + "/parity_report.json");
        node.put("replay_command", "cargo test -p ft-conformance " + scenario);
        node.put("outcome", outcome);
        node.put("reason_code", reasonCode);
        return node.toString();
    }

    public static Path write(Path file, List<String> lines) {
        try {
            Files.write(file, lines);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
