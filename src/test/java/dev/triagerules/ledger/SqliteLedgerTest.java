package dev.triagerules.ledger;

/** The ledger suite on a SQLite file. */
class SqliteLedgerTest extends LedgerContractTest {
    @Override
    String newLedger() {
        return LedgerDatabases.sqlite(tmp);
    }
}
