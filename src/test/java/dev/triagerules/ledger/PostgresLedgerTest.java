package dev.triagerules.ledger;

/** The ledger suite on a real PostgreSQL server (one per test JVM, a new database per test). */
class PostgresLedgerTest extends LedgerContractTest {
    @Override
    String newLedger() {
        return LedgerDatabases.postgres();
    }
}
