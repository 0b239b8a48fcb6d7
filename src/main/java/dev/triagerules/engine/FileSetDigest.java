package dev.triagerules.engine;

import dev.triagerules.base.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SHA-256 of each file of a rule or policy folder, and of the set: the digest of the
 * {@code sha256sum}-style listing ({@code <hex>  <relative path>\n} per file, sorted by
 * path), so {@code (cd rules && sha256sum a.drl b.drl) | sha256sum} reproduces it.
 */
public record FileSetDigest(String path, String sha256, List<FileDigest> files) {

    public record FileDigest(String path, String sha256) {
    }

    public static FileSetDigest of(Path dir, List<Path> files) {
        Map<Path, byte[]> contents = new LinkedHashMap<>();
        for (Path file : files) {
            try {
                contents.put(file, Files.readAllBytes(file));
            } catch (IOException e) {
                throw new UserError(file + ": cannot read: " + e.getMessage(), e);
            }
        }
        return ofContents(dir, contents);
    }

    /** The digest of files already read: file to its bytes. */
    public static FileSetDigest ofContents(Path dir, Map<Path, byte[]> contents) {
        List<FileDigest> digests = new ArrayList<>();
        contents.forEach((file, bytes) ->
                digests.add(new FileDigest(dir.relativize(file).toString().replace('\\', '/'), sha256Hex(bytes))));
        digests.sort(Comparator.comparing(FileDigest::path));
        StringBuilder listing = new StringBuilder();
        for (FileDigest digest : digests) {
            listing.append(digest.sha256()).append("  ").append(digest.path()).append('\n');
        }
        return new FileSetDigest(dir.toString(), sha256Hex(listing.toString().getBytes(StandardCharsets.UTF_8)),
                List.copyOf(digests));
    }

    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
