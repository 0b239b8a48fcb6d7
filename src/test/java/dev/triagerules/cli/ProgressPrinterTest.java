package dev.triagerules.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {

    @Test
    void drawsBytesEntriesRateAndEtaInPlaceThenClears() throws InterruptedException {
        StringWriter err = new StringWriter();
        ProgressPrinter progress = new ProgressPrinter(new PrintWriter(err));
        progress.startRun("big.jsonl", 100L << 20);
        progress.update(1 << 20, 10);
        assertEquals("", err.toString(), "nothing before the first quarter second");
        Thread.sleep(300);
        progress.update(25L << 20, 1000);
        String line = err.toString();
        assertTrue(line.startsWith("\rreading: 25.0 MiB of 100.0 MiB, 1000 entries, "), line);
        assertTrue(line.contains(" MiB/s, ETA "), line);
        progress.endRun();
        assertTrue(err.toString().endsWith("\r\u001b[K"), "the line is cleared for the summary");
    }
}
