package io.pgwalstream.flink.typed;

import io.pgwalstream.changes.ChangeKind;

import org.apache.flink.annotation.PublicEvolving;

import javax.annotation.Nullable;

import java.time.Instant;
import java.util.Objects;

/**
 * One row change as the user's type: what happened, the row before and after, and where it came
 * from. Emitted by {@link TypedChangeDeserializer}; serialized by {@link ChangeTypeInfo}.
 *
 * @param kind {@link ChangeKind#SNAPSHOT}, {@code INSERT}, {@code UPDATE} or {@code DELETE}
 * @param before the old row of an UPDATE or DELETE when the server sent one (under REPLICA IDENTITY
 *     DEFAULT or USING INDEX only its key fields are set), else null
 * @param after the new row of a SNAPSHOT, INSERT or UPDATE, else null
 * @param schema the table's schema
 * @param table the table's name
 * @param lsn the commit LSN of the change's transaction (the snapshot's LSN for snapshot rows)
 * @param xid the transaction id (unsigned 32-bit), 0 for snapshot rows
 * @param commitTime the commit time, null for snapshot rows
 * @param origin the replication origin that applied the transaction, or null
 */
@PublicEvolving
public record Change<T>(
        ChangeKind kind,
        @Nullable T before,
        @Nullable T after,
        String schema,
        String table,
        long lsn,
        long xid,
        @Nullable Instant commitTime,
        @Nullable String origin) {

    public Change {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
        if (kind == ChangeKind.TRUNCATE || kind == ChangeKind.MESSAGE) {
            throw new IllegalArgumentException("A typed change is a row change, not " + kind);
        }
    }

    /** Whether the row came from the initial snapshot. */
    public boolean fromSnapshot() {
        return kind == ChangeKind.SNAPSHOT;
    }

    /** The row as it is after the change: {@link #after()}, or null for a DELETE. */
    @Nullable
    public T row() {
        return after;
    }
}
