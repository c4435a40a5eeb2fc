package io.pgwalstream.snapshot;

import io.pgwalstream.replication.SqlIdentifier;

import java.util.Objects;

/**
 * The column a table's chunks are ranges of: a key column (each row in exactly one chunk, by value,
 * for as long as the key lives), or the physical position {@code ctid} of a table without a usable
 * key (then chunks are block ranges, which only hold within one snapshot).
 *
 * @param column the column name as stored
 * @param sqlType the column's type as {@code format_type} prints it, for casting bound literals
 * @param typeOid the column's type OID
 * @param unique whether the column alone is unique (then a range of n integers holds ≤ n rows)
 */
public record ChunkKey(String column, String sqlType, int typeOid, boolean unique) {

    private static final int TID_OID = 27;
    private static final ChunkKey PHYSICAL = new ChunkKey("ctid", "tid", TID_OID, true);

    public ChunkKey {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(sqlType, "sqlType");
    }

    /** Block ranges of a table without a usable key. */
    public static ChunkKey physical() {
        return PHYSICAL;
    }

    public boolean isPhysical() {
        return equals(PHYSICAL);
    }

    /** The column in SQL text (quoted), usable in a WHERE clause. */
    String sql() {
        return isPhysical() ? "ctid" : SqlIdentifier.quote(column);
    }

    /** Whether bounds may be computed by arithmetic (int2, int4, int8). */
    boolean isInteger() {
        return typeOid == 20 || typeOid == 21 || typeOid == 23;
    }
}
