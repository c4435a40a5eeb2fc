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
 * @param bytewiseCollation for a text key: whether its collation orders by code point ({@code C},
 *     {@code POSIX}, {@code ucs_basic}, the builtin C locales), so Java can tell which chunk a key
 *     belongs to; false for other types
 */
public record ChunkKey(
        String column, String sqlType, int typeOid, boolean unique, boolean bytewiseCollation) {

    static final int INT2_OID = 21;
    static final int INT4_OID = 23;
    static final int INT8_OID = 20;
    static final int TEXT_OID = 25;
    static final int VARCHAR_OID = 1043;
    static final int UUID_OID = 2950;
    private static final int TID_OID = 27;
    private static final ChunkKey PHYSICAL = new ChunkKey("ctid", "tid", TID_OID, true, false);

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
        return typeOid == INT8_OID || typeOid == INT2_OID || typeOid == INT4_OID;
    }

    boolean isText() {
        return typeOid == TEXT_OID || typeOid == VARCHAR_OID;
    }

    /**
     * Whether Java orders this key's values exactly as PostgreSQL does, so a change can be placed
     * in its chunk without asking the server: integers, uuid, and text under a code-point
     * collation. Resuming a snapshot whose exported snapshot was lost needs it.
     */
    public boolean orderedLikePostgres() {
        return isInteger() || typeOid == UUID_OID || (isText() && bytewiseCollation);
    }
}
