package dev.triagerules.cli;

import dev.triagerules.ledger.LedgerDatabases;

/** The main command on a real PostgreSQL ledger (embedded server, a new database per test). */
class PostgresLedgerRunsTest extends LedgerRunsTest {
    @Override
    String newLedger() {
        return LedgerDatabases.postgres();
    }
}
