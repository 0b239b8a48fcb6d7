package dev.triagerules.cli;

import dev.triagerules.ledger.LedgerDatabases;

/** The main command on a SQLite ledger file. */
class SqliteLedgerRunsTest extends LedgerRunsTest {
    @Override
    String newLedger() {
        return LedgerDatabases.sqlite(tmp);
    }
}
