package dev.triagerules.tickets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triagerules.base.AtomicOutput;
import dev.triagerules.base.ExactJson;
import dev.triagerules.base.OutputTarget;
import dev.triagerules.base.UserError;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A beads {@code issues.jsonl} file: one JSON object a line. We rewrite only the records
 * we change and append new ones; every other line goes back byte for byte, because the
 * store belongs to another tool and to the people editing it.
 *
 * <p>Read-modify-write happens under {@link #lock}: an exclusive lock on the sidecar file
 * {@code <store>.lock}, so two runs (processes or threads) take turns instead of one
 * overwriting the other's tickets. Both the lock and the rewrite use the store's real path,
 * so runs through a symlink and through the real name take turns too, and the link stays a
 * link. The rewrite itself is temp file + rename, so readers never see half a file.
 */
public final class BeadsStore {
    // Numbers pass through exactly: records we rewrite keep every value of every other field.
    static final ObjectMapper JSON = ExactJson.MAPPER;

    // FileChannel locks are per process: threads of one JVM must also queue on this.
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    /** One line as read: its bytes without the newline, and the record if it is one. */
    public record Line(byte[] raw, ObjectNode record) {
        public String externalRef() {
            return record == null ? null : textOrNull(record.get("external_ref"));
        }

        public String id() {
            return record == null ? null : textOrNull(record.get("id"));
        }

        public String status() {
            return record == null ? null : textOrNull(record.get("status"));
        }
    }

    /** What a rewrite does: replace some lines' records, append new ones at the end. */
    public record Change(Map<Integer, ObjectNode> replaced, List<ObjectNode> appended) {
        public boolean isEmpty() {
            return replaced.isEmpty() && appended.isEmpty();
        }
    }

    private BeadsStore() {
    }

    /** The store's lines; empty when the file does not exist yet. */
    public static List<Line> read(Path store) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(store);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UserError(store + ": cannot read: " + e.getMessage(), e);
        }
        List<Line> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                if (i == bytes.length && start == bytes.length) {
                    break; // the file ended with a newline (or is empty): no further line
                }
                byte[] raw = Arrays.copyOfRange(bytes, start, i);
                lines.add(new Line(raw, parse(store, lines.size() + 1, raw)));
                start = i + 1;
            }
        }
        return lines;
    }

    private static ObjectNode parse(Path store, int lineNumber, byte[] raw) {
        if (new String(raw, StandardCharsets.UTF_8).isBlank()) {
            return null; // blank lines are kept as they are
        }
        try {
            JsonNode node = JSON.readTree(raw);
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (JsonProcessingException e) {
            // reported below
        } catch (IOException e) {
            throw new UserError(store + ":" + lineNumber + ": cannot read: " + e.getMessage(), e);
        }
        // Refuse rather than guess: a damaged line might be one of our tickets, and
        // skipping it would file a duplicate.
        throw new UserError(store + ":" + lineNumber + ": not a JSON object; fix or remove the line"
                + " (nothing was written)");
    }

    /**
     * Writes {@code lines} with {@code change} applied, atomically at the store's real path
     * (see {@link AtomicOutput}: a link to the store stays a link, the store keeps its mode);
     * does nothing when the change is empty.
     */
    public static void write(Path store, List<Line> lines, Change change) {
        if (change.isEmpty()) {
            return;
        }
        AtomicOutput.write(store, out -> {
            for (int i = 0; i < lines.size(); i++) {
                ObjectNode replacement = change.replaced().get(i);
                out.write(replacement != null ? JSON.writeValueAsBytes(replacement) : lines.get(i).raw());
                out.write('\n');
            }
            for (ObjectNode record : change.appended()) {
                out.write(JSON.writeValueAsBytes(record));
                out.write('\n');
            }
        });
    }

    /** A held lock on the store; close it to let the next run in. */
    public interface Lock extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Takes the store's lock, waiting for any other run to finish. The lock is
     * {@code <real store>.lock} beside the file the store really is (symlinks followed), so a
     * run through a link and a run through the real path take the same lock. The lock file is
     * left in place afterwards: deleting it would let a waiting run lock a file nobody else sees.
     */
    public static Lock lock(Path store) {
        Path real = realPath(store);
        Path lockFile = real.resolveSibling(real.getFileName() + ".lock");
        ReentrantLock inProcess = IN_PROCESS.computeIfAbsent(lockFile, k -> new ReentrantLock());
        inProcess.lock();
        try {
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock fileLock;
            try {
                fileLock = channel.lock();
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            return () -> {
                try {
                    fileLock.release();
                    channel.close();
                } catch (IOException ignored) {
                    // Closing the channel releases the lock in any case.
                } finally {
                    inProcess.unlock();
                }
            };
        } catch (IOException e) {
            inProcess.unlock();
            throw new UserError(lockFile + ": cannot lock the store: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            inProcess.unlock();
            throw e;
        }
    }

    /**
     * The file the store really is: symlinks followed (also a link whose target does not
     * exist yet: the first run creates it there) and its folder made real; the folder is
     * created. Locking the link's name would not exclude a run that uses the real name.
     * A store is read and then rewritten, so it must be a file, not a device or pipe.
     */
    public static Path realPath(Path store) {
        OutputTarget target = OutputTarget.of(store);
        if (target.isStream()) {
            throw new UserError(store + ": a beads store must be a file (it is read, then rewritten),"
                    + " not a device or pipe");
        }
        try {
            Files.createDirectories(target.path().getParent());
        } catch (IOException e) {
            throw new UserError(store + ": cannot create its folder: " + e.getMessage(), e);
        }
        return target.path();
    }

    static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }
}
