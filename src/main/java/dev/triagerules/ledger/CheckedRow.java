package dev.triagerules.ledger;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.StringJoiner;

/**
 * The values of one table's columns in a query's rows, each checked for the type this code
 * writes there as it is read: SQLite keeps whatever a column is given, and JDBC reads a text
 * in an INTEGER column as 0, a real cut to an integer, a blob as text. The check is the type
 * of the value the driver hands over ({@link ResultSet#getObject}), so it costs no query and
 * nothing per row but the value's own type; a wrong one is the same {@link LedgerError} as a
 * wrong incident row's ({@link LedgerIntegrity#wrongValue}), naming the ledger, the table,
 * the row by its key and the column. PostgreSQL enforces the types itself: there the type check
 * never fails; a status ({@link #status}) is checked for its word on both.
 *
 * <p>One per table and query, made before the first row: {@code key} are the result's
 * columns that name a row of the table (its primary key, or what it is known by).
 */
final class CheckedRow {
    private final LedgerLocation location;
    private final String table;
    private final ResultSet row;
    private final int[] key;

    CheckedRow(LedgerLocation location, String table, ResultSet row, int... key) {
        this.location = location;
        this.table = table;
        this.row = row;
        this.key = key;
    }

    /** A BIGINT column (or an INTEGER one read as a long). */
    long integer(int column) throws SQLException {
        Object value = row.getObject(column);
        if (value instanceof Long || value instanceof Integer) {
            return ((Number) value).longValue();
        }
        throw wrong(column, value, "an integer");
    }

    /** {@link #integer}, or null where the column holds NULL. */
    Long nullableInteger(int column) throws SQLException {
        return row.getObject(column) == null ? null : integer(column);
    }

    /** An INTEGER column, read as an int: what this code writes there fits in 32 bits, and more would be cut. */
    int int32(int column) throws SQLException {
        return int32(column, row.getObject(column));
    }

    /** {@link #int32}, or null where the column holds NULL. */
    Integer nullableInt32(int column) throws SQLException {
        Object value = row.getObject(column);
        return value == null ? null : int32(column, value);
    }

    /** A TEXT column. */
    String text(int column) throws SQLException {
        return text(column, row.getObject(column));
    }

    /** {@link #text}, or null where the column holds NULL. */
    String nullableText(int column) throws SQLException {
        Object value = row.getObject(column);
        return value == null ? null : text(column, value);
    }

    /**
     * A status column: a text that is one of the lifecycle's statuses ({@link LifecycleStatus#ALL}), as the
     * incidents' statuses are checked when the ledger opens: a status no rule can set would be shown and counted
     * as written (or not counted at all).
     */
    String status(int column) throws SQLException {
        return status(column, row.getObject(column));
    }

    /** {@link #status}, or null where the column holds NULL (an incident's first status has no previous one). */
    String nullableStatus(int column) throws SQLException {
        Object value = row.getObject(column);
        return value == null ? null : status(column, value);
    }

    private String status(int column, Object value) throws SQLException {
        String status = text(column, value);
        if (!LifecycleStatus.known(status)) {
            throw wrong(column, value, "one of " + String.join(", ", LifecycleStatus.ALL));
        }
        return status;
    }

    /**
     * {@code sum} plus this BIGINT column's value ({@link #integer}), exactly: a total beyond 64 bits, which Java's
     * {@code +} would wrap round to a negative count, is an error naming this row. {@code to}: what {@code sum} is.
     */
    long plus(long sum, int column, String to) throws SQLException {
        long value = integer(column);
        try {
            return Math.addExact(sum, value);
        } catch (ArithmeticException e) {
            throw overflow(column, value, sum, to, 64);
        }
    }

    /** {@link #plus} of an INTEGER column ({@link #int32}), within 32 bits. */
    int plus32(int sum, int column, String to) throws SQLException {
        int value = int32(column);
        try {
            return Math.addExact(sum, value);
        } catch (ArithmeticException e) {
            throw overflow(column, value, sum, to, 32);
        }
    }

    private int int32(int column, Object value) throws SQLException {
        if (value instanceof Integer number) {
            return number;
        }
        if (value instanceof Long number && number == number.intValue()) {
            return number.intValue();
        }
        throw wrong(column, value, value instanceof Long ? "a 32-bit integer" : "an integer");
    }

    private String text(int column, Object value) throws SQLException {
        if (value instanceof String text) {
            return text;
        }
        throw wrong(column, value, "a text");
    }

    private LedgerError wrong(int column, Object value, String expected) throws SQLException {
        return LedgerIntegrity.wrongValue(location, rowName(), row.getMetaData().getColumnLabel(column), shown(value),
                typeOf(value), expected);
    }

    private LedgerError overflow(int column, long value, long addend, String to, int bits) throws SQLException {
        return LedgerIntegrity.overflow(location, rowName(), row.getMetaData().getColumnLabel(column), value, addend,
                to, bits);
    }

    /** The row as a message names it: its table and key, {@code ledger_run row (run_id 7)}. */
    private String rowName() throws SQLException {
        StringJoiner keyText = new StringJoiner(", ", "(", ")");
        for (int k : key) {
            Object part = row.getObject(k);
            keyText.add(row.getMetaData().getColumnLabel(k) + " "
                    + (part instanceof Long || part instanceof Integer ? part : LedgerIntegrity.quoted(shown(part))));
        }
        return table + " row " + keyText;
    }

    /** A value as text, as SQLite would give it: a blob's bytes as UTF-8. */
    private static String shown(Object value) {
        return value == null ? null : value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                : value.toString();
    }

    /** SQLite's name of a value's type ({@code typeof}), as the incidents' check says it. */
    private static String typeOf(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Long || value instanceof Integer) {
            return "integer";
        }
        if (value instanceof Double || value instanceof Float) {
            return "real";
        }
        if (value instanceof String) {
            return "text";
        }
        if (value instanceof byte[]) {
            return "blob";
        }
        return value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }
}
