package io.pgwalstream.types;

import java.io.Serializable;
import java.util.Objects;

/**
 * Catalog facts about a user-defined type (OID at least 10000), as returned by {@link
 * #CATALOG_QUERY}. pgoutput's Type message gives only a name (for a domain, its base type's name),
 * which is enough for the text form but not for binary values of enums, composites, ranges and
 * arrays of user types; registering these facts in a {@link PgTypeRegistry} makes them readable.
 *
 * @param oid the type's OID
 * @param namespace its schema
 * @param name {@code typname}
 * @param typtype {@code b} base, {@code c} composite, {@code d} domain, {@code e} enum, {@code r}
 *     range, {@code m} multirange, {@code p} pseudo
 * @param typcategory {@code A} for array types
 * @param baseTypeOid {@code typbasetype} of a domain, else 0
 * @param baseTypeModifier {@code typtypmod} of a domain, else -1
 * @param elementOid {@code typelem} of an array type, else 0
 * @param rangeSubtypeOid {@code pg_range.rngsubtype} of a range type, else 0
 * @param multirangeRangeOid the range type of a multirange type, else 0
 */
public record PgUserType(
        int oid,
        String namespace,
        String name,
        char typtype,
        char typcategory,
        int baseTypeOid,
        int baseTypeModifier,
        int elementOid,
        int rangeSubtypeOid,
        int multirangeRangeOid)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    public PgUserType {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    /** {@code namespace.name}, or just the name in {@code pg_catalog}. */
    public String qualifiedName() {
        return namespace.isEmpty() || namespace.equals("pg_catalog")
                ? name
                : namespace + "." + name;
    }
}
