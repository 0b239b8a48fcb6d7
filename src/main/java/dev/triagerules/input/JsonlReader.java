package dev.triagerules.input;

import dev.triagerules.base.OrderedPipeline;
import dev.triagerules.base.UserError;
import dev.triagerules.base.VisibleText;
import java.io.InputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Streams a JSONL forensic log: memory stays bounded by a few blocks of lines, whatever
 * the size of the file.
 *
 * <p>The input is cut into blocks of whole lines ({@link LineBlocks}); each block's lines
 * are read on their own ({@link BlockParser}); with several threads, blocks are parsed in
 * parallel and their results handed over strictly in file order ({@link OrderedPipeline}),
 * so the handler sees exactly what a sequential read would show, on the calling thread.
 *
 * <p>Accepts what the upstream tool accepts (see {@link EntryParser}), blank lines
 * skipped; also CRLF endings, a UTF-8 BOM and a missing final newline. Any other line
 * stops the read with a {@link UserError} naming {@code file:line:column} and what is
 * wrong, followed by an excerpt of the line, unless {@link ReadOptions#invalidLines()}
 * takes it.
 */
public final class JsonlReader {
    private final String sourceName;
    private final InputStream in;
    private final ReadOptions options;

    public JsonlReader(String sourceName, InputStream in) {
        this(sourceName, in, ReadOptions.DEFAULT);
    }

    public JsonlReader(String sourceName, InputStream in, ReadOptions options) {
        this.sourceName = sourceName;
        this.in = in;
        this.options = options;
    }

    /** Reads every entry, in file order; returns the number of entries. */
    public long read(EntryHandler handler) {
        return read(Selection.ALL, handler, null);
    }

    /**
     * Reads the log; the handler receives the selected entries in file order on the calling
     * thread. Returns the number of entries (blank lines aside), selected or not.
     */
    public long read(Selection selection, EntryHandler handler) {
        return read(selection, handler, null);
    }

    /**
     * As {@link #read(Selection, EntryHandler)}; with {@link Selection#outcomes()},
     * {@code outcomes} also receives a record of every valid entry in file order (failed
     * ones with their reason code), on the calling thread.
     */
    public long read(Selection selection, EntryHandler handler, Consumer<EntryOutcome> outcomes) {
        if (selection.outcomes() && outcomes == null) {
            throw new IllegalArgumentException("selection wants outcomes but there is no outcome handler");
        }
        boolean skipInvalid = options.invalidLines() != null;
        int threads = options.threads();
        int maxPending = 2 * threads - 1;
        LineBlocks blocks = new LineBlocks(in, options.maxLineBytes(), skipInvalid, maxPending);
        BlockParser parser = new BlockParser(selection, options.maxLineBytes(), skipInvalid);
        Delivery delivery = new Delivery(handler, outcomes);
        ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads, JsonlReader::parserThread) : null;
        try (OrderedPipeline<BlockParser.Parsed> pipeline =
                new OrderedPipeline<>(pool, maxPending, delivery, "reading")) {
            LineBlocks.Block block;
            while ((block = nextBlock(blocks, pipeline, delivery)) != null) {
                LineBlocks.Block next = block;
                pipeline.submit(() -> {
                    BlockParser.Parsed parsed = parser.parse(next);
                    blocks.recycle(next);
                    return parsed;
                });
            }
            pipeline.drain();
            return delivery.entries;
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    /**
     * The next block; when the input breaks off, the lines before it are handed over first
     * (an invalid one among them is the error to report), then the failure names the line
     * that was being read.
     */
    private LineBlocks.Block nextBlock(LineBlocks blocks, OrderedPipeline<BlockParser.Parsed> pipeline,
            Delivery delivery) {
        try {
            return blocks.next();
        } catch (LineBlocks.ReadFailure e) {
            pipeline.drain();
            long line = delivery.lines + 1;
            throw new UserError(VisibleText.inMessage(sourceName) + ":" + line + ": " + e.problem()
                    + "; the log was read up to line " + line + " (" + e.bytesRead + " bytes)", e);
        }
    }

    /** Hands each parsed block's results over, numbering lines from the start of the file. */
    private final class Delivery implements Consumer<BlockParser.Parsed> {
        private final EntryHandler handler;
        private final Consumer<EntryOutcome> outcomes;
        long lines;
        long entries;
        long bytes;

        Delivery(EntryHandler handler, Consumer<EntryOutcome> outcomes) {
            this.handler = handler;
            this.outcomes = outcomes;
        }

        @Override
        public void accept(BlockParser.Parsed block) {
            for (int i = 0; i < block.selected.size(); i++) {
                handler.accept(block.selected.get(i), lines + block.selectedLines[i]);
            }
            if (block.outcomes != null) {
                for (EntryOutcome outcome : block.outcomes) {
                    outcomes.accept(outcome);
                }
            }
            for (InvalidLine rejected : block.rejected) {
                options.invalidLines().accept(new InvalidLine(lines + rejected.lineNumber(), rejected.column(),
                        rejected.message(), rejected.raw(), rejected.rawLength(), rejected.truncated()));
            }
            if (block.error != null) {
                throw new UserError(VisibleText.inMessage(sourceName) + ":" + (lines + block.errorLine) + ":"
                        + block.error.column + ": " + block.error.getMessage() + "\n  | " + block.error.excerpt);
            }
            lines += block.lines;
            entries += block.entries;
            bytes += block.length;
            options.progress().update(bytes, entries);
        }
    }

    private static Thread parserThread(Runnable runnable) {
        Thread thread = new Thread(runnable, "triage-rules-parser");
        thread.setDaemon(true);
        return thread;
    }
}
