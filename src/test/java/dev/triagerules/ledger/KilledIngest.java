package dev.triagerules.ledger;

import dev.triagerules.history.ReplayEvidence;
import java.util.Iterator;
import java.util.List;

/**
 * A separate JVM that records a run and stops in the middle of its transaction, after the
 * run, its inputs and the first scenario rows are written: the test kills it there with
 * SIGKILL. It prints {@link #INSIDE} when it gets there.
 */
final class KilledIngest {
    static final String INSIDE = "inside the ingest transaction";

    private KilledIngest() {
    }

    public static void main(String[] args) throws Exception {
        String location = args[0];
        TriagePipeline.Triaged run = TriagePipeline.triage(LedgerContractTest.pack(), "killed.jsonl",
                List.of(LedgerContractTest.fail("s1", "rank_mismatch"), LedgerContractTest.fail("k2", "decode_failure"),
                        LedgerContractTest.pass("s2")), LedgerContractTest.T0 + 2);
        Iterable<RunFacts.ScenarioTally> stalling = () -> new Iterator<>() {
            private final Iterator<RunFacts.ScenarioTally> real = run.tallies().iterator();

            @Override
            public boolean hasNext() {
                return real.hasNext();
            }

            @Override
            public RunFacts.ScenarioTally next() {
                return real.next();
            }
        };
        int[] iterations = {0};
        Iterable<RunFacts.ScenarioTally> scenarios = () -> {
            if (++iterations[0] == 2) { // the second pass writes the rows: stop here, holding the lock
                System.out.println(INSIDE);
                System.out.flush();
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return stalling.iterator();
        };
        RunFacts real = RunFacts.of(run.report(), List.of(new RunFacts.InputFile("killed.jsonl", null)),
                run.tallies(), ReplayEvidence.NONE, null);
        RunFacts facts = new RunFacts(real.recordedUnixMs(), real.inputs(), real.packetFilter(), real.rulesSha256(),
                real.policySha256(), real.toolVersion(), real.ci(), real.totalEntries(), real.failedEntries(),
                real.incidents(), scenarios, real.replays());
        try (Ledger ledger = Ledger.open(location)) {
            ledger.record(facts, LedgerContractTest.pack());
        }
        System.out.println("not killed");
    }
}
