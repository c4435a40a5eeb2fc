package io.pgwalstream.e2e.changelog;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A row as the SQL case's filesystem sink stores it: the source row and the {@code lsn} and {@code
 * xid} metadata of its transaction, which tell duplicates and the commit order apart.
 *
 * @param lsn the commit LSN as PostgreSQL prints it ({@code 0/16B3748})
 */
public record SinkRow(RowChange row, String lsn, long xid) {

    /**
     * Reads one line of the {@code debezium-json} format: Flink writes {@code +I} and {@code +U}
     * rows as {@code after}, {@code -U} and {@code -D} rows as {@code before}; the row kind itself
     * is the {@code row_kind} column.
     */
    public static SinkRow fromDebeziumJson(JsonNode line) {
        JsonNode row = line.path("after").isObject() ? line.path("after") : line.path("before");
        if (!row.isObject()) {
            throw new IllegalArgumentException("Neither 'after' nor 'before' in: " + line);
        }
        return new SinkRow(
                new RowChange(
                        text(row, "table_name"),
                        text(row, "row_kind"),
                        row.path("id").asInt(),
                        text(row, "v")),
                text(row, "lsn"),
                row.path("xid").asLong());
    }

    private static String text(JsonNode row, String field) {
        JsonNode value = row.path(field);
        if (!value.isTextual()) {
            throw new IllegalArgumentException("No text field '" + field + "' in: " + row);
        }
        return value.asText();
    }

    /** The LSN as a number, for ordering: {@code X/Y} is {@code X << 32 | Y}. */
    public long lsnValue() {
        int slash = lsn.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("Not an LSN: " + lsn);
        }
        return Long.parseLong(lsn.substring(0, slash), 16) << 32
                | Long.parseLong(lsn.substring(slash + 1), 16);
    }
}
