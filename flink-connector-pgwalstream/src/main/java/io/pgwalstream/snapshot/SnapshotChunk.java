package io.pgwalstream.snapshot;

import io.pgwalstream.replication.TableName;

import java.util.Objects;

/**
 * One range of a table's chunk key: the rows with {@code lower <= key < upper}. Bounds are the
 * key's text form as PostgreSQL prints it and are compared by PostgreSQL (the key's own type and
 * collation), never in Java; a null bound is open.
 *
 * @param index position of the chunk in key order, 0-based
 * @param count how many chunks the table has
 */
public record SnapshotChunk(TableName table, int index, int count, String lower, String upper) {

    public SnapshotChunk {
        Objects.requireNonNull(table, "table");
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException("Chunk " + index + " of " + count);
        }
    }

    /** {@code "public"."orders"#3/10}: unique within a snapshot of one slot group. */
    public String id() {
        return table.quoted() + '#' + index + '/' + count;
    }

    @Override
    public String toString() {
        return id()
                + " ["
                + (lower == null ? "-∞" : lower)
                + ", "
                + (upper == null ? "+∞" : upper)
                + ')';
    }
}
