package dev.triagerules.input;

/** Told on the reading thread, after each block, how far a read has come. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (bytes, entries) -> { };

    void update(long bytesRead, long entriesRead);
}
