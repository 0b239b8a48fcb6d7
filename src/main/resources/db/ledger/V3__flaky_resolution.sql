-- Version 3: what it takes to resolve a flaky incident, and which inputs the guard left out.
-- One script for SQLite and PostgreSQL, as V1 and V2: plain types, plain ALTER TABLE.
--
-- regressions: how many times the incident was reopened (its status went from the closed
-- status, resolved, to an open one: regressed). Existing rows count the status changes the
-- ledger still has (a pruned run's changes are gone, so it may be fewer than really were).
ALTER TABLE ledger_incident ADD COLUMN regressions INTEGER NOT NULL DEFAULT 0;
UPDATE ledger_incident SET regressions = (SELECT COUNT(*) FROM ledger_status_change c
    WHERE c.incident_no = ledger_incident.incident_no AND c.previous_status = 'resolved');

-- last_verdict: the verdict rules/flake.drl gave it in the last run that judged it (flaky,
-- deterministic, insufficient_evidence, or whatever word the pack's verdict rules use);
-- null when never judged. Version 2 kept no verdicts: existing rows start with null.
ALTER TABLE ledger_incident ADD COLUMN last_verdict TEXT;

-- passing_runs_to_resolve: the passing runs the lifecycle rules last said resolve it
-- (IncidentLifecycle.passingRunsToResolve); a scenario's flake history restarts only after a
-- passing streak that long (see RunRecorder). Null when no rule set it (existing rows, or a
-- pack whose lifecycle rules set none): lifecycle.resolve_after_passing_runs then, as in V2.
ALTER TABLE ledger_incident ADD COLUMN passing_runs_to_resolve INTEGER;

-- infra_suspect: 1 when the infrastructure guard left the input out of the flake history
-- (most of its entries failed), 0 when it counted; null for runs recorded before version 3,
-- for which it is not known.
ALTER TABLE ledger_run_input ADD COLUMN infra_suspect INTEGER;
