package dev.triagerules.tickets;

import static dev.triagerules.report.ReportFixtures.incident;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.triagerules.base.UserError;
import dev.triagerules.report.ReportFile;
import dev.triagerules.report.ReportFixtures;
import dev.triagerules.report.ReportedIncident;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TicketSyncTest {
    private static final Instant T1 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-03-02T11:30:00Z");
    private static final List<String> SEVERITIES = List.of("critical", "high", "medium", "low");

    @TempDir
    Path dir;

    private TicketPlan run(Path report, Instant now, int maxNew) {
        return new TicketSync("tr", maxNew, SEVERITIES, Clock.fixed(now, ZoneOffset.UTC))
                .sync(store(), readComplete(report), false);
    }

    private static List<ReportedIncident> readComplete(Path report) {
        return TicketIncidents.requireComplete(ReportFile.read(report)).incidents();
    }

    private Path store() {
        return dir.resolve(".beads/issues.jsonl");
    }

    private List<ObjectNode> records() {
        return BeadsStore.read(store()).stream().map(BeadsStore.Line::record).filter(r -> r != null).toList();
    }

    private ObjectNode ticketOf(int n) {
        List<ObjectNode> matching = records().stream()
                .filter(r -> ReportFixtures.id(n).equals(r.path("external_ref").asText())).toList();
        assertEquals(1, matching.size(), "exactly one ticket for incident " + n);
        return matching.get(0);
    }

    private static List<String> labels(JsonNode record) {
        List<String> labels = new ArrayList<>();
        record.path("labels").forEach(l -> labels.add(l.asText()));
        return labels;
    }

    private Path report(String name, ObjectNode... incidents) {
        return ReportFixtures.write(dir.resolve(name), List.of(incidents));
    }

    @Test
    void createsOneBeadPerIncidentWithRoutingAndReplayDetails() {
        Path report = report("a.json", incident(1, "critical", "ft-autograd-owners", 5, 1_771_000_000_000L),
                incident(2, "high", "ft-dispatch-owners", 2, 1_771_000_000_500L));

        TicketPlan plan = run(report, T1, 20);

        assertEquals(2, plan.of(TicketPlan.Kind.CREATE).size());
        ObjectNode critical = ticketOf(1);
        assertEquals("tr-" + ReportFixtures.id(1).substring(9, 17), critical.get("id").asText());
        assertEquals("open", critical.get("status").asText());
        assertEquals(0, critical.get("priority").asInt());
        assertEquals("bug", critical.get("issue_type").asText());
        assertEquals("ft-autograd-owners", critical.get("assignee").asText());
        assertEquals("2026-03-01T10:00:00Z", critical.get("created_at").asText());
        assertEquals("2026-03-01T10:00:00Z", critical.get("updated_at").asText());
        assertEquals(List.of("triage-rules", "class:autograd_state", "severity:critical", "packet:FT-P2C-001",
                "mode:strict"), labels(critical));
        String description = critical.get("description").asText();
        assertTrue(description.contains("cargo test -p ft-conformance case_1 -- --nocapture"), description);
        assertTrue(description.contains("- Seed: `" + ReportFixtures.BIG_SEED + "`"), description);
        assertTrue(description.contains("- Env fingerprint: `det64:1a5adcb7cc17c7fa`"), description);
        assertTrue(description.contains("- Occurrences: 5"), description);
        assertTrue(description.contains("(unix ms 1771000000000)"), description);
        assertTrue(description.contains("artifacts/phase2c/case_1.json"), description);
        assertTrue(description.contains("- Escalation: escalate immediately"), description);
        assertTrue(description.contains("- Linked bead: bd-3v0.7"), description);

        ObjectNode high = ticketOf(2);
        assertEquals(1, high.get("priority").asInt());
        assertTrue(high.get("description").asText().contains("- Escalation: none"));
        assertFalse(high.get("description").asText().contains("Linked bead"));
    }

    @Test
    void rerunningTheSameReportChangesNothing() throws IOException {
        Path report = report("a.json", incident(1, "critical", "o1", 5, 1000), incident(2, "high", "o2", 2, 2000));
        run(report, T1, 20);
        byte[] before = Files.readAllBytes(store());

        TicketPlan again = run(report, T2, 20);

        assertEquals(2, again.of(TicketPlan.Kind.UNCHANGED).size());
        assertArrayEquals(before, Files.readAllBytes(store()), "no duplicates, not even a new updated_at");
    }

    @Test
    void newerReportUpdatesOccurrencesLastSeenAndUpdatedAtButKeepsWhatPeopleSet() throws IOException {
        run(report("a.json", incident(1, "high", "o1", 2, 1000)), T1, 20);
        // A person takes the ticket and adds a label of their own.
        ObjectNode edited = ticketOf(1);
        edited.put("status", "in_progress");
        edited.put("assignee", "alice");
        edited.withArray("labels").add("needs-repro");
        Files.writeString(store(), BeadsStore.JSON.writeValueAsString(edited) + "\n");

        TicketPlan plan = run(report("b.json", incident(1, "high", "o1", 7, 5000)), T2, 20);

        assertEquals(1, plan.of(TicketPlan.Kind.UPDATE).size());
        assertEquals(1, records().size());
        ObjectNode ticket = ticketOf(1);
        assertTrue(ticket.get("description").asText().contains("- Occurrences: 7"));
        assertTrue(ticket.get("description").asText().contains("(unix ms 5000)"));
        assertEquals("2026-03-02T11:30:00Z", ticket.get("updated_at").asText());
        assertEquals("2026-03-01T10:00:00Z", ticket.get("created_at").asText());
        assertEquals("in_progress", ticket.get("status").asText());
        assertEquals("alice", ticket.get("assignee").asText());
        assertTrue(labels(ticket).contains("needs-repro"));
    }

    @Test
    void aNewerRunWithFewerOccurrencesIsTakenAsCurrentButAnOlderReportIsIgnored() {
        run(report("a.json", incident(1, "high", "o1", 9, 5000)), T1, 20);

        run(report("b.json", incident(1, "high", "o1", 3, 6000)), T2, 20);
        assertTrue(ticketOf(1).get("description").asText().contains("- Occurrences: 3"));

        TicketPlan old = run(report("c.json", incident(1, "high", "o1", 50, 4000)), T2, 20);
        assertEquals(TicketPlan.Kind.UNCHANGED, old.actions().get(0).kind());
        assertTrue(ticketOf(1).get("description").asText().contains("(unix ms 6000)"));
    }

    @Test
    void aClosedTicketStaysClosedForTheSameReportAndIsReopenedAsARegressionWhenTheIncidentRecurs()
            throws IOException {
        Path first = report("a.json", incident(1, "high", "o1", 2, 1000));
        run(first, T1, 20);
        ObjectNode closed = ticketOf(1);
        closed.put("status", "closed");
        closed.put("closed_at", "2026-03-01T12:00:00Z");
        Files.writeString(store(), BeadsStore.JSON.writeValueAsString(closed) + "\n");

        assertEquals(TicketPlan.Kind.UNCHANGED, run(first, T2, 20).actions().get(0).kind());
        assertEquals("closed", ticketOf(1).get("status").asText());

        TicketPlan recur = run(report("b.json", incident(1, "high", "o1", 1, 9000)), T2, 20);

        assertEquals(TicketPlan.Kind.REOPEN, recur.actions().get(0).kind());
        ObjectNode reopened = ticketOf(1);
        assertEquals("open", reopened.get("status").asText());
        assertNull(reopened.get("closed_at"));
        assertTrue(labels(reopened).contains("regression"));
        assertEquals("2026-03-02T11:30:00Z", reopened.get("updated_at").asText());
        assertEquals(1, records().size());
        // And it settles: the same report again is a no-op.
        byte[] settled = Files.readAllBytes(store());
        run(report("b.json", incident(1, "high", "o1", 1, 9000)), T2, 20);
        assertArrayEquals(settled, Files.readAllBytes(store()));
    }

    @Test
    void foreignRecordsAreKeptByteForByte() throws IOException {
        String foreign1 = "{ \"title\" : \"Fix the fuser — ünïcødé ✓\",  \"id\":\"bd-1\", \"status\":\"open\","
                + "\"priority\":2, \"n\": 1.50, \"big\": 123456789012345678901234567890 }";
        String foreign2 = "{\"id\":\"bd-2\",\"external_ref\":\"gh-42\",\"labels\":[\"b\",\"a\"]}\t";
        String foreign3 = "{\"id\":\"bd-3\",\"title\":\"no newline at the end\"}";
        Path report = report("a.json", incident(1, "high", "o1", 2, 1000));
        run(report, T1, 20); // our ticket first, so it sits between foreign lines below
        String ours = Files.readString(store()).strip();
        byte[] original = String.join("\n", foreign1, "", ours, foreign2, foreign3)
                .getBytes(StandardCharsets.UTF_8);
        Files.write(store(), original);

        run(report("b.json", incident(1, "high", "o1", 4, 2000), incident(2, "high", "o2", 1, 2000)), T2, 20);

        List<String> lines = Files.readString(store(), StandardCharsets.UTF_8).lines().toList();
        assertEquals(foreign1, lines.get(0));
        assertEquals("", lines.get(1));
        assertTrue(lines.get(2).contains("\"external_ref\":\"" + ReportFixtures.id(1) + "\""));
        assertTrue(lines.get(2).contains("- Occurrences: 4"));
        assertEquals(foreign2, lines.get(3));
        assertEquals(foreign3, lines.get(4));
        assertTrue(lines.get(5).contains(ReportFixtures.id(2)));
        assertEquals(6, lines.size());
    }

    @Test
    void theCapCreatesTheMostSevereFirstAndListsTheRestForALaterRun() {
        Path report = report("a.json", incident(1, "critical", "o1", 1, 1000), incident(2, "high", "o2", 1, 1000),
                incident(3, "medium", "o3", 1, 1000));

        TicketPlan plan = run(report, T1, 2);

        assertEquals(List.of(ReportFixtures.id(1), ReportFixtures.id(2)), plan.of(TicketPlan.Kind.CREATE).stream()
                .map(a -> a.incident().incidentId()).toList());
        assertEquals(List.of(ReportFixtures.id(3)), plan.of(TicketPlan.Kind.HELD_BACK).stream()
                .map(a -> a.incident().incidentId()).toList());
        assertEquals(2, records().size());

        TicketPlan next = run(report, T2, 2);
        assertEquals(1, next.of(TicketPlan.Kind.CREATE).size());
        assertEquals(3, records().size());
        assertEquals(3, ticketOf(3).get("priority").asInt() + 1);
    }

    @Test
    void prioritiesFollowThePolicysSeverityOrderNotSeverityWords() {
        Path report = report("a.json", incident(1, "sev1", "o", 1, 1000), incident(2, "sev5", "o", 1, 1000),
                incident(3, "critical", "o", 1, 1000));
        new TicketSync("tr", 20, List.of("sev0", "sev1", "sev2", "sev3", "sev4", "sev5"),
                Clock.fixed(T1, ZoneOffset.UTC)).sync(store(), readComplete(report), false);
        assertEquals(1, ticketOf(1).get("priority").asInt(), "second in severity_order");
        assertEquals(4, ticketOf(2).get("priority").asInt(), "past beads' lowest priority: the lowest");
        assertEquals(4, ticketOf(3).get("priority").asInt(), "a severity this policy does not name: the lowest");
    }

    @Test
    void dryRunPlansButWritesNothing() throws IOException {
        Path report = report("a.json", incident(1, "high", "o1", 1, 1000));
        TicketPlan plan = new TicketSync("tr", 20, SEVERITIES, Clock.fixed(T1, ZoneOffset.UTC))
                .sync(store(), readComplete(report), true);
        assertEquals(1, plan.of(TicketPlan.Kind.CREATE).size());
        assertFalse(Files.exists(store()));
        assertFalse(Files.exists(store().getParent()), "not even the folder or the lock file");

        run(report, T1, 20);
        byte[] before = Files.readAllBytes(store());
        FileTime modified = Files.getLastModifiedTime(store());
        TicketPlan update = new TicketSync("tr", 20, SEVERITIES, Clock.fixed(T2, ZoneOffset.UTC))
                .sync(store(), readComplete(report("b.json", incident(1, "high", "o1", 3, 2000))), true);
        assertEquals(TicketPlan.Kind.UPDATE, update.actions().get(0).kind());
        assertArrayEquals(before, Files.readAllBytes(store()));
        assertEquals(modified, Files.getLastModifiedTime(store()));
    }

    @Test
    void anIdTakenByAnotherRecordIsLengthened() throws IOException {
        String shortId = "tr-" + ReportFixtures.id(1).substring(9, 17);
        Files.createDirectories(store().getParent());
        Files.writeString(store(), "{\"id\":\"" + shortId + "\",\"title\":\"someone else's\"}\n");

        run(report("a.json", incident(1, "high", "o1", 1, 1000)), T1, 20);

        assertEquals("tr-" + ReportFixtures.id(1).substring(9, 19), ticketOf(1).get("id").asText());
    }

    @Test
    void aFlakeVerdictBecomesALabel() {
        ObjectNode incident = incident(1, "high", "o1", 1, 1000);
        incident.putObject("determinism").put("verdict", "flaky");
        run(report("a.json", incident), T1, 20);
        assertTrue(labels(ticketOf(1)).contains("flake:flaky"));
        assertTrue(ticketOf(1).get("description").asText().contains("- Flake verdict: flaky"));
    }

    @Test
    void aDamagedStoreLineStopsTheRunWithoutWriting() throws IOException {
        Files.createDirectories(store().getParent());
        Files.writeString(store(), "{\"id\":\"bd-1\"}\n{not json\n");
        byte[] before = Files.readAllBytes(store());
        UserError e = assertThrows(UserError.class,
                () -> run(report("a.json", incident(1, "high", "o1", 1, 1000)), T1, 20));
        assertTrue(e.getMessage().contains("issues.jsonl:2: not a JSON object"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(store()));
    }

    @Test
    void concurrentRunsDoNotLoseEachOthersTickets() throws Exception {
        int perThread = 15;
        List<Path> reportsA = new ArrayList<>();
        List<Path> reportsB = new ArrayList<>();
        for (int i = 0; i < perThread; i++) {
            reportsA.add(report("a" + i + ".json", incident(100 + i, "high", "team-a", 1, 1000)));
            reportsB.add(report("b" + i + ".json", incident(200 + i, "high", "team-b", 1, 1000)));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Object>> done = new ArrayList<>();
            for (List<Path> reports : List.of(reportsA, reportsB)) {
                done.add(pool.submit((Callable<Object>) () -> {
                    start.await();
                    reports.forEach(r -> run(r, T1, 20));
                    return null;
                }));
            }
            start.countDown();
            for (Future<Object> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<String> refs = records().stream().map(r -> r.get("external_ref").asText()).sorted().toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < perThread; i++) {
            expected.add(ReportFixtures.id(100 + i));
            expected.add(ReportFixtures.id(200 + i));
        }
        assertEquals(expected.stream().sorted().collect(Collectors.toList()), refs);
    }

    @Test
    void titlesLabelsAndAssigneesShowControlCharactersAsEscapes() {
        ObjectNode hostile = incident(1, "high", "team\u001b[2J-a", 1, 1000);
        hostile.put("reason_code", "boom\u001b]0;owned\u0007\nnext line\u202Egnp.exe");
        hostile.put("packet_id", "FT\rP2C");
        run(report("a.json", hostile), T1, 20);

        ObjectNode ticket = ticketOf(1);
        // As the terminal shows them: the reader sees that the report had them.
        assertEquals("[high] dispatch_routing: boom\\u001b]0;owned\\u0007\\nnext line\\u202egnp.exe in FT\\rP2C"
                + " nn_state/strict:case_1 (strict)", ticket.get("title").asText());
        assertEquals("team\\u001b[2J-a", ticket.get("assignee").asText());
        assertTrue(labels(ticket).contains("packet:FT\\rP2C"), labels(ticket).toString());
        for (String text : List.of(ticket.get("title").asText(), ticket.get("assignee").asText(),
                String.join(",", labels(ticket)))) {
            assertTrue(text.chars().noneMatch(c -> Character.getType(c) == Character.CONTROL || c == 0x202E), text);
        }
    }

    @Test
    void aLongTitleIsCutBetweenCharacters() {
        ObjectNode incident = incident(1, "high", "o1", 1, 1000);
        // "[high] dispatch_routing: " is 25 chars: the cut at 497 falls between an emoji's halves.
        incident.put("reason_code", "x".repeat(471) + "\uD83D\uDE00".repeat(30));
        run(report("a.json", incident), T1, 20);

        String title = ticketOf(1).get("title").asText();
        // One char shorter than 500, rather than a lone half of the emoji.
        assertEquals(499, title.length());
        assertTrue(title.endsWith("x..."), title.substring(title.length() - 20));
    }

    @Test
    void aRunThroughASymlinkWaitsForTheLockTakenThroughTheRealPath() throws Exception {
        Files.createDirectories(store().getParent());
        Path link = Files.createSymbolicLink(dir.resolve("link.jsonl"), store());
        CountDownLatch linkLocked = new CountDownLatch(1);
        Thread viaLink;
        try (BeadsStore.Lock held = BeadsStore.lock(store())) {
            viaLink = new Thread(() -> {
                try (BeadsStore.Lock second = BeadsStore.lock(link)) {
                    linkLocked.countDown();
                }
            });
            viaLink.start();
            assertFalse(linkLocked.await(500, java.util.concurrent.TimeUnit.MILLISECONDS),
                    "the run through the link got in while the real path was locked");
        }
        assertTrue(linkLocked.await(10, java.util.concurrent.TimeUnit.SECONDS), "and gets in once it is free");
        viaLink.join();
    }

    @Test
    void tenConcurrentRunsHalfThroughASymlinkKeepEveryTicket() throws Exception {
        Files.createDirectories(store().getParent());
        Path link = Files.createSymbolicLink(dir.resolve("link.jsonl"), store());
        int runs = 10;
        int perRun = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(runs);
        List<String> expected = new ArrayList<>();
        try {
            List<Future<Object>> done = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                List<Path> reports = new ArrayList<>();
                for (int i = 0; i < perRun; i++) {
                    int n = 1000 + r * 100 + i;
                    reports.add(report("c" + n + ".json", incident(n, "high", "team", 1, 1000)));
                    expected.add(ReportFixtures.id(n));
                }
                Path target = r % 2 == 0 ? link : store();
                done.add(pool.submit((Callable<Object>) () -> {
                    start.await();
                    for (Path report : reports) {
                        new TicketSync("tr", 20, SEVERITIES, Clock.fixed(T1, ZoneOffset.UTC)).sync(target,
                                TicketIncidents.requireComplete(ReportFile.read(report)).incidents(), false);
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<Object> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(Files.isSymbolicLink(link), "the link is still a link");
        assertEquals(expected.stream().sorted().toList(),
                records().stream().map(r -> r.get("external_ref").asText()).sorted().toList());
    }

    @Test
    void concurrentProcessesThroughASymlinkKeepEveryTicket() throws Exception {
        Files.createDirectories(store().getParent());
        Path link = Files.createSymbolicLink(dir.resolve("link.jsonl"), store());
        int processes = 4;
        int perProcess = 6;
        List<Process> started = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        try {
            for (int p = 0; p < processes; p++) {
                List<String> args = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-cp", System.getProperty("java.class.path"), StoreWriter.class.getName(),
                        (p % 2 == 0 ? link : store()).toString()));
                for (int i = 0; i < perProcess; i++) {
                    int n = 5000 + p * 100 + i;
                    args.add(report("p" + n + ".json", incident(n, "high", "team", 1, 1000)).toString());
                    expected.add(ReportFixtures.id(n));
                }
                started.add(new ProcessBuilder(args).redirectErrorStream(true).start());
            }
            for (Process process : started) {
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(0, process.waitFor(), output);
            }
        } finally {
            started.forEach(Process::destroyForcibly);
        }
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(expected.stream().sorted().toList(),
                records().stream().map(r -> r.get("external_ref").asText()).sorted().toList());
    }

    /** One process filing reports one after the other into a store: args are the store, then reports. */
    public static final class StoreWriter {
        public static void main(String[] args) {
            for (int i = 1; i < args.length; i++) {
                new TicketSync("tr", 20, SEVERITIES, Clock.fixed(T1, ZoneOffset.UTC)).sync(Path.of(args[0]),
                        TicketIncidents.requireComplete(ReportFile.read(Path.of(args[i]))).incidents(), false);
            }
        }
    }

    @Test
    void aStoreThatIsADanglingSymlinkIsCreatedAtItsTargetAndStaysALink() throws Exception {
        Path target = dir.resolve("elsewhere/issues.jsonl");
        Files.createDirectories(store().getParent());
        Files.createSymbolicLink(store(), Path.of("../elsewhere/issues.jsonl"));
        run(report("a.json", incident(1, "high", "o1", 1, 1000)), T1, 20);
        run(report("b.json", incident(2, "high", "o1", 1, 1000)), T1, 20);

        assertTrue(Files.isSymbolicLink(store()));
        assertEquals(2, BeadsStore.read(target).size());
        assertTrue(Files.exists(dir.resolve("elsewhere/issues.jsonl.lock")), "locked beside the real file");
    }
}
