package dev.triagerules.replay;

import dev.triagerules.base.UserError;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where transcripts live: {@code <dir>/<incident>/attempt-<n>.json} for each attempt and
 * {@code <dir>/<incident>/replay.json} for the incident's verdict, where {@code <incident>}
 * is the incident id with every character other than letters, digits, '.', '-' and '_'
 * replaced by '_' ({@code triage64:1a2b} becomes {@code triage64_1a2b}).
 */
public final class TranscriptStore {
    public static final String VERDICT_FILE = "replay.json";
    public static final String SUMMARY_FILE = "replay-summary.json";

    private final Path dir;

    public TranscriptStore(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    public static String folderName(String incidentId) {
        String safe = incidentId.replaceAll("[^A-Za-z0-9._-]", "_");
        // "." and ".." would leave the transcripts folder.
        return safe.chars().allMatch(c -> c == '.') ? safe.replace('.', '_') : safe;
    }

    public Path incidentDir(String incidentId) {
        return dir.resolve(folderName(incidentId));
    }

    public Path attemptFile(String incidentId, int attempt) {
        return incidentDir(incidentId).resolve(attemptFileName(attempt));
    }

    public static String attemptFileName(int attempt) {
        return "attempt-" + attempt + ".json";
    }

    public Path verdictFile(String incidentId) {
        return incidentDir(incidentId).resolve(VERDICT_FILE);
    }

    public Path defaultSummary() {
        return dir.resolve(SUMMARY_FILE);
    }

    /**
     * Removes an incident's earlier transcripts before it is replayed again, verdict first,
     * so that old attempts never count towards a new verdict.
     */
    public void clear(String incidentId) {
        Path incident = incidentDir(incidentId);
        if (!Files.isDirectory(incident)) {
            return;
        }
        try {
            Files.deleteIfExists(incident.resolve(VERDICT_FILE));
            try (DirectoryStream<Path> attempts = Files.newDirectoryStream(incident, "attempt-*.json")) {
                for (Path attempt : attempts) {
                    Files.deleteIfExists(attempt);
                }
            }
        } catch (IOException e) {
            throw new UserError(incident + ": cannot remove earlier transcripts: " + e.getMessage(), e);
        }
    }
}
