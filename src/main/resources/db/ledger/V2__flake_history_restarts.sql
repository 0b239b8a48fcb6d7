-- Version 2: a scenario's flake history on an environment restarts after a fix.
--
-- passing_streak counts the recorded runs in a row in which the key ran on the environment
-- and passed. A failing run after at least lifecycle.resolve_after_passing_runs of them
-- (what resolves an incident) starts the key's runs on that environment afresh, so that a
-- regression is not taken for a flake: without this, every incident that was fixed and
-- came back had "passed in some runs, failed in others" and was excluded from gating.
-- Existing rows start with no streak: their history goes on until their next streak.
ALTER TABLE ledger_scenario_env ADD COLUMN passing_streak INTEGER NOT NULL DEFAULT 0;
