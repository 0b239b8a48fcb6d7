-- Version 4: where a scenario's flake history on an environment starts.
-- One script for SQLite and PostgreSQL, as V1 to V3: plain types, plain ALTER TABLE.
--
-- restarted_run: the run whose failure restarted the counts (after a passing streak long
-- enough to resolve the key's incidents, see V2 and V3); null while they still count from
-- the run in which the key first failed (ledger_scenario.first_failed_run). The flake rules'
-- evidence names it, so that "since it first failed" is not said of a restarted history.
ALTER TABLE ledger_scenario_env ADD COLUMN restarted_run BIGINT;

-- Existing rows: each recorded run of a key on an environment left one ledger_scenario_run
-- row, so more of them than counted runs means the counts restarted, at the oldest of the
-- newest `runs` rows. Where pruning took rows (as many or fewer than counted runs left), an
-- earlier restart cannot be told and the row stays null.
UPDATE ledger_scenario_env SET restarted_run = (
    SELECT MIN(r.run_id) FROM ledger_scenario_run r
    WHERE r.key_hash = ledger_scenario_env.key_hash AND r.env_hash = ledger_scenario_env.env_hash
        AND (SELECT COUNT(*) FROM ledger_scenario_run n WHERE n.key_hash = r.key_hash
            AND n.env_hash = r.env_hash AND n.run_id >= r.run_id) <= ledger_scenario_env.runs)
WHERE (SELECT COUNT(*) FROM ledger_scenario_run c WHERE c.key_hash = ledger_scenario_env.key_hash
    AND c.env_hash = ledger_scenario_env.env_hash) > ledger_scenario_env.runs;
