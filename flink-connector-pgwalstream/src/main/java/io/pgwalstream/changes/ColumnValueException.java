package io.pgwalstream.changes;

/**
 * A column of a {@link ChangeRow} that cannot be read as asked. The message names the table, the
 * column and, depending on the {@link #reason()}, the columns the row has, the PostgreSQL type and
 * the Java type asked for, or what is wrong with the value.
 */
public class ColumnValueException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Why the value cannot be read. */
    public enum Reason {
        /** The row has no column of that name (or, in a key-only before row, not that column). */
        UNKNOWN_COLUMN,
        /**
         * The column is an unchanged TOASTed value: PostgreSQL did not send it, and the event holds
         * it nowhere. It is not NULL; {@link ChangeRow#isUnchangedToast} tells beforehand.
         */
        UNCHANGED_TOAST,
        /** The column's PostgreSQL type cannot be read as the Java type asked for. */
        TYPE_MISMATCH,
        /**
         * The value has no representation in the Java type (numeric NaN, an infinite date or
         * timestamp, a multi-dimensional array for a list); its text form is still readable.
         */
        NOT_REPRESENTABLE,
        /** The bytes are not a valid value of the column's type. */
        MALFORMED
    }

    private final Reason reason;
    private final String table;
    private final String column;

    public ColumnValueException(
            Reason reason, String table, String column, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.table = table;
        this.column = column;
    }

    public Reason reason() {
        return reason;
    }

    /** The table, as {@code schema.name}. */
    public String table() {
        return table;
    }

    /** The column name that was asked for. */
    public String column() {
        return column;
    }
}
