-- The incident ledger, version 1. One script for SQLite and PostgreSQL: plain types
-- (BIGINT, INTEGER, TEXT), no vendor syntax. Ids of runs are given out by the ingest
-- itself under its lock (max + 1), so no SERIAL/AUTOINCREMENT is needed.
--
-- key_hash and env_hash are the 64-bit FNV-1a hashes of dev.triagerules.input.EntryOutcome
-- (scenario key: packet, suite, scenario, mode; environment fingerprint): the reader makes
-- them without building strings for passing entries. Stored here, they are a storage
-- format: changing how they are computed needs a migration that recomputes them.
-- Unsigned 64-bit values (log timestamps) are stored as their two's complement.
--
-- Rows of a run refer to it by run_id without a foreign key: a foreign key would make
-- SQLite scan every child table for each run pruned unless each had an index on run_id,
-- which would add a third to the size of the largest tables. The ledger is their only
-- writer, and `ledger prune` deletes a run's rows from every table itself.

-- One row per recorded triage run.
CREATE TABLE ledger_run (
    run_id            BIGINT  NOT NULL PRIMARY KEY,
    recorded_unix_ms  BIGINT  NOT NULL,
    tool_version      TEXT    NOT NULL,
    rules_sha256      TEXT    NOT NULL,
    policy_sha256     TEXT    NOT NULL,
    packet_filter     TEXT,
    ci_commit         TEXT,
    ci_branch         TEXT,
    ci_job_url        TEXT,
    total_entries     BIGINT  NOT NULL,
    failed_entries    BIGINT  NOT NULL,
    incidents_seen    INTEGER NOT NULL
);

-- The inputs (log files) of a run, in the order given, with the SHA-256 of each file.
CREATE TABLE ledger_run_input (
    run_id    BIGINT  NOT NULL,
    position  INTEGER NOT NULL,
    path      TEXT    NOT NULL,
    sha256    TEXT,
    PRIMARY KEY (run_id, position)
);

-- Per run and status: incidents that entered the status in the run, and incidents open
-- after it, per class (for trends).
CREATE TABLE ledger_run_class (
    run_id       BIGINT  NOT NULL,
    crash_class  TEXT    NOT NULL,
    status       TEXT    NOT NULL,
    entered      INTEGER NOT NULL,
    open_after   INTEGER NOT NULL,
    PRIMARY KEY (run_id, crash_class, status)
);

-- Every incident the ledger has seen, with its current lifecycle status.
CREATE TABLE ledger_incident (
    incident_id             TEXT    NOT NULL PRIMARY KEY,
    -- What the rows of an incident refer to it by: its 25-character id repeated in every
    -- sighting and that table's key was two thirds of a ledger's size.
    incident_no             BIGINT  NOT NULL UNIQUE,
    crash_class             TEXT    NOT NULL,
    severity                TEXT    NOT NULL,
    owner_hint              TEXT    NOT NULL,
    packet_id               TEXT    NOT NULL,
    suite_id                TEXT    NOT NULL,
    scenario_id             TEXT    NOT NULL,
    mode                    TEXT    NOT NULL,
    env_fingerprint         TEXT    NOT NULL,
    reason_code             TEXT    NOT NULL,
    key_hash                BIGINT  NOT NULL,
    status                  TEXT    NOT NULL,
    previous_status         TEXT,
    status_changed_run      BIGINT  NOT NULL,
    status_changed_unix_ms  BIGINT  NOT NULL,
    -- 1 while the status is open: the lifecycle rules see the incident in every run.
    is_open                 INTEGER NOT NULL,
    opened_unix_ms          BIGINT  NOT NULL,
    first_seen_run          BIGINT  NOT NULL,
    first_seen_unix_ms      BIGINT  NOT NULL,
    last_seen_run           BIGINT  NOT NULL,
    last_seen_unix_ms       BIGINT  NOT NULL,
    runs_seen               INTEGER NOT NULL,
    occurrences             BIGINT  NOT NULL,
    -- Recorded runs since its last sighting in which its scenario ran, and those in which
    -- every entry of it passed: kept up to date by each run, so no run reads history.
    runs_since_seen         INTEGER NOT NULL,
    passing_runs_since_seen INTEGER NOT NULL
);
CREATE INDEX ledger_incident_open ON ledger_incident (is_open);
CREATE INDEX ledger_incident_status ON ledger_incident (status);

-- An incident seen in a run.
CREATE TABLE ledger_sighting (
    incident_no          BIGINT  NOT NULL REFERENCES ledger_incident (incident_no),
    run_id               BIGINT  NOT NULL,
    occurrences          BIGINT  NOT NULL,
    -- The latest ts_unix_ms of its entries in that run: an unsigned 128-bit number in the
    -- log, so kept as its exact decimal text.
    last_entry_unix_ms   TEXT    NOT NULL,
    PRIMARY KEY (incident_no, run_id)
);

-- A status an incident entered in a run, the rule that set it and why.
CREATE TABLE ledger_status_change (
    incident_no      BIGINT  NOT NULL REFERENCES ledger_incident (incident_no),
    run_id           BIGINT  NOT NULL,
    status           TEXT    NOT NULL,
    previous_status  TEXT,
    rule_name        TEXT    NOT NULL,
    reason           TEXT    NOT NULL,
    PRIMARY KEY (incident_no, run_id)
);

-- Replay attempts of an incident given to a run (--replays).
CREATE TABLE ledger_replay (
    incident_no  BIGINT  NOT NULL REFERENCES ledger_incident (incident_no),
    run_id       BIGINT  NOT NULL,
    attempts     INTEGER NOT NULL,
    passes       INTEGER NOT NULL,
    failures     INTEGER NOT NULL,
    hung         INTEGER NOT NULL,
    PRIMARY KEY (incident_no, run_id)
);

-- Scenario keys that have failed at least once: only these get per-run tallies, so the
-- ledger grows with failing scenarios times runs, not with entries or passing scenarios.
CREATE TABLE ledger_scenario (
    key_hash          BIGINT NOT NULL PRIMARY KEY,
    packet_id         TEXT   NOT NULL,
    suite_id          TEXT   NOT NULL,
    scenario_id       TEXT   NOT NULL,
    mode              TEXT   NOT NULL,
    first_failed_run  BIGINT NOT NULL
);

-- Per failing scenario key and environment: runs since the key first failed (anywhere),
-- cumulative (pruning keeps them).
CREATE TABLE ledger_scenario_env (
    key_hash         BIGINT  NOT NULL REFERENCES ledger_scenario (key_hash),
    env_hash         BIGINT  NOT NULL,
    env_fingerprint  TEXT,
    runs             INTEGER NOT NULL,
    passing_runs     INTEGER NOT NULL,
    failing_runs     INTEGER NOT NULL,
    mixed_runs       INTEGER NOT NULL,
    last_run         BIGINT  NOT NULL,
    PRIMARY KEY (key_hash, env_hash)
);

-- Entries of a failing scenario key per run and environment.
CREATE TABLE ledger_scenario_run (
    key_hash   BIGINT NOT NULL,
    run_id     BIGINT NOT NULL,
    env_hash   BIGINT NOT NULL,
    passes     BIGINT NOT NULL,
    failures   BIGINT NOT NULL,
    PRIMARY KEY (key_hash, run_id, env_hash)
);
