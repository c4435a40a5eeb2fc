package io.pgwalstream.snapshot;

import io.pgwalstream.replication.TableName;

import java.sql.SQLException;

/**
 * Planning or reading the initial snapshot of a table failed. The message names the table, the
 * problem and the fix; {@link #reason()} tells the cases apart.
 */
public final class SnapshotException extends RuntimeException {

    /** What went wrong. */
    public enum Reason {
        /** The exported snapshot no longer exists: its connection ended (SQLSTATE 42704). */
        SNAPSHOT_LOST,
        /** The role may not read the table (SQLSTATE 42501). */
        NO_PERMISSION,
        /** The table does not exist or its publication does not publish it. */
        NOT_PUBLISHED,
        /** The chosen chunk key column cannot chunk the table (missing, nullable, not unique…). */
        BAD_CHUNK_KEY,
        /** Changes after the snapshot could not name their rows: no key, identity not FULL. */
        NO_ROW_IDENTITY,
        /** Anything else: the connection, the server, malformed COPY data. */
        FAILED
    }

    private final TableName table;
    private final Reason reason;

    public SnapshotException(TableName table, Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.table = table;
        this.reason = reason;
    }

    public TableName table() {
        return table;
    }

    public Reason reason() {
        return reason;
    }

    /** The SQLSTATE the server reported, or null if the cause carries none. */
    public String sqlState() {
        return getCause() instanceof SQLException e ? e.getSQLState() : null;
    }

    /**
     * The server's error while {@code doing} for {@code table}, with the fix where one is known.
     */
    static SnapshotException translate(TableName table, String doing, SQLException e) {
        String state = e.getSQLState();
        if ("42501".equals(state)) {
            return new SnapshotException(
                    table,
                    Reason.NO_PERMISSION,
                    "The role may not read "
                            + table
                            + " for the initial snapshot: "
                            + e.getMessage()
                            + ". Grant it: GRANT SELECT ON "
                            + table
                            + " TO <the connector's user>",
                    e);
        }
        // 42704: "snapshot … does not exist"; 22023: "invalid snapshot identifier".
        if (("42704".equals(state) || "22023".equals(state))
                && String.valueOf(e.getMessage()).contains("snapshot")) {
            return new SnapshotException(
                    table,
                    Reason.SNAPSHOT_LOST,
                    "The exported snapshot of the initial snapshot is gone (its connection ended)"
                            + " while "
                            + doing
                            + " "
                            + table
                            + ": "
                            + e.getMessage(),
                    e);
        }
        return new SnapshotException(
                table, Reason.FAILED, doing + " " + table + " failed: " + e.getMessage(), e);
    }
}
