package io.pgwalstream.changes;

/** What a {@link ChangeEvent} describes. */
public enum ChangeKind {
    /** A new row: {@link ChangeEvent#after()}. */
    INSERT,
    /**
     * A row that already existed, read by the initial snapshot: {@link ChangeEvent#after()}, at the
     * position of the snapshot (its LSN), in a transaction with no xid and no commit time.
     */
    SNAPSHOT,
    /** A changed row: {@link ChangeEvent#after()} and, when the server sent one, a before row. */
    UPDATE,
    /** A removed row: the before row, key columns only or the full row. */
    DELETE,
    /** TRUNCATE of one or more tables, with the CASCADE / RESTART IDENTITY options. */
    TRUNCATE,
    /** A logical decoding message ({@code pg_logical_emit_message}). */
    MESSAGE
}
