package dev.triagerules.replay;

import dev.triagerules.base.UserError;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where transcripts live: {@code <dir>/<incident>/attempt-<n>.json} for each attempt and
 * {@code <dir>/<incident>/replay.json} for the incident's verdict, where {@code <incident>}
 * is {@link #folderName} of the incident id ({@code triage64:1a2b} becomes
 * {@code triage64_1a2b}). One replay run at a time may use the folder: see {@link #lock()}.
 */
public final class TranscriptStore {
    public static final String VERDICT_FILE = "replay.json";
    public static final String SUMMARY_FILE = "replay-summary.json";
    /** Inside the folder, so that every run naming the folder finds the same lock. */
    public static final String LOCK_FILE = ".triage-rules-replay.lock";
    /** Longer names get a digest instead of their tail (most file systems allow 255 bytes). */
    private static final int MAX_NAME = 120;
    private static final int KEPT_BEFORE_DIGEST = 64;
    private static final String HEX = "0123456789ABCDEF";

    private final Path dir;

    public TranscriptStore(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /**
     * The folder name of an incident id, one to one: letters, digits, '.' and '-' stay, ':'
     * becomes '_', and every other byte of its UTF-8 (the '_' and '%' of the id included)
     * becomes {@code %XX} (a lone surrogate {@code %uXXXX}), so no two ids share a folder ({@code a/b}, {@code a_b} and
     * {@code a:b} give {@code a%2Fb}, {@code a%5Fb} and {@code a_b}). A leading '.' is
     * escaped too, so no name is {@code .}, {@code ..} or hidden, and so is the '.' of
     * {@value #SUMMARY_FILE} (in any case), so no folder takes the summary's default path.
     * An encoding longer than
     * 120 characters keeps its first 64 and adds {@code ~} and the SHA-256 of the whole
     * encoding ('~' never appears otherwise). The id must not be empty.
     */
    public static String folderName(String incidentId) {
        if (incidentId == null || incidentId.isEmpty()) {
            throw new IllegalArgumentException("an incident id is needed for a transcripts folder");
        }
        StringBuilder name = new StringBuilder();
        incidentId.codePoints().forEach(codePoint -> {
            if (Character.getType(codePoint) == Character.SURROGATE) {
                // A lone surrogate has no UTF-8 (it would become '?'): %uXXXX, which no byte escape looks like.
                name.append("%u").append(HexFormat.of().withUpperCase().toHexDigits((char) codePoint));
                return;
            }
            for (byte octet : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8)) {
                int b = octet & 0xff;
                boolean kept = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
                        || b == '-' || (b == '.' && name.length() > 0);
                if (kept) {
                    name.append((char) b);
                } else if (b == ':') {
                    name.append('_');
                } else {
                    name.append('%').append(HEX.charAt(b >> 4)).append(HEX.charAt(b & 0xf));
                }
            }
        });
        if (name.toString().equalsIgnoreCase(SUMMARY_FILE)) {
            // The id "replay-summary.json" took the summary's own path: the run replayed
            // everything, then failed writing the summary onto its folder.
            int dot = name.lastIndexOf(".");
            name.replace(dot, dot + 1, "%2E");
        }
        if (name.length() <= MAX_NAME) {
            return name.toString();
        }
        return name.substring(0, KEPT_BEFORE_DIGEST) + "~" + sha256(name.toString().getBytes(StandardCharsets.US_ASCII));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** A held lock on the transcripts folder; close it to let the next run in. */
    public interface Lock extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Takes the folder for this run: an exclusive lock on {@link #LOCK_FILE} inside it (the
     * folder is created). Two runs into one folder would mix their transcripts and clear
     * each other's attempts, so a second run fails at once, naming the folder, instead of
     * waiting. The lock file stays: deleting it would let a waiting run lock a file nobody
     * else sees.
     */
    public Lock lock() {
        Path lockFile = dir.resolve(LOCK_FILE);
        FileChannel channel;
        try {
            Files.createDirectories(dir);
            // Not through a link: a planted one would create its target, wherever that is.
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UserError(dir + ": cannot lock the transcripts folder: " + e.getMessage(), e);
        }
        FileLock fileLock;
        try {
            fileLock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            fileLock = null; // this JVM holds it already (another replay in the same process)
        } catch (IOException e) {
            close(channel);
            throw new UserError(dir + ": cannot lock the transcripts folder: " + e.getMessage(), e);
        }
        if (fileLock == null) {
            close(channel);
            throw new UserError(dir + ": another triage-rules replay is using this transcripts folder;"
                    + " wait for it to finish or choose another --transcripts folder");
        }
        FileLock held = fileLock;
        return () -> {
            try {
                held.release();
            } catch (IOException ignored) {
                // Closing the channel releases the lock in any case.
            }
            close(channel);
        };
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing was written through it.
        }
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
     * Why an incident's folder may not be used, or null when it may (a missing one may be
     * made). A transcripts folder may come from elsewhere (a CI artifact): an incident folder
     * that is a link would point readers at any file of the machine, and replay's clearing
     * of earlier attempts at any folder. replay makes real folders only.
     */
    public static String folderProblem(Path incidentDir) {
        String reason = reason(incidentDir, true);
        return reason == null ? null : incidentDir + " " + reason;
    }

    /**
     * Why a file in an incident's folder may not be read, said of the file ("is a symbolic
     * link, not a regular file"), or null when it may: when it is a regular file, or missing,
     * in a folder {@link #folderProblem} accepts, reached through no link (which could lead
     * anywhere), and no FIFO or device (which would block the reader or never end).
     */
    public static String fileProblem(Path file) {
        String folder = reason(file.getParent(), true);
        return folder != null ? "is in " + file.getParent() + ", which " + folder : reason(file, false);
    }

    /** What is wrong with what {@code path} names, its last name not followed; null when it is missing or as wanted. */
    private static String reason(Path path, boolean folder) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return "cannot be read: " + e.getMessage();
        }
        String wanted = folder ? "folder" : "regular file";
        if (attributes.isSymbolicLink()) {
            return "is a symbolic link, not a " + wanted;
        }
        return (folder ? attributes.isDirectory() : attributes.isRegularFile()) ? null : "is not a " + wanted;
    }

    /**
     * Removes an incident's earlier transcripts before it is replayed again, verdict first,
     * so that old attempts never count towards a new verdict.
     */
    public void clear(String incidentId) {
        Path incident = incidentDir(incidentId);
        String problem = folderProblem(incident);
        if (problem != null) {
            throw new UserError(problem + "; a transcripts folder holds its incidents' own folders");
        }
        if (!Files.isDirectory(incident, LinkOption.NOFOLLOW_LINKS)) {
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
