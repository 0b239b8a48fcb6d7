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
import java.util.List;

/**
 * SHA-256 of each file of a rule or policy folder, and of the set: the digest of the
 * {@code sha256sum}-style listing ({@code <hex>  <relative path>\n} per file, sorted by
 * path), so {@code (cd rules && sha256sum a.drl b.drl) | sha256sum} reproduces it.
 */
public record FileSetDigest(String path, String sha256, List<FileDigest> files) {

    public record FileDigest(String path, String sha256) {
    }

    public static FileSetDigest of(Path dir, List<Path> files) {
        List<FileDigest> digests = new ArrayList<>();
        for (Path file : files) {
            String relative = dir.relativize(file).toString().replace('\\', '/');
            try {
                digests.add(new FileDigest(relative, sha256Hex(Files.readAllBytes(file))));
            } catch (IOException e) {
                throw new UserError(file + ": cannot read: " + e.getMessage(), e);
            }
        }
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
