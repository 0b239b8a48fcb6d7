package dev.triagerules.input;

import dev.triagerules.base.UserError;
import dev.triagerules.base.VisibleText;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/** A JSONL forensic log as one run: a file (gzip read transparently) or {@code -} for stdin. */
public final class JsonlRun implements RunSource {
    private final String input;

    /** @param input a path, or {@link InputOpener#STDIN} */
    public JsonlRun(String input) {
        this.input = input;
    }

    @Override
    public String name() {
        return input;
    }

    @Override
    public Optional<Path> file() {
        return InputOpener.STDIN.equals(input) ? Optional.empty() : Optional.of(Path.of(input));
    }

    /** The file's size; 0 for stdin and gzip (whose size says little about what is read). */
    @Override
    public long sizeHint() {
        try {
            Path path = Path.of(input);
            return InputOpener.STDIN.equals(input) || input.endsWith(".gz") || !Files.isRegularFile(path) ? 0
                    : Files.size(path);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    @Override
    public long read(Selection selection, ReadOptions options, EntryHandler entries,
            Consumer<EntryOutcome> outcomes) {
        try (InputStream in = InputOpener.open(input)) {
            return new JsonlReader(input, in, options).read(selection, entries, outcomes);
        } catch (IOException e) {
            throw new UserError(VisibleText.inMessage(input) + ": cannot read: "
                    + VisibleText.inMessage(e.getMessage()), e);
        }
    }

    @Override
    public String toString() {
        return input;
    }
}
