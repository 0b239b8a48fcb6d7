package dev.triagerules.ledger;

import dev.triagerules.history.ReplayEvidence;
import java.util.List;

/**
 * A separate JVM that records a run and stops in the middle of its transaction, after the
 * run and its inputs are written, where the recorder walks the run's scenario tallies: the
 * test kills it there with SIGKILL. It prints {@link #INSIDE} when it gets there.
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
        // The recorder walks the tallies once the run's rows are written: stop there, holding the lock.
        Iterable<RunFacts.ScenarioTally> scenarios = () -> {
            System.out.println(INSIDE);
            System.out.flush();
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return run.tallies().iterator();
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
