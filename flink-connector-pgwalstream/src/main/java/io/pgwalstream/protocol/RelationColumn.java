package io.pgwalstream.protocol;

import java.util.Objects;

/**
 * One column of a {@link Relation}.
 *
 * @param flags raw flags; bit 1 marks a replica-identity (key) column
 * @param name column name
 * @param typeOid OID of the column's type (possibly a domain)
 * @param typeModifier {@code atttypmod}, -1 when the type has none
 */
public record RelationColumn(int flags, String name, int typeOid, int typeModifier)
        implements java.io.Serializable {

    /** Flag bit for columns that belong to the replica identity. */
    public static final int FLAG_KEY = 1;

    public RelationColumn {
        Objects.requireNonNull(name, "name");
    }

    /** Whether the column is part of the replica identity (every column under FULL). */
    public boolean isKey() {
        return (flags & FLAG_KEY) != 0;
    }
}
