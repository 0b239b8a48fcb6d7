package dev.triagerules.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.triagerules.base.UserError;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Folder names of incident ids (one to one, never leaving the folder) and the folder lock. */
class TranscriptStoreTest {
    private static final List<String> HOSTILE_IDS = List.of(
            "a/b", "a_b", "a:b", "a%2Fb", "a%5Fb", ".", "..", "../x", "../../etc/passwd", "/abs", "a/../../b",
            ".hidden", "a\u0000b", "a\nb", "-rf", "~", "a~b", "A:B", "ｃａｒｇｏ", "é", "e\u0301", " ", "a b", "\uD800", "\uDC00x",
            "x".repeat(5000), "x".repeat(5000) + "y", "\\", "a\\b", "con", "*", "?", "$(id)", "`id`");

    @TempDir
    Path dir;

    @Test
    void realIdsStayReadable() {
        assertEquals("triage64_269b823b00845adb", TranscriptStore.folderName("triage64:269b823b00845adb"));
        assertEquals("i_chatty", TranscriptStore.folderName("i:chatty"));
        assertEquals("bd-3v0.7", TranscriptStore.folderName("bd-3v0.7"));
    }

    @Test
    void hostileIdsGetDistinctNamesInsideTheFolder() {
        Set<String> names = new HashSet<>();
        for (String id : HOSTILE_IDS) {
            String name = TranscriptStore.folderName(id);
            assertSafe(name, id);
            assertTrue(names.add(name), () -> "two ids share " + name);
        }
        assertEquals("a%2Fb", TranscriptStore.folderName("a/b"));
        assertEquals("a%5Fb", TranscriptStore.folderName("a_b"));
        assertEquals("a_b", TranscriptStore.folderName("a:b"));
        assertEquals("%2E.", TranscriptStore.folderName(".."));
        // Not the summary's default path, in any case (one name on macOS).
        assertEquals("replay-summary%2Ejson", TranscriptStore.folderName(TranscriptStore.SUMMARY_FILE));
        assertEquals("Replay-Summary%2EJSON", TranscriptStore.folderName("Replay-Summary.JSON"));
        assertEquals("replay-summary%252Ejson", TranscriptStore.folderName("replay-summary%2Ejson"));
        assertEquals(TranscriptStore.SUMMARY_FILE, decode(TranscriptStore.folderName(TranscriptStore.SUMMARY_FILE)));
        assertThrows(IllegalArgumentException.class, () -> TranscriptStore.folderName(""));
    }

    @Property(tries = 2000)
    void everyShortNameDecodesBackToItsId(@ForAll @StringLength(min = 1, max = 12) String id) {
        String name = TranscriptStore.folderName(id);
        assertSafe(name, id);
        assertEquals(id, decode(name), name);
    }

    @Property(tries = 300)
    void longIdsGetBoundedDistinctNames(@ForAll @StringLength(min = 100, max = 400) String id) {
        String name = TranscriptStore.folderName(id);
        assertSafe(name, id);
        assertNotEquals(name, TranscriptStore.folderName(id + "x"));
    }

    private void assertSafe(String name, String id) {
        assertFalse(name.isEmpty() || name.equals(".") || name.equals("..") || name.startsWith("."), id);
        assertTrue(name.length() <= 130 && name.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '/'
                && c != '\\'), () -> name + " from " + id);
        Path folder = Path.of("/transcripts");
        assertEquals(folder, folder.resolve(name).normalize().getParent(), id);
    }

    /** The inverse of folderName for names without a digest: proof that it is one to one. */
    private static String decode(String name) {
        StringBuilder decoded = new StringBuilder();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '%' && name.charAt(i + 1) == 'u') {
                decoded.append(bytes.toString(StandardCharsets.UTF_8));
                bytes.reset();
                decoded.append((char) Integer.parseInt(name.substring(i + 2, i + 6), 16));
                i += 5;
            } else if (c == '%') {
                bytes.write(Integer.parseInt(name.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                bytes.write(c == '_' ? ':' : c);
            }
        }
        return decoded.append(bytes.toString(StandardCharsets.UTF_8)).toString();
    }

    @Test
    void aSecondLockInTheSameProcessFailsNamingTheFolder() {
        TranscriptStore store = new TranscriptStore(dir.resolve("t"));
        try (TranscriptStore.Lock first = store.lock()) {
            UserError e = assertThrows(UserError.class, () -> new TranscriptStore(dir.resolve("t")).lock());
            assertTrue(e.getMessage().startsWith(dir.resolve("t") + ": another triage-rules replay is using"),
                    e.getMessage());
        }
        store.lock().close(); // free again once the first run is done
    }

    @Test
    @Timeout(60)
    void aLockHeldByAnotherProcessFailsFast() throws Exception {
        Path folder = dir.resolve("t");
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), folder.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            assertEquals("locked", out.readLine());
            long start = System.nanoTime();
            UserError e = assertThrows(UserError.class, () -> new TranscriptStore(folder).lock());
            assertTrue(e.getMessage().contains("another triage-rules replay is using this transcripts folder"));
            assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) < 2, "fails fast");
        } finally {
            holder.destroyForcibly();
            holder.waitFor();
        }
        new TranscriptStore(folder).lock().close(); // the holder's death released it
    }

    /** Holds a transcripts folder's lock until killed. */
    public static final class LockHolder {
        public static void main(String[] args) throws InterruptedException {
            TranscriptStore.Lock lock = new TranscriptStore(Path.of(args[0])).lock();
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(120_000);
            lock.close();
        }
    }
}
