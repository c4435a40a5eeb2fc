package io.pgwalstream.changes;

import io.pgwalstream.changes.ColumnValueException.Reason;
import io.pgwalstream.types.PgType;

import java.util.List;

/**
 * The {@link ColumnValueException}s of one table's {@link ChangeRow}s, each naming the column, the
 * table and the way out.
 */
final class ColumnErrors {

    private final String table;

    ColumnErrors(RelationSchema schema) {
        this.table = schema.schemaName() + "." + schema.tableName();
    }

    String table() {
        return table;
    }

    ColumnValueException unknownColumn(
            String column, boolean keyOnly, boolean inTable, List<String> held, String identity) {
        String message =
                keyOnly && inTable
                        ? "The before row of "
                                + table
                                + " holds only its replica identity columns "
                                + held
                                + ", not \""
                                + column
                                + "\" (REPLICA IDENTITY "
                                + identity
                                + "); set REPLICA IDENTITY FULL for whole old rows"
                        : "Table "
                                + table
                                + " has no column \""
                                + column
                                + "\"; "
                                + (keyOnly ? "the key-only before row holds " : "its columns are ")
                                + held;
        return new ColumnValueException(Reason.UNKNOWN_COLUMN, table, column, message, null);
    }

    ColumnValueException unchangedToast(String column) {
        return error(
                Reason.UNCHANGED_TOAST,
                column,
                " is an unchanged TOASTed value: the UPDATE did not change it and PostgreSQL did"
                        + " not send it (it is not NULL). Check isUnchangedToast first, or set"
                        + " REPLICA IDENTITY FULL on the table so that the before row carries it",
                null);
    }

    ColumnValueException mismatch(
            String column, PgType type, String getter, String javaType, String accepted) {
        return error(
                Reason.TYPE_MISMATCH,
                column,
                " has PostgreSQL type "
                        + typeName(type)
                        + ", which "
                        + getter
                        + " cannot read as "
                        + javaType
                        + " (it reads "
                        + accepted
                        + "); getString reads every type as its text form",
                null);
    }

    ColumnValueException unrepresentable(
            String column, PgType type, ValueReader.Unrepresentable e, boolean textReadable) {
        return error(
                Reason.NOT_REPRESENTABLE,
                column,
                " ("
                        + typeName(type)
                        + "): "
                        + e.getMessage()
                        + (textReadable ? "; getString reads its text form" : ""),
                null);
    }

    ColumnValueException malformed(String column, PgType type, boolean binary, RuntimeException e) {
        return error(
                Reason.MALFORMED,
                column,
                " holds a malformed "
                        + (binary ? "binary " : "text ")
                        + typeName(type)
                        + " value: "
                        + e.getMessage(),
                e);
    }

    private ColumnValueException error(
            Reason reason, String column, String problem, RuntimeException cause) {
        String message = "Column \"" + column + "\" of " + table + problem;
        return new ColumnValueException(reason, table, column, message, cause);
    }

    private static String typeName(PgType type) {
        return type.domainLabel() == null
                ? type.name()
                : type.domainLabel() + " (a domain over " + type.name() + ")";
    }
}
